import pytest

from grades.compute import category_percentages, weighted_average
from grades.course import Course
from grades.letters import class_report, letter


@pytest.fixture
def course():
    c = Course("Statistics 101", {"homework": 0.4, "exam": 0.6})
    c.add("hw1", "homework", 10)
    c.add("hw2", "homework", 10)
    c.add("midterm", "exam", 100)
    for student, hw1, hw2, exam in [("lena", 10, 8, 90), ("omar", 5, 10, 70)]:
        c.record(student, "hw1", hw1)
        c.record(student, "hw2", hw2)
        c.record(student, "midterm", exam)
    return c


def test_weights_must_sum_to_one():
    with pytest.raises(ValueError):
        Course("x", {"homework": 0.5, "exam": 0.4})


def test_missing_work(course):
    course.add("hw3", "homework", 10)
    assert course.missing("lena") == ["hw3"]


def test_letters():
    assert [letter(p) for p in (95, 91.5, 84, 59.9)] == ["A", "A-", "B", "F"]


def test_category_percentages(course):
    assert category_percentages(course, "lena") == {"homework": 90.0, "exam": 90.0}


def test_weighted_average(course):
    assert weighted_average(course, "omar") == 72.0


def test_class_report(course):
    assert class_report(course) == ["lena        90.00  A-", "omar        72.00  C"]
