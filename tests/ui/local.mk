# Tests for the ui area (included from tests/local.mk).
