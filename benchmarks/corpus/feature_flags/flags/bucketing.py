"""Stable assignment of users to rollout buckets."""

import hashlib


def bucket(flag_name, user_id, buckets=100):
    """A number in [0, buckets) that is stable for (flag, user)."""
    digest = hashlib.sha256(f"{flag_name}:{user_id}".encode()).hexdigest()
    return int(digest[:8], 16) % buckets


def in_rollout(flag_name, user_id, percent):
    if percent <= 0:
        return False
    if percent >= 100:
        return True
    return bucket(flag_name, user_id) < percent
