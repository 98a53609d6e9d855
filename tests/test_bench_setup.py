"""The benchmarks build the app as production does, so `make bench` must keep starting."""

from bench.common import database, make_app
from bench.sync_ingest import _seed


def test_the_benchmarks_app_starts_with_the_settings_production_requires(tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/bench.db")
    assert app.config["PUBLIC_URL"].startswith("http://127.0.0.1")
    assert app.config["PASSWORD_HASH_FAST"] is True


def test_the_ingest_benchmark_seeds_its_residents_through_the_domain_code(monkeypatch, tmp_path):
    monkeypatch.setenv("ROUNDS_INSTANCE_DIR", str(tmp_path))  # database() would set it for good
    with database("sqlite") as url:
        app = make_app(url)
        assert len(_seed(app, 3)) == 3
        with app.app_context():
            from server.platform.extensions import db

            db.engine.dispose()
