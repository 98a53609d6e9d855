"""Follow-up tasks: what a round finds, made into work with an owner, a due date and an
outcome (docs/tasks.md). `records` creates tasks and applies their events, `raising` raises
them from visits' findings by the rules, `ingest` takes them from phones, `read` answers the
phones' pulls and the office screens."""
