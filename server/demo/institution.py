"""A bilingual demo institution, so a new user sees Rounds working at once."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, select

from server.coverage.policies import replace_policies
from server.models import User
from server.models.core import ADMIN, SUPERVISOR, WORKER
from server.people.audit import SYSTEM
from server.people.users import create_user
from server.platform.clock import today_in
from server.platform.extensions import db
from server.roster.residents import create_resident
from server.roster.units import create_unit

DEMO_PASSWORD = "rounds-demo"

WARDS = {
    "Sunrise Home": ["Sunrise F1 朝阳一区", "Sunrise F2 朝阳二区", "Sunrise F3 朝阳三区"],
    "Pine Home": ["Pine F1 松鹤一区", "Pine F2 松鹤二区", "Pine F3 松鹤三区"],
}
AREA = "Qingshan villages 青山片区"
VILLAGES = ["青山村 Qingshan", "石桥村 Shiqiao", "柳塘村 Liutang", "东坡村 Dongpo"]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = [
    "秀英",
    "桂英",
    "玉兰",
    "淑珍",
    "建国",
    "国华",
    "志明",
    "德福",
    "凤英",
    "明德",
    "文华",
    "素芬",
    "永祥",
    "兰英",
    "金花",
    "长生",
]
ENGLISH = [
    "Margaret Wong",
    "Arthur Lee",
    "Dorothy Chan",
    "Henry Lau",
    "Edith Ho",
    "Walter Cheung",
    "Mabel Tsang",
    "Frank Leung",
    "Ruth Kwok",
    "George Yip",
]
CARE_LEVELS = ["self_care", "semi_care", "full_care"]
# The home's rules: two rounds a week, three for residents in full care.
RULES = {
    "default": {"required": 2, "period": "week"},
    "care_levels": [
        {"care_level": "self_care", "required": 2, "period": "week"},
        {"care_level": "semi_care", "required": 2, "period": "week"},
        {"care_level": "full_care", "required": 3, "period": "week"},
    ],
    "residents": [],
}

STAFF = [
    ("admin", ADMIN, "管理员 Admin", []),
    ("supervisor1", SUPERVISOR, "陈静 Chen Jing", WARDS["Sunrise Home"]),
    ("supervisor2", SUPERVISOR, "林涛 Lin Tao", [*WARDS["Pine Home"], AREA]),
    ("worker1", WORKER, "王芳 Wang Fang", WARDS["Sunrise Home"][:2]),
    ("worker2", WORKER, "赵敏 Zhao Min", WARDS["Sunrise Home"][1:]),
    ("worker3", WORKER, "孙丽 Sun Li", WARDS["Pine Home"][:2]),
    ("worker4", WORKER, "周强 Zhou Qiang", WARDS["Pine Home"][1:]),
    ("worker5", WORKER, "吴海 Wu Hai", [AREA]),
    ("worker6", WORKER, "郑云 Zheng Yun", [AREA, WARDS["Sunrise Home"][0]]),
]


def has_any_user() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(User)))


def _name(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(ENGLISH)
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def load_demo_data(zone: str) -> list[tuple[str, str, list[str]]]:
    """Create units, about 120 residents and the staff; return the logins to print."""
    rng = random.Random(2026)
    today = today_in(zone)
    units = {}
    for wards in WARDS.values():
        for ward in wards:
            units[ward] = create_unit(SYSTEM, ward, "ward")
    units[AREA] = create_unit(SYSTEM, AREA, "area")
    replace_policies(None, RULES)

    for ward in [w for wards in WARDS.values() for w in wards]:
        for number in range(17):
            floor = ward.split()[1][1]
            create_resident(
                SYSTEM,
                {
                    "unit_id": units[ward].id,
                    "name": _name(rng),
                    "sex": rng.choice(["female", "female", "male"]),
                    "birth_year": rng.randint(1926, 1956),
                    "room": f"{floor}{number // 2 + 1:02d}-{number % 2 + 1}",
                    "care_level": rng.choice(CARE_LEVELS),
                    "admitted_on": today - timedelta(days=rng.randint(30, 2000)),
                },
                today,
            )
    for number in range(18):
        village = VILLAGES[number % len(VILLAGES)]
        create_resident(
            SYSTEM,
            {
                "unit_id": units[AREA].id,
                "name": _name(rng),
                "sex": rng.choice(["female", "male"]),
                "birth_year": rng.randint(1930, 1958),
                "address": f"{village} {number + 1}号",
                "phone": f"138{rng.randint(10_000_000, 99_999_999)}",
                "care_level": rng.choice(CARE_LEVELS),
                "home_lat": round(30.25 + rng.uniform(-0.05, 0.05), 5),
                "home_lon": round(120.15 + rng.uniform(-0.05, 0.05), 5),
                "admitted_on": today - timedelta(days=rng.randint(30, 900)),
            },
            today,
        )

    logins = []
    for username, role, display_name, unit_names in STAFF:
        create_user(
            SYSTEM,
            {
                "username": username,
                "role": role,
                "display_name": display_name,
                "password": DEMO_PASSWORD,
                "unit_ids": [units[name].id for name in unit_names],
            },
        )
        logins.append((username, role, unit_names))
    db.session.commit()
    return logins
