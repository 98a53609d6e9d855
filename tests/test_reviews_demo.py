"""The demo institution's reviews: most older visits approved, a few returned with a comment,
one of them answered, and worker1's phone holding the one returned to them."""

from __future__ import annotations

from sqlalchemy import select

from server.models import RecordReview, User
from server.platform.extensions import db
from server.reviews.read import changed_reviews


def test_the_demo_holds_approved_returned_and_answered_records(app, api):
    result = app.test_cli_runner().invoke(args=["demo-data", "--visits"])
    assert result.exit_code == 0, result.output
    reviews = db.session.scalars(select(RecordReview)).all()
    decisions = [review.decision for review in reviews]
    assert decisions.count("approved") > 10
    returned = [review for review in reviews if review.decision == "returned"]
    assert len(returned) >= 2 and all(review.comment for review in returned)
    assert sum(review.answered_at is not None for review in returned) == 1
    worker1 = db.session.scalar(select(User).where(User.username == "worker1"))
    entries, _ = changed_reviews(worker1.id, 0, None, reset=True)
    assert len(entries) == 1 and entries[0]["comment"]
