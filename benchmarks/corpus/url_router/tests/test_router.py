import pytest

from minirouter import NotFound, Router
from minirouter.paths import normalize

app = Router()


@app.route("GET", "/users/<int:user_id>")
def show_user(user_id):
    return f"user {user_id}"


@app.route("GET", "/files/<path:rest>")
def show_file(rest):
    return f"file {rest}"


@app.route("GET", "/tags/<name>")
def show_tag(name):
    return f"tag {name}"


def test_int_param():
    assert app.dispatch("GET", "/users/42?tab=posts") == "user 42"


def test_normalize_slashes():
    assert normalize("//users//7/") == "/users/7"
    assert normalize("") == "/"


def test_path_param():
    assert app.dispatch("get", "/files/docs/readme.md") == "file docs/readme.md"


def test_method_mismatch():
    with pytest.raises(NotFound):
        app.dispatch("POST", "/users/1")


def test_encoded_tag():
    assert app.dispatch("GET", "/tags/caf%C3%A9") == "tag café"


def test_bad_converter():
    with pytest.raises(ValueError):
        Router().add("GET", "/x/<uuid:id>", print)
