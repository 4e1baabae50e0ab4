# Tests for the e2e area (included from tests/local.mk).
