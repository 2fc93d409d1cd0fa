"""Unit tests: pure models, data loaders and small servers, fast enough for ``make check``."""
