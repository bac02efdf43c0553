"""Validation of the sign-up form's password fields."""

from .policy import default_policy


def validate_signup(password, confirmation, policy=None):
    """Return {field: [messages]} for the fields with problems; empty when all is well."""
    policy = policy or default_policy()
    errors = {}
    if password != confirmation:
        errors["confirmation"] = ["does not match"]
    if not policy.accepts(password):
        errors["password"] = policy.problems(password)
    return errors
