"""The demo's organisation levels: the seeded city, district and office named as a real city's
would be, and a second district with one small care home of its own, its staff and weeks of
rounds, so the roll-ups and the inspectors have more than one office to show.

Runs first in the demo's follow-through, after the demo institution's own rounds: the second
home's residents, staff and visits come after, with a random sequence of their own, so the
demo institution's records and counts stay what they were. Its rounds are recorded through the
same sync code as every demo visit, each day's synced that evening.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server.demo.institution import DEMO_PASSWORD
from server.demo.visits import SYNC_HOUR, backdate_labels
from server.demo.visits import _visit as demo_visit
from server.models import CITY, DISTRICT, OFFICE, Organisation, Resident, User
from server.models.core import ADMIN, INSPECTOR, SUPERVISOR, WORKER
from server.organisations.records import create_organisation, update_organisation
from server.people.audit import SYSTEM
from server.people.users import create_user
from server.platform.clock import today_in
from server.platform.extensions import db
from server.roster.residents import create_resident
from server.roster.units import create_unit
from server.visits.ingest import SyncContext, ingest

CITY_NAME = "温州市民政局"
DISTRICT_NAME = "鹿城区民政局"
INSTITUTION_NAME = "朝阳松鹤颐养中心 Sunrise & Pine Care"
SECOND_DISTRICT = "瓯海区民政局"
SECOND_OFFICE = "瓯海颐养院 Ouhai Care Home"
SECOND_UNIT = "瓯海一区 Ouhai F1"  # sorts after the demo institution's units
SECOND_RESIDENTS = [
    "潘阿婆",
    "叶德明",
    "胡秀兰",
    "蔡永福",
    "Grace Pan",
    "金桂香",
    "郑长寿",
    "戴淑芬",
]
# (username, role, display name, where): where is "unit", "office", "district", "city" or
# "first district" (the demo institution's).
PEOPLE = [
    ("ouhai", ADMIN, "潘丽 Pan Li", "office"),
    ("supervisor3", SUPERVISOR, "叶青 Ye Qing", "unit"),
    ("worker7", WORKER, "黄磊 Huang Lei", "unit"),
    ("inspector", INSPECTOR, "市局督查 City inspector", "city"),
    ("lucheng", INSPECTOR, "鹿城督查 Lucheng inspector", "first district"),
]
ROUNDS_A_WEEK = 3  # every rule of the demo (two a week, three in full care) is met


def _one(kind: str) -> Organisation:
    return db.session.scalars(select(Organisation).where(Organisation.kind == kind)).first()


def name_the_tree() -> dict[str, Organisation]:
    """The seeded city, district and office, named as the demo city's are."""
    found = {kind: _one(kind) for kind in (CITY, DISTRICT, OFFICE)}
    names = {CITY: CITY_NAME, DISTRICT: DISTRICT_NAME, OFFICE: INSTITUTION_NAME}
    for kind, organisation in found.items():
        update_organisation(SYSTEM, organisation, {"name": names[kind]})
    return found


def _second_home(city: Organisation, today) -> tuple[Organisation, object, list[Resident]]:
    district = create_organisation(
        SYSTEM, {"kind": DISTRICT, "name": SECOND_DISTRICT, "parent_id": city.id}
    )
    office = create_organisation(
        SYSTEM, {"kind": OFFICE, "name": SECOND_OFFICE, "parent_id": district.id}
    )
    unit = create_unit(SYSTEM, SECOND_UNIT, "ward", office.id)
    rng = random.Random(91)
    residents = [
        create_resident(
            SYSTEM,
            {
                "unit_id": unit.id,
                "name": name,
                "sex": rng.choice(["female", "male"]),
                "birth_year": rng.randint(1930, 1955),
                "room": f"1{number // 2 + 1:02d}-{number % 2 + 1}",
                "care_level": rng.choice(["self_care", "semi_care", "full_care"]),
                "admitted_on": today - timedelta(days=rng.randint(120, 900)),
            },
            today,
        )
        for number, name in enumerate(SECOND_RESIDENTS)
    ]
    return office, unit, residents


def _people(tree: dict, office: Organisation, unit) -> list[tuple[str, str, list[str]]]:
    where = {
        "unit": office.id,
        "office": office.id,
        "city": tree[CITY].id,
        "first district": tree[DISTRICT].id,
    }
    labels = {
        "unit": [SECOND_UNIT],
        "office": [SECOND_OFFICE],
        "city": [CITY_NAME],
        "first district": [DISTRICT_NAME],
    }
    logins = []
    for username, role, display_name, place in PEOPLE:
        create_user(
            SYSTEM,
            {
                "username": username,
                "role": role,
                "display_name": display_name,
                "password": DEMO_PASSWORD,
                "organisation_id": where[place],
                "unit_ids": [unit.id] if place == "unit" else [],
            },
        )
        logins.append((username, role, labels[place]))
    return logins


def _rounds(residents: list[Resident], worker: User, zone: str, now: datetime, weeks: int) -> int:
    """Three quiet rounds a week for every resident (nothing found, all satisfied), each
    day's synced that evening."""
    local = ZoneInfo(zone)
    today = now.astimezone(local).date()
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    rng = random.Random(92)
    by_day: dict = {}
    for resident in residents:
        for week in range(weeks):
            monday = first_monday + timedelta(weeks=week)
            days = [
                monday + timedelta(days=n) for n in range(7) if monday + timedelta(days=n) <= today
            ]
            for day in sorted(rng.sample(days, min(len(days), ROUNDS_A_WEEK))):
                start = datetime.combine(day, time(rng.randint(8, 15), rng.randint(0, 59)), local)
                if start < now:
                    by_day.setdefault(day, []).append(_quiet(demo_visit(resident, start, rng)))
    created = 0
    for day, visits in sorted(by_day.items()):
        evening = min(now, datetime.combine(day, time(SYNC_HOUR), local))
        context = SyncContext(
            user=worker, device_id=None, device_time=evening, now=evening, zone=zone
        )
        created += sum(r["status"] == "created" for r in ingest(visits, [], context))
    return created


def _quiet(visit: dict) -> dict:
    visit["observations"] = {"living": "ok", "emotional": "ok", "physical": "ok", "notes": ""}
    visit["follow_up"] = False
    if visit["satisfaction"] == "unsatisfied":
        visit["satisfaction"], visit["feedback"] = "satisfied", "谢谢"
    return visit


def build_the_levels(zone: str, now: datetime, weeks: int) -> dict:
    """Name the tree, add the second district's home with its weeks of rounds and the two
    inspectors; answer the new logins, to print beside the others, and the visits made."""
    tree = name_the_tree()
    today = today_in(zone, now)
    office, unit, residents = _second_home(tree[CITY], today)
    logins = _people(tree, office, unit)
    db.session.flush()
    backdate_labels(zone)  # the new labels were printed on admission too
    worker = db.session.scalar(select(User).where(User.username == "worker7"))
    created = _rounds(residents, worker, zone, now, weeks)
    db.session.commit()
    return {"logins": logins, "second_office_visits": created}
