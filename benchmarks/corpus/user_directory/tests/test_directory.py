import pytest

from directory.importer import load_csv
from directory.models import User
from directory.render import group_recipients, reply_greeting
from directory.store import Directory, DuplicateUser


@pytest.fixture
def people():
    return Directory([
        User("mkowalski", "Marta.Kowalski@example.org", "Marta", "Kowalski", {"ops"}),
        User("jdoe", "jdoe@example.org", "", "", {"ops", "dev"}),
        User("old", "old@example.org", "Old", "Account", {"ops"}, active=False),
    ])


def test_load_csv():
    users = load_csv("username,email,first,last,groups,active\nap,ap@example.org,Ana,Pires,dev; ops,no\n")
    assert users[0].groups == {"dev", "ops"}
    assert users[0].active is False


def test_duplicate(people):
    with pytest.raises(DuplicateUser):
        people.add(User("jdoe", "other@example.org", "J", "Doe"))


def test_get(people):
    assert people.get("jdoe").email == "jdoe@example.org"


def test_group_recipients(people):
    assert group_recipients(people, "ops") == "jdoe <jdoe@example.org>, Marta Kowalski <Marta.Kowalski@example.org>"


def test_reply_to_stranger(people):
    assert reply_greeting(people, "nobody@example.net") == "Hello,"


def test_reply_to_known_sender(people):
    assert reply_greeting(people, "  marta.kowalski@EXAMPLE.org") == "Dear Marta Kowalski,"
