"""Letter grades and the class report."""

from .compute import weighted_average

SCALE = [(93, "A"), (90, "A-"), (87, "B+"), (83, "B"), (80, "B-"), (77, "C+"), (70, "C"), (60, "D"), (0, "F")]


def letter(percent):
    for cutoff, grade in SCALE:
        if percent >= cutoff:
            return grade
    return "F"


def class_report(course):
    rows = [(s, weighted_average(course, s)) for s in course.students()]
    return [f"{s:<10}{p:>7.2f}  {letter(p)}" for s, p in sorted(rows, key=lambda r: -r[1])]
