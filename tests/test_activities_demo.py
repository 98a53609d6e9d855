"""The demo institution's group activities: each with residents attending and its photo on
disk, shown in the office's list."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from server.models import Activity
from server.platform.extensions import db


def test_the_demo_holds_activities_with_attendees_and_photos(app, api):
    result = app.test_cli_runner().invoke(args=["demo-data", "--visits"])
    assert result.exit_code == 0, result.output
    activities = db.session.scalars(select(Activity)).all()
    assert len(activities) >= 4
    assert {a.type_code for a in activities} >= {"birthday", "tai_chi", "festival"}
    media = Path(app.config["MEDIA_DIR"])
    for activity in activities:
        assert activity.attendees
        assert {a.identified_by for a in activity.attendees} <= {"qr", "manual"}
        [photo] = activity.photos
        assert (media / photo.storage_key).is_file()
