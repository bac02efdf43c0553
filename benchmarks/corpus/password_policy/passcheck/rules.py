"""Individual password rules. Each returns an error message or None."""

import string


def min_length(n):
    def rule(pw):
        return None if len(pw) >= n else f"must be at least {n} characters"
    rule.__name__ = f"min_length_{n}"
    return rule


def has_digit(pw):
    return None if any(c.isdigit() for c in pw) else "must contain a digit"


def has_upper(pw):
    return None if any(c.isupper() for c in pw) else "must contain an upper-case letter"


def has_symbol(pw):
    return None if any(c in string.punctuation for c in pw) else "must contain a symbol"


def not_in(words):
    banned = {w.lower() for w in words}

    def rule(pw):
        return "is too common" if pw.lower() in banned else None
    return rule
