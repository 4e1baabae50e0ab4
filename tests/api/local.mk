# Tests for the api area (included from tests/local.mk).
