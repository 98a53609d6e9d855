"""The demo's samples: last month's visits of each office, drawn by the bureau, reproducible
from the seed, with the first items checked."""

from __future__ import annotations

from sqlalchemy import select

from server.inspection.sampling import verify
from server.models import OFFICE, Organisation
from server.models.inspection import Sample
from server.platform.extensions import db


def test_the_demo_draws_a_sample_of_each_office_with_items_checked(app, api):
    result = app.test_cli_runner().invoke(args=["demo-data", "--visits"])
    assert result.exit_code == 0, result.output
    samples = list(db.session.scalars(select(Sample)))
    offices = list(db.session.scalars(select(Organisation).where(Organisation.kind == OFFICE)))
    assert {sample.office_id for sample in samples} == {office.id for office in offices}
    for sample in samples:
        assert sample.kind == "visits" and len(sample.items) == 10
        assert [item.outcome is not None for item in sample.items[:5]] == [True] * 4 + [False]
        assert verify(sample).same
