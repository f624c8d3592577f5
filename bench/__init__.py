"""Benchmarks run against a throw-away PostgreSQL database; see bench/README.md."""
