"""The lease: of the schedulers running, only the one holding it acts.

On PostgreSQL an advisory lock held on a dedicated connection (it goes with the session, so
a dead scheduler frees it at once); on SQLite a row with an expiry that the holder renews
(a dead scheduler's row expires after SCHEDULER_LEASE_SECONDS).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from server.models import SchedulerLease, utcnow
from server.platform.extensions import db

log = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
# Any fixed 64-bit number no other part of Rounds uses: "rounds" in ASCII.
ADVISORY_LOCK_KEY = 0x726F756E6473


def lease_seconds() -> int:
    return int(current_app.config["SCHEDULER_LEASE_SECONDS"])


def new_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def holder_is_gone(holder: str) -> bool:
    """Whether a holder named by new_holder() is a process of this host that has ended.

    Another host's holder, or a name of another shape, is never taken for gone: its lease
    expires instead."""
    host, _, rest = holder.partition(":")
    pid, _, _ = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


class Lease:
    """Held by at most one scheduler at a time; acquire() also renews it."""

    def __init__(self, holder: str) -> None:
        self.holder = holder
        self._connection = None  # PostgreSQL: the session that owns the advisory lock
        # Jobs run in a thread pool; the lock's connection must serve one of them at a time.
        self._mutex = threading.Lock()

    def acquire(self) -> bool:
        with self._mutex:
            if db.engine.dialect.name == "postgresql":
                return self._advisory()
            return self._row()

    def _advisory(self) -> bool:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
                return True
            except Exception:  # the connection died, and the lock with it
                self._drop_connection()
        connection = db.engine.connect()
        got = connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
        ).scalar()
        connection.commit()
        if got:
            self._connection = connection
        else:
            connection.close()
        return bool(got)

    def _drop_connection(self) -> None:
        try:
            self._connection.invalidate()
            self._connection.close()
        except Exception:
            log.debug("closing a dead lease connection failed", exc_info=True)
        self._connection = None

    def _row(self) -> bool:
        now = utcnow()
        expires = now + timedelta(seconds=lease_seconds())
        # A conditional update claims it: ours already, expired, or held by a process of this
        # host that is gone (a scheduler restarted after a crash need not wait for the
        # expiry). Never read-then-write: the update names the holder it found dead.
        free = (SchedulerLease.holder == self.holder) | (SchedulerLease.expires_at < now)
        dead = self._dead_holder()
        if dead is not None:
            free = free | (SchedulerLease.holder == dead)
        claimed = db.session.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == LEASE_NAME, free)
            .values(holder=self.holder, expires_at=expires)
        ).rowcount
        if not claimed:
            try:
                db.session.execute(
                    insert(SchedulerLease).values(
                        name=LEASE_NAME, holder=self.holder, expires_at=expires
                    )
                )
                claimed = 1
            except IntegrityError:
                claimed = 0
        if claimed:
            db.session.commit()
        else:
            db.session.rollback()
        return bool(claimed)

    def _dead_holder(self) -> str | None:
        """The lease row's holder, when it is a process of this host that no longer runs."""
        holder = db.session.scalar(
            select(SchedulerLease.holder).where(SchedulerLease.name == LEASE_NAME)
        )
        if holder is None or holder == self.holder:
            return None
        return holder if holder_is_gone(holder) else None

    def release(self) -> None:
        with self._mutex:
            self._release()

    def _release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
                self._connection.close()
            except Exception:
                log.debug("releasing the advisory lock failed", exc_info=True)
            self._connection = None
            return
        if db.engine.dialect.name != "postgresql":
            db.session.execute(
                delete(SchedulerLease).where(
                    SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == self.holder
                )
            )
            db.session.commit()
