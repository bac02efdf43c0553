"""A policy is a list of rules that must all hold."""

from .rules import has_digit, has_symbol, has_upper, min_length, not_in

COMMON = ["password", "Password1!", "letmein", "qwerty123", "Welcome1!"]


class Policy:
    def __init__(self, rules):
        self.rules = list(rules)

    def problems(self, password):
        return [msg for msg in (rule(password) for rule in self.rules) if msg]

    def accepts(self, password):
        return any(rule(password) is None for rule in self.rules)

    def strength(self, password):
        """0..100: the share of rules satisfied, plus a bonus for length."""
        if not self.rules:
            return 100
        ok = sum(rule(password) is None for rule in self.rules)
        bonus = min(20, max(0, len(password) - 12) * 2)
        return min(100, round(80 * ok / len(self.rules)) + bonus)


def default_policy():
    return Policy([min_length(10), has_digit, has_upper, has_symbol, not_in(COMMON)])
