"""The daily digest: one e-mail per supervisor per day with the open alerts of their units
and their follow-up tasks that are overdue or urgent.

Sent only when ROUNDS_SMTP_HOST is set. A row in digests_sent (unique on supervisor and day)
is committed before the message goes out, so two schedulers, or a retry, never send twice;
if sending fails the claim is dropped so the next try may send it.

This is the one domain module that commits (docs/architecture.md, the commit rule): an
e-mail cannot be rolled back, so each claim must be durable before its message leaves, and
the send happens here, between two commits, once per supervisor.
"""

from __future__ import annotations

import smtplib
import ssl
from collections import Counter, defaultdict
from datetime import datetime
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import delete, or_, select

from server.alerts.inbox import alerts_visible_to
from server.coverage import Period
from server.models import (
    Alert,
    CoverageResult,
    DigestRecipient,
    DigestSent,
    Resident,
    Task,
    Unit,
    User,
)
from server.models.core import SUPERVISOR
from server.models.tasks import OPEN_TASK_STATUSES
from server.people.access import Scope
from server.platform.clock import today_in
from server.platform.extensions import db
from server.platform.sqlparts import insert_or_on_conflict
from server.tasks.escalation import TASK_ALERT_KINDS

# The digest lists this many escalated tasks at most; the app has the rest.
DIGEST_MAX_TASKS = 100


def smtp_settings() -> dict | None:
    """The SMTP_* settings (ROUNDS_SMTP_*, server/platform/config.py); None without a host."""
    config = current_app.config
    if not config.get("SMTP_HOST"):
        return None
    return {
        "host": config["SMTP_HOST"],
        "port": int(config["SMTP_PORT"]),
        "user": config["SMTP_USER"],
        "password": config["SMTP_PASSWORD"],
        "security": config["SMTP_SECURITY"],
        "sender": config["SMTP_FROM"],
    }


def recipient_address(user: User) -> str | None:
    row = db.session.get(DigestRecipient, user.id)
    if row is not None:
        return row.email
    return user.username if "@" in user.username else None


def set_recipient_address(user: User, email: str | None) -> None:
    row = db.session.get(DigestRecipient, user.id)
    if email is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(DigestRecipient(user_id=user.id, email=email))
    else:
        row.email = email


def compose(user: User, now: datetime) -> tuple[str, int]:
    """The digest's text and how many open alerts it lists."""
    zone = current_app.config["TIMEZONE"]
    today = today_in(zone, now)
    week = Period.of("week", today)
    scope = Scope.of(user)
    alerts = db.session.scalars(alerts_visible_to(scope).where(Alert.resolved_at.is_(None))).all()
    names = dict(db.session.execute(select(Unit.id, Unit.name)).all())
    residents = dict(
        db.session.execute(
            select(Resident.id, Resident.name).where(
                Resident.id.in_({a.resident_id for a in alerts if a.resident_id})
            )
        ).all()
    )
    workers = dict(
        db.session.execute(
            select(User.id, User.display_name).where(
                User.id.in_({a.worker_id for a in alerts if a.worker_id})
            )
        ).all()
    )
    lines = [f"Rounds — {today.isoformat()} ({week.label})", ""]
    if not alerts:
        lines.append("No open alerts. 没有未处理的提醒。")
    by_unit: dict[str, list[str]] = defaultdict(list)
    for alert in alerts:
        if alert.kind in TASK_ALERT_KINDS:
            continue  # listed with their tasks, below
        if alert.kind == "unsynced":
            by_unit["Phones 手机"].append(
                f"  not synced since {alert.detail.get('last_sync_at')}"
                f": {workers.get(alert.worker_id, '?')}"
            )
        else:
            label = {"at_risk": "at risk 有风险", "missed": "missed 未达标"}[alert.kind]
            by_unit[names.get(alert.unit_id, "?")].append(
                f"  {label} ({alert.period}): {residents.get(alert.resident_id, '?')}"
            )
    for unit, items in sorted(by_unit.items()):
        lines += [unit, *sorted(items), ""]
    lines += task_lines(scope, names, today)
    statuses = db.session.execute(
        select(CoverageResult.unit_id, CoverageResult.status).where(
            CoverageResult.period == week.label
        )
    ).all()
    counts: dict = defaultdict(Counter)
    for unit_id, status in statuses:
        if scope.includes(unit_id):
            counts[unit_id][status] += 1
    if counts:
        lines.append(f"This week {week.label}: met / on track / at risk / missed")
        for unit_id, count in sorted(counts.items(), key=lambda item: names.get(item[0], "")):
            lines.append(
                f"  {names.get(unit_id, '?')}: {count['met']} / {count['on_track']} / "
                f"{count['at_risk']} / {count['missed']}"
            )
    return "\n".join(lines) + "\n", len(alerts)


def _escalated_tasks(scope: Scope, today):
    """The open tasks of one's units that are overdue or urgent, by unit and due date."""
    query = (
        select(
            Task.unit_id, Task.title, Task.priority, Task.due_on, Resident.name, User.display_name
        )
        .join(Resident, Resident.id == Task.resident_id)
        .join(User, User.id == Task.assignee_id)
        .where(
            Task.status.in_(OPEN_TASK_STATUSES),
            or_(Task.due_on < today, Task.priority == "urgent"),
        )
        .order_by(Task.unit_id, Task.due_on, Task.id)
        .limit(DIGEST_MAX_TASKS + 1)
    )
    return db.session.execute(scope.filter(query, Task.unit_id)).all()


def task_lines(scope: Scope, names: dict, today) -> list[str]:
    """The follow-up tasks a supervisor should act on today: overdue, and urgent."""
    tasks = _escalated_tasks(scope, today)
    if not tasks:
        return []
    lines = ["Follow-up tasks overdue or urgent 逾期或紧急的跟进任务"]
    by_unit: dict[str, list[str]] = defaultdict(list)
    for unit_id, title, priority, due_on, resident, assignee in tasks[:DIGEST_MAX_TASKS]:
        marks = []
        if due_on < today:
            marks.append(f"overdue 逾期 {(today - due_on).days} d")
        if priority == "urgent":
            marks.append("urgent 紧急")
        by_unit[names.get(unit_id, "?")].append(
            f"    {resident}: {title} (due {due_on.isoformat()}, {assignee}; {', '.join(marks)})"
        )
    for unit, items in sorted(by_unit.items()):
        lines += [f"  {unit}", *items]
    if len(tasks) > DIGEST_MAX_TASKS:
        lines.append("  … more in the app 更多见应用")
    return [*lines, ""]


def _claim(user_id, day, email: str, alerts: int) -> bool:
    """Claim today's digest for this supervisor, committed: False if it is claimed already.

    The exception to the commit rule: the e-mail that follows cannot be rolled back, so the
    claim must be committed before it goes, or a second scheduler could send it too."""
    # RETURNING, not rowcount: psycopg reports -1 for an INSERT ... ON CONFLICT DO NOTHING.
    claimed = db.session.execute(
        insert_or_on_conflict(DigestSent)
        .values(user_id=user_id, day=day, email=email, alerts=alerts)
        .on_conflict_do_nothing(index_elements=["user_id", "day"])
        .returning(DigestSent.id)
    ).scalar_one_or_none()
    db.session.commit()
    return claimed is not None


def _send(settings: dict, message: EmailMessage) -> None:
    security = settings["security"]
    if security == "ssl":
        client = smtplib.SMTP_SSL(
            settings["host"], settings["port"], timeout=30, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(settings["host"], settings["port"], timeout=30)
    with client:
        if security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings["user"]:
            client.login(settings["user"], settings["password"] or "")
        client.send_message(message)


def send_digests(now: datetime) -> dict:
    """Send each supervisor with an address today's digest, unless it was sent already.

    Commits each claim before its e-mail and each dropped claim after a failed send (see
    _claim): the caller's session is committed by this call."""
    settings = smtp_settings()
    if settings is None:
        return {"sent": 0, "skipped": "SMTP is not configured (ROUNDS_SMTP_HOST)"}
    day = today_in(current_app.config["TIMEZONE"], now)
    supervisors = db.session.scalars(
        select(User).where(User.role == SUPERVISOR, User.active.is_(True))
    ).all()
    sent, failures = 0, []
    for user in supervisors:
        address = recipient_address(user)
        if address is None:
            continue
        body, count = compose(user, now)
        if not _claim(user.id, day, address, count):
            continue
        message = EmailMessage()
        message["From"], message["To"] = settings["sender"], address
        message["Subject"] = f"Rounds daily digest {day.isoformat()}: {count} open alerts"
        message.set_content(body)
        try:
            _send(settings, message)
            sent += 1
        except (OSError, smtplib.SMTPException) as error:
            db.session.execute(
                delete(DigestSent).where(DigestSent.user_id == user.id, DigestSent.day == day)
            )
            db.session.commit()  # the claim dropped at once, so the next try may send
            failures.append(f"{user.username}: {error}")
    if failures:
        raise RuntimeError(f"sent {sent}; failed: " + "; ".join(failures))
    return {"sent": sent, "day": day.isoformat()}
