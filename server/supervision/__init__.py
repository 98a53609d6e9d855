"""Supervision of the work at the office: supervision meetings and their rule
(docs/meetings.md), reception days and the office's monthly rules (docs/office-rules.md).
Reviews of records are `server/reviews/` (docs/reviews.md)."""
