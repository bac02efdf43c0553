import pytest

from standings import RUGBY_LIKE, GroupStage, LeagueTable


def test_points_and_counts():
    table = LeagueTable(["Ajax", "PSV"])
    table.record("Ajax", "PSV", 2, 1)
    table.record("PSV", "Ajax", 0, 0)
    ajax, psv = table.standings()
    assert (ajax.team, ajax.played, ajax.won, ajax.drawn, ajax.points) == ("Ajax", 2, 1, 1, 4)
    assert (psv.team, psv.lost, psv.difference) == ("PSV", 1, -1)


def test_goal_difference_breaks_ties():
    table = LeagueTable(["A", "B", "C"])
    table.record("A", "C", 3, 0)
    table.record("B", "C", 1, 0)
    assert [r.team for r in table.standings()] == ["A", "B", "C"]


def test_alphabetical_when_fully_level():
    table = LeagueTable(["Zeta", "Alpha"])
    table.record("Zeta", "Alpha", 1, 1)
    assert [r.team for r in table.standings()] == ["Alpha", "Zeta"]


def test_other_points_system():
    table = LeagueTable(["Lions", "Tigers"], system=RUGBY_LIKE)
    table.record("Lions", "Tigers", 20, 20)
    assert [r.points for r in table.standings()] == [2, 2]


def test_unknown_team_and_self_match():
    table = LeagueTable(["A", "B"])
    with pytest.raises(KeyError):
        table.record("A", "X", 1, 0)
    with pytest.raises(ValueError):
        table.record("A", "A", 1, 0)


def test_render():
    table = LeagueTable(["Rovers", "United"])
    table.record("Rovers", "United", 2, 0)
    assert table.render().splitlines()[1:] == [
        " 1 Rovers        1  1  0  0   +2    3",
        " 2 United        1  0  0  1   -2    0",
    ]


def group_b():
    group = GroupStage("B", ["Spain", "Italy", "Croatia", "Albania"])
    group.record("Spain", "Croatia", 3, 0)
    group.record("Italy", "Albania", 2, 1)
    group.record("Croatia", "Albania", 2, 0)
    group.record("Spain", "Italy", 0, 1)
    group.record("Spain", "Albania", 0, 1)
    group.record("Croatia", "Italy", 1, 1)
    return group


def test_group_completion():
    group = group_b()
    assert group.is_complete()
    assert not GroupStage("A", ["X", "Y"]).is_complete()


def test_group_leader():
    assert group_b().qualifiers()[0] == "Italy"


def test_head_to_head_beats_goal_difference():
    group = group_b()
    spain, albania = group.rows["Spain"], group.rows["Albania"]
    assert spain.points == albania.points == 3
    assert spain.difference > albania.difference
    assert [r.team for r in group.standings()] == ["Italy", "Croatia", "Albania", "Spain"]


def test_head_to_head_level_falls_back_to_goal_difference():
    group = GroupStage("C", ["P", "Q", "R"])
    group.record("P", "Q", 1, 1)
    group.record("P", "R", 4, 0)
    group.record("Q", "R", 1, 0)
    assert group.qualifiers() == ["P", "Q"]
