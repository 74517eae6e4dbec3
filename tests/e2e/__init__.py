"""Browser tests (package so their module names do not clash with tests/app/test_<page>.py)."""
