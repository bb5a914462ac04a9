"""Benchmark tooling: a synthetic corpus generator and a runner that measures the real pipeline."""
