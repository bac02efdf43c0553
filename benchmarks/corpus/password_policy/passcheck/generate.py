"""Suggest a password that satisfies the default policy."""

import random
import string

from .policy import default_policy

ALPHABET = string.ascii_letters + string.digits + "-_!?#%"


def suggest(length=14, rng=None, policy=None, tries=100):
    """Random passwords until one is accepted; deterministic when `rng` is seeded."""
    rng = rng or random.SystemRandom()
    policy = policy or default_policy()
    for _ in range(tries):
        candidate = "".join(rng.choice(ALPHABET) for _ in range(length))
        if policy.accepts(candidate):
            return candidate
    raise RuntimeError("could not generate an acceptable password")


def mask(password, visible=2):
    """'Tr4mpoline' -> 'Tr********'."""
    return password[:visible] + "*" * max(0, len(password) - visible)
