"""Visits from phones: ingest exactly once, their schemas, reads and voids, signatures, presence."""
