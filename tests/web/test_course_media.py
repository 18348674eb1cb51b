"""A course ships its images in its own folder: COURSE_DIR/media/, served at /media/<file>."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import FIXTURE_COURSE


def test_a_course_image_is_served_from_its_media_folder(client: FlaskClient) -> None:
    with client.get("/media/schema.png") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/png"
        assert response.data == (FIXTURE_COURSE / "media" / "schema.png").read_bytes()
        assert "max-age=3600" in response.headers["Cache-Control"]


def test_a_missing_image_or_a_file_outside_the_folder_is_not_found(client: FlaskClient) -> None:
    missing = client.get("/media/nope.png")
    assert missing.status_code == 404
    assert "introuvable" in missing.text.lower() or "n'existe pas" in missing.text
    for path in ("/media/../modules/course.md", "/media/%2e%2e/modules/course.md"):
        assert client.get(path).status_code == 404
