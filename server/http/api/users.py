"""Staff accounts."""

from __future__ import annotations

import uuid

from flask import Blueprint, g
from sqlalchemy import select

from server.http.api import actor
from server.http.endpoint import endpoint
from server.models import User, user_units
from server.models.core import ADMIN, MANAGERS
from server.people import users
from server.people.access import seen_within, staff_listed_for, users_visible_to
from server.people.schemas import UserListQuery, UserSchema, UserUpdateSchema
from server.platform.errors import NotFound
from server.platform.extensions import db

bp = Blueprint("users", __name__)


@bp.get("/users")
@endpoint(
    "Staff one may see (admins: all; supervisors: the workers and supervisors of their units)",
    query=UserListQuery,
    response=UserSchema,
    many=True,
    roles=MANAGERS,
    extra_responses={404: "No such unit in one's scope (unit_id)"},
)
def list_users(query):
    select_ = staff_listed_for(g.scope)
    if "role" in query:
        select_ = select_.where(User.role == query["role"])
    if "unit_id" in query:
        if not g.scope.includes(query["unit_id"]):
            raise NotFound("unit")  # outside one's scope a unit does not exist
        in_unit = select(user_units.c.user_id).where(user_units.c.unit_id == query["unit_id"])
        select_ = select_.where(User.id.in_(in_unit))
    return [seen_within(user, g.scope) for user in db.session.scalars(select_)]


@bp.post("/users")
@endpoint(
    "Create an account",
    body=UserSchema,
    response=UserSchema,
    status=201,
    roles=(ADMIN,),
    extra_responses={
        404: "No such organisation in one's reach (organisation_id)",
        409: "The username is taken",
    },
)
def create_user(body):
    user = users.create_user(actor(), body)
    db.session.commit()
    return user


@bp.get("/users/<uuid:user_id>")
@endpoint("One account", response=UserSchema, roles=MANAGERS)
def get_user(user_id: uuid.UUID):
    user = db.session.scalar(staff_listed_for(g.scope).where(User.id == user_id))
    if user is None:
        raise NotFound("user")
    return seen_within(user, g.scope)


@bp.patch("/users/<uuid:user_id>")
@endpoint(
    "Change an account: units, role, active, or reset the password",
    body=UserUpdateSchema,
    response=UserSchema,
    roles=(ADMIN,),
    extra_responses={404: "No such account, or organisation, in one's reach"},
)
def update_user(user_id: uuid.UUID, body):
    user = db.session.scalar(users_visible_to(g.scope).where(User.id == user_id))
    if user is None:
        raise NotFound("user")
    users.update_user(actor(), user, body)
    db.session.commit()
    return user
