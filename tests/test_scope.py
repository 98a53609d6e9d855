"""A person's Scope, asked of the admin, a supervisor and a worker; Device.is_live in Python
and in SQL."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from server.models import Device, Unit, utcnow
from server.people.access import Scope
from server.platform.errors import Forbidden, NotFound
from server.platform.extensions import db


def test_the_admin_reaches_every_unit(admin, ward_a, ward_b):
    scope = Scope.of(admin.user)
    assert scope.unit_ids is None and scope.everything
    assert scope.includes(ward_b.id) and scope.manages(ward_b.id)
    assert db.session.scalars(scope.filter(select(Unit.id), Unit.id)).all() != []


def test_a_supervisor_sees_and_manages_only_their_units(supervisor_a, ward_a, ward_b):
    scope = Scope.of(supervisor_a.user)
    assert scope.unit_ids == frozenset({ward_a.id})
    assert scope.manages(ward_a.id) and not scope.includes(ward_b.id)
    assert db.session.scalars(scope.filter(select(Unit.id), Unit.id)).all() == [ward_a.id]
    assert scope.get(Unit, ward_a.id) is not None
    with pytest.raises(NotFound):
        scope.get(Unit, ward_b.id)
    with pytest.raises(NotFound):
        scope.require_manager_of(ward_b.id)


def test_a_worker_sees_their_units_and_manages_none(worker_a, ward_a):
    scope = Scope.of(worker_a.user)
    assert scope.includes(ward_a.id) and not scope.manages(ward_a.id)
    with pytest.raises(Forbidden):
        scope.require_manager_of(ward_a.id)
    with pytest.raises(NotFound):
        scope.get(Unit, uuid.uuid4())


def test_a_device_is_live_alike_in_python_and_in_sql(worker_a, worker_b):
    now = utcnow()
    revoked = db.session.get(Device, worker_b.device_id)
    revoked.revoked_at = now
    db.session.commit()
    for at in (now, now + timedelta(days=400)):
        in_sql = set(db.session.scalars(select(Device.id).where(Device.is_live(at))))
        in_python = {
            device.id for device in db.session.scalars(select(Device)) if device.is_live(at)
        }
        assert in_sql == in_python
    assert in_sql == set()
    assert set(db.session.scalars(select(Device.id).where(Device.is_live(now)))) == {
        worker_a.device_id
    }
