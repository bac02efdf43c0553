from datetime import datetime

import pytest

from agenda.events import Event
from agenda.rooms import DoubleBooking, RoomCalendar

NINE = datetime(2024, 9, 16, 9, 0)


def at(hour, minute=0):
    return NINE.replace(hour=hour, minute=minute)


@pytest.fixture
def room():
    r = RoomCalendar("Ada", capacity=6)
    r.add(Event.lasting("Standup", at(9), 15))
    r.add(Event.lasting("Design review", at(11), 60))
    return r


def test_back_to_back_is_allowed(room):
    room.add(Event.lasting("Planning", at(9, 15), 45))
    assert len(room) == 3


def test_overlap_inside_is_refused(room):
    with pytest.raises(DoubleBooking):
        room.add(Event.lasting("1:1", at(11, 30), 30))


def test_overlap_across_start_is_refused(room):
    with pytest.raises(DoubleBooking):
        room.add(Event.lasting("Interview", at(10, 30), 60))


def test_capacity(room):
    with pytest.raises(ValueError):
        room.add(Event.lasting("All hands", at(14), 60), attendees=40)


def test_free_slots(room):
    assert room.free_slots(at(9), at(13)) == [(at(9, 15), at(11)), (at(12), at(13))]


def test_invalid_event():
    with pytest.raises(ValueError):
        Event("Oops", at(10), at(9))
