"""Case work: a resident's case from intake to archive, its records, sync and reads
(docs/cases.md)."""
