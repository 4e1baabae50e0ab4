# Tests for the sim area (included from tests/local.mk).
