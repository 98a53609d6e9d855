"""Review of records (docs/reviews.md): a supervisor approves a visit or a case record, or
returns it to its author with a comment; the author answers from the phone."""
