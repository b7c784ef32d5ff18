"""Suggest chronology items from an imported article: candidate events and quotes, duplicates, checks.

``engine`` (pure) proposes candidates from passages and date mentions; ``names``, ``chaining`` and
``quotes`` are its parts; ``candidates`` feeds it from the database; ``duplicates`` finds duplicate
sources, items and entities; ``dismissals`` remembers what editors turned down.
"""
