"""The app page, the QR landing address and security headers."""


def test_qr_address_reveals_nothing_about_the_token(app, client, resident_a, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>Rounds</title>")
    app.config["PWA_DIST"] = str(tmp_path)
    valid = client.get(f"/r/{resident_a['qr_token']}")
    invalid = client.get("/r/not-a-real-token")
    assert valid.status_code == invalid.status_code == 200
    assert valid.data == invalid.data
    assert resident_a["name"].encode() not in valid.data


def test_client_routes_get_the_app_page_and_assets_are_cached(app, client, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>Rounds</title>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app-1234.js").write_text("console.log(1)")
    app.config["PWA_DIST"] = str(tmp_path)
    assert b"Rounds" in client.get("/roster").data
    asset = client.get("/assets/app-1234.js")
    assert "immutable" in asset.headers["Cache-Control"]
    assert client.get("/missing.js").status_code == 404


def test_strict_security_headers_on_every_answer(client):
    answer = client.get("/healthz")
    csp = answer.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"


def test_unbuilt_app_says_how_to_build_it(app, client, tmp_path):
    app.config["PWA_DIST"] = str(tmp_path / "nowhere")
    answer = client.get("/")
    assert answer.status_code == 503
    assert "make" in answer.json["detail"]


def test_app_files_are_gzipped_for_clients_that_accept_it(app, client, tmp_path):
    import gzip

    (tmp_path / "assets").mkdir()
    script = "const roster = [];\n" * 200
    (tmp_path / "assets" / "main-1.js").write_text(script)
    app.config["PWA_DIST"] = str(tmp_path)
    answer = client.get("/assets/main-1.js", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(answer.data).decode() == script
