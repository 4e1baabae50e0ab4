# Tests for the store area (included from tests/local.mk).
