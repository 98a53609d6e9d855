"""An office's own facts: its staff list, its documents, and what the evaluation reads of them
(docs/office-facts.md)."""
