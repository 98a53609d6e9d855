"""The offices' staff lists and documents in the demo: a head with a qualification (the first
office's changed heads last spring), a full-time social worker from the office's supervisors,
volunteers (one who left the year before), and this year's annual plan as a PDF, stored
through the same code the office screen's upload calls. The first office meets the team rule;
any other lacks its full-time social worker, so the office screen shows a ✗ too."""

from __future__ import annotations

import io
from datetime import date, datetime

from PIL import Image, ImageDraw
from sqlalchemy import select

from server.models import OFFICE, OfficeStaff, Organisation, User
from server.models.core import ADMIN, SUPERVISOR
from server.offices import documents, staff
from server.people.audit import Actor
from server.platform.clock import local_date
from server.platform.extensions import db


def _plan_pdf(office: str, year: int) -> bytes:
    """A one-page PDF that says what it is (Pillow's own font: Latin letters only)."""
    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    draw.text((60, 80), f"Annual work plan {year}", fill="black")
    draw.text((60, 110), f"Office: {office.encode('ascii', 'replace').decode()}", fill="black")
    for n, line in enumerate(
        ["Monthly reception day", "One activity a month", "Home visits as the rules ask"]
    ):
        draw.text((60, 160 + 24 * n), f"{n + 1}. {line}", fill="black")
    buffer = io.BytesIO()
    page.save(buffer, "PDF")
    return buffer.getvalue()


def _staff_of(actor: Actor, office: Organisation, year: int, complete: bool) -> list[OfficeStaff]:
    made = []

    def add(**fields) -> None:
        made.append(staff.add_staff(actor, office.id, fields))

    if complete:
        add(
            name="赵敏",
            position="head",
            qualification="社会工作者职业水平证书（中级）",
            certificate_no="Z2019-0231",
            phone="0577-8800 0001",
            introduction="社会工作师，擅长老年个案与家庭辅导",
            started_on=date(year - 3, 1, 1),
            ended_on=date(year - 1, 3, 31),
        )
    add(
        name="王芳",
        position="head",
        qualification="社会工作专业本科",
        certificate_no="",
        phone="0577-8800 0002",
        introduction="助理社会工作师，擅长团体活动与志愿者管理",
        started_on=date(year - 1, 4, 1) if complete else date(year - 2, 1, 1),
    )
    supervisor = db.session.scalars(
        select(User)
        .where(User.organisation_id == office.id, User.role == SUPERVISOR, User.active)
        .order_by(User.username)
        .limit(1)
    ).first()
    if complete and supervisor is not None:
        add(
            user_id=supervisor.id,
            position="fulltime",
            qualification="助理社会工作师",
            phone=supervisor.phone or "",
            introduction="心理疏导、个案管理",
            started_on=date(year - 2, 9, 1),
        )
    add(
        name="李阿姨 Volunteer Li",
        position="volunteer",
        introduction="手工、读报",
        started_on=date(year - 1, 5, 1),
    )
    add(
        name="陈同学 Volunteer Chen",
        position="volunteer",
        introduction="陪伴聊天、智能手机教学",
        started_on=date(year, 1, 10),
    )
    add(
        name="刘师傅 Volunteer Liu",
        position="volunteer",
        introduction="理发",
        started_on=date(year - 2, 3, 1),
        ended_on=date(year - 2, 12, 31),
    )
    return made


def keep_demo_office_facts(zone: str, now: datetime) -> dict:
    """Each office's staff list and this year's annual plan; nothing for an office that has
    its staff list already."""
    year = local_date(now, zone).year
    admin = db.session.scalars(
        select(User).where(User.role == ADMIN).order_by(User.username).limit(1)
    ).first()
    if admin is None:
        return {"staff": 0, "documents": 0}
    actor = Actor(user=admin)
    offices = db.session.scalars(
        select(Organisation).where(Organisation.kind == OFFICE).order_by(Organisation.created_at)
    ).all()
    done = {"staff": 0, "documents": 0}
    for n, office in enumerate(offices):
        if db.session.scalar(select(OfficeStaff.id).where(OfficeStaff.office_id == office.id)):
            continue
        done["staff"] += len(_staff_of(actor, office, year, complete=n == 0))
        documents.store_document(
            actor,
            office.id,
            kind="annual_plan",
            year=year,
            title=f"{year}年度工作计划 Annual work plan {year}",
            file_name=f"{year}年度工作计划.pdf",
            content_type="application/pdf",
            data=_plan_pdf(office.name, year),
            dated_on=date(year, 1, 15),
        )
        done["documents"] += 1
    return done
