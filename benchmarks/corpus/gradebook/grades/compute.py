"""Weighted averages."""

from collections import defaultdict


def category_percentages(course, student):
    """category -> percent earned (missing work counts as zero)."""
    earned, possible = defaultdict(float), defaultdict(float)
    for a in course.assignments:
        earned[a.category] += course.scores.get((student, a.name), 0.0)
        possible[a.category] += a.points
    return {c: 100 * earned[c] / possible[c] for c in possible if possible[c]}


def weighted_average(course, student):
    """Final percentage, re-normalising the weights over the categories that have assignments."""
    percentages = category_percentages(course, student)
    total_weight = sum(course.weights[c] for c in percentages)
    score = 0.0
    for a in course.assignments:
        if a.category in percentages:
            share = course.weights[a.name] / total_weight
            score += share * percentages[a.category] / _count(course, a.category)
    return round(score, 2)


def _count(course, category):
    return sum(1 for a in course.assignments if a.category == category)
