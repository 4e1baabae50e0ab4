# Tests for the text area (included from tests/local.mk).
