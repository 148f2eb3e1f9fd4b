"""Benchmarks at scale: a synthetic corpus generator and one command that measures everything.

Run `python -m tui.bench` (see `--help`). Nothing here runs in the test suite except a smoke test
at a small size.
"""
