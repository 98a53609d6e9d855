"""Random samples for inspection (实地抽查、随机走访、回访): an inspector draws some of an
office's visits or residents of a period and works through them as a checklist
(docs/sampling.md).

The draw is reproducible, which is what shows it was random: the population is the office's
records of the period ordered by id, and the sample is `random.Random(seed).sample` of it.
The seed, who drew and when are kept, so anyone can redraw from the seed and see the same
records come out. Domain code flushes; the caller commits.
"""

from __future__ import annotations

import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from server.models import OFFICE, Organisation, Resident, Unit, Visit, utcnow
from server.models.core import ADMIN, INSPECTOR
from server.models.inspection import SAMPLE_KINDS, Sample, SampleItem
from server.people import audit
from server.people.access import Scope
from server.platform.errors import Forbidden, InvalidFields, NotFound
from server.platform.extensions import db

MAX_SIZE = 200
AUDITED_ITEM = ("outcome", "note", "checked_by", "checked_at")


@dataclass(frozen=True)
class NewSample:
    """What an inspector asks for: whose records, which, of when, how many."""

    office_id: uuid.UUID
    kind: str
    period_start: date
    period_end: date
    size: int
    seed: str | None = None
    note: str = ""


def new_seed() -> str:
    """128 random bits, written down before the draw: nobody chooses what comes out."""
    return secrets.token_hex(16)


def draw(population: list[uuid.UUID], seed: str, size: int) -> list[uuid.UUID]:
    """The records a seed picks from a population (ordered by id), in the order drawn."""
    return random.Random(seed).sample(population, min(size, len(population)))


def _visits_of(office_id: uuid.UUID, start: date, end: date) -> list[uuid.UUID]:
    query = (
        select(Visit.id)
        .join(Unit, Unit.id == Visit.unit_id)
        .where(
            Unit.office_id == office_id,
            Visit.voided_at.is_(None),
            Visit.visit_date >= start,
            Visit.visit_date <= end,
        )
    )
    return sorted(db.session.scalars(query))


def _residents_of(office_id: uuid.UUID, start: date, end: date) -> list[uuid.UUID]:
    """Residents in care at some time in the period: admitted by its end, and still in care
    or left (discharged, deceased) no earlier than its start."""
    query = (
        select(Resident.id)
        .join(Unit, Unit.id == Resident.unit_id)
        .where(
            Unit.office_id == office_id,
            Resident.admitted_on <= end,
            or_(Resident.status == "active", Resident.status_since >= start),
        )
    )
    return sorted(db.session.scalars(query))


def population_of(kind: str, office_id: uuid.UUID, start: date, end: date) -> list[uuid.UUID]:
    """What a sample is drawn from, ordered by id (the order the draw depends on)."""
    if kind == "visits":
        return _visits_of(office_id, start, end)
    return _residents_of(office_id, start, end)


def office_in_reach(scope: Scope, office_id: uuid.UUID) -> Organisation:
    """The office, or 404 when there is none in one's reach; 422 for a bureau."""
    office = db.session.get(Organisation, office_id)
    if office is None or not scope.includes_organisation(office_id):
        raise NotFound("office")
    if office.kind != OFFICE:
        raise InvalidFields({"office_id": ["Samples are drawn from an office, not a bureau."]})
    return office


def require_inspector_of(actor: audit.Actor, office_id: uuid.UUID) -> None:
    """Drawing and checking are the bureau's: an inspector, or an admin of a district or the
    city, who reaches the office. The office's own staff read their samples only."""
    user = actor.user
    if user is None:
        return
    if not actor.scope.includes_office(office_id):
        raise NotFound("office")
    if user.role == INSPECTOR:
        return
    if user.role == ADMIN:
        own = db.session.get(Organisation, user.organisation_id)
        if own is not None and own.kind != OFFICE:
            return
    raise Forbidden("Only the bureau's inspectors draw and check samples of an office.")


def _check_period(new: NewSample) -> None:
    if new.period_start > new.period_end:
        raise InvalidFields({"period_start": ["The period starts after it ends."]})
    if not 1 <= new.size <= MAX_SIZE:
        raise InvalidFields({"size": [f"From 1 to {MAX_SIZE}."]})
    if new.kind not in SAMPLE_KINDS:
        raise InvalidFields({"kind": [f"One of {', '.join(SAMPLE_KINDS)}."]})


def _residents_of_visits(visit_ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    if not visit_ids:
        return {}
    rows = db.session.execute(select(Visit.id, Visit.resident_id).where(Visit.id.in_(visit_ids)))
    return {row.id: row.resident_id for row in rows}


def draw_sample(actor: audit.Actor, new: NewSample) -> Sample:
    """Draw and keep a sample: its seed, its population's size and its items in drawn order."""
    _check_period(new)
    office_in_reach(actor.scope, new.office_id)
    require_inspector_of(actor, new.office_id)
    seed = new.seed or new_seed()
    population = population_of(new.kind, new.office_id, new.period_start, new.period_end)
    chosen = draw(population, seed, new.size)
    sample = Sample(
        id=uuid.uuid4(),
        office_id=new.office_id,
        kind=new.kind,
        period_start=new.period_start,
        period_end=new.period_end,
        size=new.size,
        population=len(population),
        seed=seed,
        drawn_by=actor.user_id,
        drawn_at=utcnow(),
        note=new.note,
    )
    visits = new.kind == "visits"
    residents = _residents_of_visits(chosen) if visits else {}
    for position, record_id in enumerate(chosen, start=1):
        sample.items.append(
            SampleItem(
                position=position,
                visit_id=record_id if visits else None,
                resident_id=residents[record_id] if visits else record_id,
            )
        )
    db.session.add(sample)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "sample",
        sample.id,
        after=audit.snapshot(
            sample, ("office_id", "kind", "period_start", "period_end", "size", "seed")
        )
        | {"population": len(population), "drawn": len(chosen), "seed_given": bool(new.seed)},
    )
    return sample


def drawn_ids(sample: Sample) -> list[uuid.UUID]:
    """The records a sample holds, in drawn order: visits or residents by its kind."""
    return [item.visit_id if sample.kind == "visits" else item.resident_id for item in sample.items]


@dataclass(frozen=True)
class Verification:
    """A redraw from the stored seed against the records kept."""

    same: bool
    count: int
    population: int
    population_then: int
    seed: str


def verify(sample: Sample) -> Verification:
    """Redraw from the sample's seed over the population as it is now: the same records in
    the same order prove the draw was the seed's. A visit voided or synced late since changes
    the population, and the answer says so by its size."""
    population = population_of(
        sample.kind, sample.office_id, sample.period_start, sample.period_end
    )
    again = draw(population, sample.seed, sample.size)
    return Verification(
        same=again == drawn_ids(sample),
        count=len(again),
        population=len(population),
        population_then=sample.population,
        seed=sample.seed,
    )


def sample_in_sight(scope: Scope, sample_id: uuid.UUID) -> Sample:
    """A sample of an office one reaches (its staff, its bureaus), else 404."""
    sample = db.session.get(Sample, sample_id)
    if sample is None or not scope.includes_office(sample.office_id):
        raise NotFound("sample")
    return sample


def samples_seen(scope: Scope, office_id: uuid.UUID | None):
    """The samples of the offices one reaches (or of one), newest first."""
    query = select(Sample).order_by(Sample.drawn_at.desc(), Sample.id)
    if office_id is not None:
        query = query.where(Sample.office_id == office_id)
    return scope.filter_offices(query, Sample.office_id)


def checked_counts(sample_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many items of each sample have an outcome."""
    if not sample_ids:
        return {}
    rows = db.session.execute(
        select(SampleItem.sample_id, func.count())
        .where(SampleItem.sample_id.in_(sample_ids), SampleItem.outcome.is_not(None))
        .group_by(SampleItem.sample_id)
    )
    return {row[0]: row[1] for row in rows}


def check_item(
    actor: audit.Actor, sample: Sample, position: int, outcome: str | None, note: str | None
) -> SampleItem:
    """Record what the inspector found for one item: the outcome and the note, with who and
    when; the change goes to the audit trail."""
    require_inspector_of(actor, sample.office_id)
    item = next((item for item in sample.items if item.position == position), None)
    if item is None:
        raise NotFound("sample item")
    before = audit.snapshot(item, AUDITED_ITEM)
    if outcome is not None:
        item.outcome = outcome
    if note is not None:
        item.note = note
    item.checked_by = actor.user_id
    item.checked_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "update",
        "sample_item",
        f"{sample.id}/{position}",
        before,
        audit.snapshot(item, AUDITED_ITEM),
    )
    return item
