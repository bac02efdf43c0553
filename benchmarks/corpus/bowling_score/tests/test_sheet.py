import pytest

from tenpin import ScoreSheet
from tenpin.frames import InvalidRolls


def sheet(*rolls):
    return ScoreSheet("Ana").roll(*rolls)


def test_gutter_game():
    assert sheet(*[0] * 20).total == 0


def test_all_ones():
    assert sheet(*[1] * 20).total == 20


def test_one_spare():
    assert sheet(5, 5, 3, *[0] * 17).total == 16


def test_one_strike():
    assert sheet(10, 3, 4, *[0] * 16).total == 24


def test_perfect_game():
    game = sheet(*[10] * 12)
    assert game.total == 300
    assert game.complete


def test_spare_in_the_tenth_frame():
    game = sheet(*[0] * 18, 7, 3, 5)
    assert game.total == 15
    assert game.complete


def test_strike_then_spare_in_the_tenth():
    game = sheet(*[3, 4] * 9, 10, 6, 4)
    assert game.total == 63 + 20


def test_open_tenth_frame_has_no_bonus():
    assert sheet(*[4, 4] * 10).complete


def test_game_in_progress():
    game = sheet(10, 7, 2, 6)
    assert game.total == 28
    assert not game.complete


def test_strike_waits_for_bonus():
    assert sheet(10, 4).total == 0


def test_render_marks():
    line = sheet(10, 7, 3, 9, 0, 0, 4).render()
    assert line == "Ana: [X    |  20] [7 /  |  39] [9 -  |  48] [- 4  |  52]"


def test_too_many_pins_in_a_frame():
    with pytest.raises(InvalidRolls):
        sheet(6, 5).total


def test_negative_roll():
    with pytest.raises(InvalidRolls):
        sheet(3, -1).total
