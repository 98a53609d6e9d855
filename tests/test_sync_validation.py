"""The short cut that loads the usual visit without marshmallow (visit_schemas.load_visit).

It must never accept what VisitInSchema refuses, and what it accepts must load to exactly
the same record (same values, types and key order, hence the same content hash). It must also
actually take the visits phones send, or it saves nothing.
"""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from server.visits.ingest import canonical_hash
from server.visits.schemas import VisitInSchema, _Unsure, _usual_visit, load_visit
from tests.visitdata import visit_payload

RESIDENT = {"id": "7f0c1a52-2d0e-4bb1-9a53-3f1f5a0f6c11", "qr_token": "tok-123"}
schema = VisitInSchema()


def _by_schema(raw):
    try:
        return schema.load(raw)
    except ValidationError as error:
        return error


def _by_short_cut(raw):
    try:
        return _usual_visit(raw)
    except _Unsure:
        return None


def _same(fast: dict, slow: dict) -> None:
    assert repr(fast) == repr(slow)  # values, types and key order, nested too
    assert canonical_hash(fast) == canonical_hash(slow)


USUAL = [
    visit_payload(RESIDENT),
    visit_payload(RESIDENT, identified_by="manual", qr_token=None, satisfaction=None),
    visit_payload(
        RESIDENT, kind="home_visit", location={"lat": 31.2, "lon": 121, "accuracy_m": 25}
    ),
    visit_payload(
        RESIDENT,
        location={"lat": -90, "lon": 180.0, "accuracy_m": None},
        checked_out_at=None,
        follow_up=False,
    ),
    visit_payload(
        RESIDENT,
        signature={
            "signer": "proxy",
            "signer_name": "李梅",
            "reason": None,
            "width": 600,
            "height": 200,
            "encoding": "absolute",
            "strokes": [[1, 2, 3, 4], [600, 200]],
        },
    ),
    visit_payload(
        RESIDENT,
        signature={
            "signer": "none",
            "reason": "asleep",
            "width": 600,
            "height": 200,
            "strokes": [],
        },
    ),
    visit_payload(
        RESIDENT,
        checked_in_at="2026-11-23T09:00:00+08:00",
        checked_out_at="2026-11-23T09:05:00.250+08:00",
        feedback="谢谢" * 1000,
    ),
]


@pytest.mark.parametrize("raw", USUAL)
def test_the_usual_visits_take_the_short_cut_and_load_as_the_schema_loads_them(raw):
    fast = _by_short_cut(copy.deepcopy(raw))
    assert fast is not None
    _same(fast, schema.load(copy.deepcopy(raw)))
    _same(load_visit(copy.deepcopy(raw)), fast)


def test_what_the_short_cut_leaves_gets_the_schemas_answer():
    raw = visit_payload(RESIDENT, follow_up="yes")  # valid for marshmallow, not the usual form
    assert _by_short_cut(raw) is None
    assert load_visit(raw)["follow_up"] is True
    with pytest.raises(ValidationError) as refused:
        load_visit(visit_payload(RESIDENT, kind="party"))
    assert "kind" in refused.value.messages
    with pytest.raises(ValidationError):
        load_visit(["not", "a", "visit"])


NO_SIGNATURE = {"signer": "none", "reason": "asleep", "width": 600, "height": 200, "strokes": []}
TRAPS = [  # (path, value): where Python's types or marshmallow's leniency could mislead
    (("signature",), {**NO_SIGNATURE, "width": True}),
    (("signature",), {**NO_SIGNATURE, "height": 200.0}),
    (("signature",), {**NO_SIGNATURE, "width": "600"}),
    (("signature",), {**NO_SIGNATURE, "encoding": None}),
    (("signature",), {**NO_SIGNATURE, "strokes": None}),
    (("signature",), {**NO_SIGNATURE, "reason": "  "}),
    (("location",), {"lat": True, "lon": 0}),
    (("location",), {"lat": "31.2", "lon": 0}),
    (("location",), {"lat": 10**400, "lon": 0}),
    (("follow_up",), 1),
    (("follow_up",), None),
    (("service_given",), None),
    (("observations",), {"living": "ok", "emotional": "ok", "physical": "ok", "notes": None}),
    (("checked_in_at",), "2026-11-23T09:00:00"),
    (("checked_in_at",), 1763888400),
    (("id",), 12345),
]


@pytest.mark.parametrize(("path", "value"), TRAPS)
def test_the_traps_go_to_the_schema(path, value):
    raw = visit_payload(RESIDENT)
    _change(raw, path, copy.deepcopy(value))
    assert _by_short_cut(copy.deepcopy(raw)) is None
    slow = _by_schema(copy.deepcopy(raw))
    loaded = load_visit(copy.deepcopy(raw)) if not isinstance(slow, ValidationError) else None
    if loaded is not None:
        _same(loaded, slow)


# Values of every JSON kind, and of the forms the fields take, right and wrong.
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(
        [
            "",
            " ",
            "ok",
            "concern",
            "round",
            "home_visit",
            "qr",
            "manual",
            "satisfied",
            "unsatisfied",
            "resident",
            "proxy",
            "none",
            "delta",
            "absolute",
            "yes",
            "1",
            "600",
            "x" * 2001,
            "x" * 65,
            str(uuid.uuid4()),
            "{" + str(uuid.uuid4()) + "}",
            str(uuid.uuid4()).upper(),
            NOW.isoformat(),
            (NOW + timedelta(hours=1)).isoformat(),
            "2026-11-23T09:00:00",
            "2026-11-23",
            "2026-11-23T09:00:00Z",
            "2026-11-23 09:00:00+08:00",
        ]
    ),
    st.lists(st.integers(-5, 700), max_size=6),
    st.lists(st.lists(st.integers(-5, 700), max_size=6), max_size=3),
    st.dictionaries(
        st.sampled_from(["lat", "lon", "accuracy_m", "x"]),
        st.one_of(st.none(), st.booleans(), st.floats(-200, 200), st.integers(-200, 200)),
        max_size=4,
    ),
    st.just(10**400),
)
PATHS = (
    [
        (name,)
        for name in (
            "id",
            "resident_id",
            "kind",
            "checked_in_at",
            "checked_out_at",
            "identified_by",
            "qr_token",
            "location",
            "observations",
            "service_given",
            "follow_up",
            "satisfaction",
            "feedback",
            "signature",
            "extra",
        )
    ]
    + [("observations", name) for name in ("living", "emotional", "physical", "notes", "x")]
    + [
        ("signature", name)
        for name in (
            "signer",
            "signer_name",
            "reason",
            "width",
            "height",
            "encoding",
            "strokes",
            "x",
        )
    ]
    + [("location", name) for name in ("lat", "lon", "accuracy_m", "x")]
)
CHANGE = st.tuples(st.sampled_from(PATHS), st.one_of(st.just("drop"), ODD_VALUES))


def _change(raw: dict, path: tuple, value) -> None:
    target = raw
    for name in path[:-1]:
        if not isinstance(target.get(name), dict):
            target[name] = {}
        target = target[name]
    if value == "drop":
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(USUAL), changes=st.lists(CHANGE, min_size=1, max_size=3))
def test_the_short_cut_never_accepts_more_than_the_schema_nor_loads_otherwise(base, changes):
    raw = copy.deepcopy(base)
    for path, value in changes:
        _change(raw, path, copy.deepcopy(value))
    slow = _by_schema(copy.deepcopy(raw))
    fast = _by_short_cut(copy.deepcopy(raw))
    if fast is not None:
        assert not isinstance(slow, ValidationError), (raw, slow)
        _same(fast, slow)
