#!/bin/sh
# Regenerate the build system: run once after a fresh clone, then ./configure && make.
set -e
cd "$(dirname "$0")"
autoreconf -fi
