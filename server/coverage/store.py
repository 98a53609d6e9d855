"""Writing results: one upsert for both ways of judging, which leaves unchanged rows alone.

Most rows a pass judges come out as they were: the month's rows when a new week starts, the
rows whose status was due to turn but did not, everyone after a new default that moved few
requirements. Rewriting such a row costs PostgreSQL a new row version and an entry in each
index, four times the cost of skipping it, so a row is written only when a judged value
differs; its evaluated_at is then when its values last changed. When a period was last
counted is kept with its counts (summary.py).
"""

from __future__ import annotations

from sqlalchemy import or_
from sqlalchemy.sql.dml import Insert

from server.models import CoverageResult
from server.platform.sqlparts import insert_or_on_conflict

KEYS = ("resident_id", "period")
RESULT_COLUMNS = [column.name for column in CoverageResult.__table__.columns]
# What judging decides; evaluated_at only says when.
JUDGED = [name for name in RESULT_COLUMNS if name not in (*KEYS, "evaluated_at")]


def insert_results() -> Insert:
    return insert_or_on_conflict(CoverageResult.__table__)


def rewriting_changed(statement: Insert) -> Insert:
    """The upsert: new rows inserted, stored ones rewritten only where a judged value differs."""
    stored, new = CoverageResult.__table__.c, statement.excluded
    return statement.on_conflict_do_update(
        index_elements=list(KEYS),
        set_={name: new[name] for name in RESULT_COLUMNS if name not in KEYS},
        where=or_(*[stored[name].is_distinct_from(new[name]) for name in JUDGED]),
    )
