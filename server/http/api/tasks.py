"""Follow-up tasks for the office: lists with their counts, one task with its history, making
and changing tasks, and the rules by which findings raise them (docs/tasks.md)."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, g, jsonify

from server.http.api import actor, setting
from server.http.endpoint import endpoint
from server.models import Task, TaskEvent, utcnow
from server.models.core import ADMIN
from server.platform.clock import today_in
from server.platform.errors import Conflict
from server.platform.extensions import db
from server.tasks import read, records, rules
from server.tasks.schemas import (
    TaskCreateSchema,
    TaskDetailSchema,
    TaskEventCreateSchema,
    TaskListQuery,
    TaskPageSchema,
    TaskRuleInSchema,
    TaskRuleSchema,
)

bp = Blueprint("tasks", __name__)


def _today():
    return today_in(setting("TIMEZONE"))


def _detail(task: Task, status: int = 200) -> Response:
    answer = jsonify(read.task_detail(task, _today()))
    answer.status_code = status
    return answer


@bp.get("/tasks")
@endpoint(
    "Tasks one sees (one's units' and those assigned to one), filtered and paged, with the "
    "counts of the open ones",
    query=TaskListQuery,
    response=TaskPageSchema,
)
def list_tasks(query):
    wanted = read.TaskFilter(
        unit_ids=query["unit_id"],
        assignee_id=query.get("assignee_id"),
        resident_id=query.get("resident_id"),
        statuses=query["status"],
        priority=query.get("priority"),
        due=query.get("due"),
        source=query.get("source"),
        sort=query["sort"],
    )
    page = read.list_tasks(g.scope, g.user.id, wanted, _today(), query["page"], query["per_page"])
    return jsonify(page)


@bp.get("/tasks/<uuid:task_id>")
@endpoint("One task with its history, its events in order", response=TaskDetailSchema)
def get_task(task_id: uuid.UUID):
    return _detail(read.task_in_sight(g.scope, g.user.id, task_id))


@bp.post("/tasks")
@endpoint(
    "Raise a task by hand for a resident of one's units",
    body=TaskCreateSchema,
    response=TaskDetailSchema,
    status=201,
    extra_responses={409: "A task with this id exists already"},
)
def create_task(body):
    task = records.create_task(actor(), records.NewTask(**body), source="manual")
    db.session.commit()
    return _detail(task, 201)


@bp.post("/tasks/<uuid:task_id>/events")
@endpoint(
    "Change a task: start, note, close, cancel, reschedule, reassign, reprioritise, reopen",
    body=TaskEventCreateSchema,
    response=TaskDetailSchema,
    status=201,
    extra_responses={
        403: "Your role may not make this change",
        409: "An event with this id exists already",
    },
)
def add_event(task_id: uuid.UUID, body):
    task = read.task_in_sight(g.scope, g.user.id, task_id)
    if body["id"] is not None and db.session.get(TaskEvent, body["id"]) is not None:
        raise Conflict("An event with this id exists already.", errors={"id": ["Already used."]})
    records.apply_event(
        task,
        body["kind"],
        body["changes"],
        actor(),
        body["at"] or utcnow(),
        body["visit_id"],
        body["id"],
    )
    db.session.commit()
    return _detail(task, 201)


@bp.get("/task-rules")
@endpoint(
    "The rules by which a visit's findings raise tasks",
    response=TaskRuleSchema,
    many=True,
    roles=(ADMIN,),
)
def list_rules():
    return rules.rules()


@bp.put("/task-rules/<finding>")
@endpoint(
    "Set how a finding raises tasks: whether, how urgent, due in how many days, and whose",
    body=TaskRuleInSchema,
    response=TaskRuleSchema,
    roles=(ADMIN,),
)
def put_rule(finding: str, body):
    g.scope.require_whole_city()  # every office shares them
    rule = rules.update_rule(actor(), finding, body)
    db.session.commit()
    return rule
