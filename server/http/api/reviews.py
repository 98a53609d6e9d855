"""Review of records for the office: approve or return a record, a record's reviews, the queue
of what waits for a supervisor, and the report (docs/reviews.md)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from server.http.api import actor, setting
from server.http.endpoint import endpoint
from server.http.fields import date_range
from server.models.core import MANAGERS
from server.platform.extensions import db
from server.reports import reviews as review_report
from server.reports.scope import unit_scope
from server.reviews import read, records
from server.reviews.schemas import (
    QueuePageSchema,
    QueueQuery,
    RecordQuery,
    RecordReviewsSchema,
    ReviewInSchema,
    ReviewOutSchema,
    ReviewReportQuery,
    ReviewReportSchema,
)

bp = Blueprint("reviews", __name__)


@bp.post("/reviews")
@endpoint(
    "Approve a record, or return it to its author with a comment (a supervisor of its unit, "
    "or an admin)",
    body=ReviewInSchema,
    response=ReviewOutSchema,
    status=201,
    roles=MANAGERS,
    extra_responses={
        404: "No such record, or not one you may see",
        409: "One's own record, a voided visit or a purged case record",
    },
)
def create_review(body):
    review = records.review_record(
        actor(), body["record_kind"], body["record_id"], body["decision"], body["comment"]
    )
    db.session.commit()
    answer = jsonify(read.review_view(review))
    answer.status_code = 201
    return answer


@bp.get("/reviews")
@endpoint(
    "Every review of a record one sees, oldest first, each with its replies",
    query=RecordQuery,
    response=RecordReviewsSchema,
)
def record_reviews(query):
    return jsonify(read.reviews_of(g.scope, query["record_kind"], query["record_id"]))


@bp.get("/reviews/queue")
@endpoint(
    "The records of one's units with their review state (default: unreviewed and answered, "
    "what waits for a supervisor), newest first, paged, with the count of each state",
    query=QueueQuery,
    response=QueuePageSchema,
    roles=MANAGERS,
)
def review_queue(query):
    wanted = read.QueueFilter(
        states=list(dict.fromkeys(query["state"])),
        unit_ids=unit_scope(g.scope, query["unit_id"]),
        worker_id=query.get("worker_id"),
        record_kind=query.get("record_kind"),
        date_from=query.get("from_"),
        date_to=query.get("to"),
    )
    page = read.queue(wanted, setting("TIMEZONE"), query["page"], query["per_page"])
    return jsonify(page)


@bp.get("/reports/reviews")
@endpoint(
    "Of the records made in a range of local days (default: the last 30), per worker and in "
    "total: how many were reviewed, hours from receipt to the first review (median, 90th "
    "percentile), and how many the first review returned",
    query=ReviewReportQuery,
    response=ReviewReportSchema,
    roles=MANAGERS,
)
def reviews_report(query):
    units = unit_scope(g.scope, query["unit_id"])
    start, end = date_range(query, 30)
    return review_report.review_report(units, start, end, setting("TIMEZONE"))
