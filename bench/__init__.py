"""Benchmarks (not timed tests): `make bench` runs every bench/bench_*.py module."""
