"""An office's staff list (队伍建设): who served there, as what, from when to when, with their
qualification; and the year's team as the rules count it.

An entry is one person in one position for one stretch of days: a person who changes position
gets a new entry, the old one ended. A user of the office may be named; volunteers and a head
who never records rounds are listed by name alone. An office has at most one head on any day.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from server.models import OfficeStaff, User, utcnow
from server.people import audit
from server.platform.errors import ApiError, InvalidFields, NotFound
from server.platform.extensions import db
from server.platform.field_codes import coded

HEAD, FULLTIME, PARTTIME, VOLUNTEER = "head", "fulltime", "parttime", "volunteer"
EDITABLE = (
    "user_id",
    "name",
    "position",
    "qualification",
    "certificate_no",
    "phone",
    "introduction",
    "started_on",
    "ended_on",
)
AUDITED = ("office_id", *EDITABLE)
# Besides the head: at least this many full-time social workers, and at least this many more
# full- or part-time social workers or volunteers (二、建设要求 (一); 附件4 队伍建设 2).
MIN_FULLTIME, MIN_OTHERS = 1, 2


def _check_dates(started_on: date, ended_on: date | None) -> None:
    if ended_on is not None and ended_on < started_on:
        raise InvalidFields(
            {"ended_on": [coded("The last day is on or after the first.", "before_start")]}
        )


def _check_user(office_id: uuid.UUID, user_id: uuid.UUID | None) -> User | None:
    """A user named must work at this office: a staff list never names another office's."""
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.organisation_id != office_id:
        raise InvalidFields({"user_id": [coded("No such user at this office.", "not_found")]})
    return user


def _overlapping_head(entry: OfficeStaff) -> OfficeStaff | None:
    """Another head of the office whose days meet this entry's."""
    query = select(OfficeStaff).where(
        OfficeStaff.office_id == entry.office_id,
        OfficeStaff.position == HEAD,
        OfficeStaff.id != entry.id,
        or_(OfficeStaff.ended_on.is_(None), OfficeStaff.ended_on >= entry.started_on),
    )
    if entry.ended_on is not None:
        query = query.where(OfficeStaff.started_on <= entry.ended_on)
    return db.session.scalars(query.order_by(OfficeStaff.started_on).limit(1)).first()


def _check_one_head(entry: OfficeStaff) -> None:
    if entry.position != HEAD:
        return
    other = _overlapping_head(entry)
    if other is not None:
        until = other.ended_on.isoformat() if other.ended_on else "now"
        raise ApiError(
            409,
            f"{other.name} is the office's head from {other.started_on.isoformat()} to {until}:"
            " end that entry first.",
            errors={"started_on": [coded("Another head is in post on these days.", "overlap")]},
            code="head_overlap",
        )


def add_staff(actor: audit.Actor, office_id: uuid.UUID, fields: dict) -> OfficeStaff:
    """A new entry of the office's list (flushed); a user named lends their name if none given."""
    user = _check_user(office_id, fields.get("user_id"))
    name = (fields.get("name") or "").strip() or (user.display_name if user else "")
    if not name:
        raise InvalidFields({"name": [coded("Name the person.", "required")]})
    _check_dates(fields["started_on"], fields.get("ended_on"))
    entry = OfficeStaff(
        id=uuid.uuid4(),
        office_id=office_id,
        user_id=fields.get("user_id"),
        name=name,
        position=fields["position"],
        qualification=fields.get("qualification") or "",
        certificate_no=fields.get("certificate_no") or "",
        phone=fields.get("phone") or "",
        introduction=fields.get("introduction") or "",
        started_on=fields["started_on"],
        ended_on=fields.get("ended_on"),
        updated_at=utcnow(),
        updated_by=actor.user_id,
    )
    _check_one_head(entry)
    db.session.add(entry)
    db.session.flush()
    audit.record(actor, "create", "office_staff", entry.id, None, audit.snapshot(entry, AUDITED))
    return entry


def staff_entry(office_id: uuid.UUID, staff_id: uuid.UUID) -> OfficeStaff:
    entry = db.session.get(OfficeStaff, staff_id)
    if entry is None or entry.office_id != office_id:
        raise NotFound("staff entry")
    return entry


def edit_staff(actor: audit.Actor, entry: OfficeStaff, changes: dict) -> OfficeStaff:
    """Change an entry; ending it is setting `ended_on`. The dates and the one head still hold."""
    if "user_id" in changes:
        _check_user(entry.office_id, changes["user_id"])
    if "name" in changes and not (changes["name"] or "").strip():
        raise InvalidFields({"name": [coded("Name the person.", "required")]})
    before = audit.snapshot(entry, AUDITED)
    for name, value in changes.items():
        if name in ("qualification", "certificate_no", "phone", "introduction"):
            value = value or ""
        setattr(entry, name, value.strip() if name == "name" else value)
    _check_dates(entry.started_on, entry.ended_on)
    with db.session.no_autoflush:
        _check_one_head(entry)
    after = audit.snapshot(entry, AUDITED)
    if after != before:
        entry.updated_at, entry.updated_by = utcnow(), actor.user_id
        db.session.flush()
        audit.record(actor, "update", "office_staff", entry.id, before, after)
    return entry


def serving_between(office_id: uuid.UUID, first: date, last: date) -> list[OfficeStaff]:
    """The entries whose days meet first..last, by position then first day."""
    query = select(OfficeStaff).where(
        OfficeStaff.office_id == office_id,
        OfficeStaff.started_on <= last,
        or_(OfficeStaff.ended_on.is_(None), OfficeStaff.ended_on >= first),
    )
    return _ordered(db.session.scalars(query))


def staff_on(office_id: uuid.UUID, day: date) -> list[OfficeStaff]:
    """Who is on the office's staff that day."""
    return serving_between(office_id, day, day)


def staff_of(office_id: uuid.UUID) -> list[OfficeStaff]:
    """Every entry of the office's list, ended ones too."""
    return _ordered(
        db.session.scalars(select(OfficeStaff).where(OfficeStaff.office_id == office_id))
    )


POSITION_ORDER = {HEAD: 0, FULLTIME: 1, PARTTIME: 2, VOLUNTEER: 3}
# The positions as the printed introduction names them, in both languages.
POSITION_NAMES = {
    HEAD: ("负责人", "Head"),
    FULLTIME: ("专职社工", "Full-time social worker"),
    PARTTIME: ("兼职社工", "Part-time social worker"),
    VOLUNTEER: ("志愿者", "Volunteer"),
}


def _ordered(entries) -> list[OfficeStaff]:
    return sorted(entries, key=lambda e: (POSITION_ORDER.get(e.position, 9), e.started_on, e.name))


# --- the year's team, as the evaluation reads it ----------------------------------------


def _person(entry: OfficeStaff) -> str:
    """One person across entries: their account when they have one, else their name."""
    return f"user:{entry.user_id}" if entry.user_id else f"name:{entry.name}"


@dataclass(frozen=True)
class TeamRule:
    head: bool
    fulltime: bool
    others: bool
    others_count: int

    @property
    def met(self) -> bool:
        return self.head and self.fulltime and self.others


def team_rule(entries: list[OfficeStaff]) -> TeamRule:
    """1 head; besides the head at least 1 full-time social worker and at least 2 more full- or
    part-time social workers or volunteers. The first full-timer is not one of the 2; a head is
    never counted among the others."""
    heads = {_person(e) for e in entries if e.position == HEAD}
    fulltime = {_person(e) for e in entries if e.position == FULLTIME} - heads
    rest = {_person(e) for e in entries if e.position in (PARTTIME, VOLUNTEER)} - heads - fulltime
    others = max(0, len(fulltime) - MIN_FULLTIME) + len(rest)
    return TeamRule(
        head=bool(heads),
        fulltime=len(fulltime) >= MIN_FULLTIME,
        others=others >= MIN_OTHERS,
        others_count=others,
    )


def team_facts(office_id: uuid.UUID, year: int) -> dict:
    """The office's team during the year: its head(s) in post that year with their
    qualification, its full-time and part-time social workers and volunteers, and whether the
    rules' team is there."""
    entries = serving_between(office_id, date(year, 1, 1), date(year, 12, 31))
    rule = team_rule(entries)
    heads = [e for e in entries if e.position == HEAD]
    return {
        "year": year,
        "heads": heads,
        # The rules want the head to hold a 社会工作者职业水平证书 or a social-work degree:
        # what the entry says of it, read by whoever judges.
        "head_qualified": bool(heads) and all(e.qualification or e.certificate_no for e in heads),
        "fulltime": [e for e in entries if e.position == FULLTIME],
        "parttime": [e for e in entries if e.position == PARTTIME],
        "volunteers": [e for e in entries if e.position == VOLUNTEER],
        "rule": {
            "head": rule.head,
            "fulltime": rule.fulltime,
            "others": rule.others,
            "others_count": rule.others_count,
            "min_fulltime": MIN_FULLTIME,
            "min_others": MIN_OTHERS,
            "met": rule.met,
        },
    }
