"""Benchmarks run by ``make bench`` (scripts/bench.sh) against a scratch PostgreSQL database."""
