"""Benchmarks that compare our ingest helpers with off-the-shelf libraries on labelled corpora."""
