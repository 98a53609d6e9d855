"""What the app factory does to the process it runs in."""

import gc

from server import create_app
from tests.conftest import TestConfig


def test_a_served_app_leaves_its_objects_out_of_full_collections(database_url):
    """Frozen after loading, so a full collection walks only what requests leave behind."""
    gc.unfreeze()
    config = TestConfig(database_url)
    config.TESTING = False
    config.PUBLIC_URL = "https://rounds.example.org"  # served: required outside development
    try:
        create_app(config)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_test_apps_leave_the_collector_alone(app):
    """Tests build an app each: frozen, their cycles would never be collected."""
    assert app.testing
    assert gc.get_freeze_count() == 0
