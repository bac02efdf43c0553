"""Field types. A submitted value is always a list of strings (multi-value form fields)."""

import re

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


class Field:
    def __init__(self, required=False, label=None):
        self.required = required
        self.label = label

    def is_filled(self, values):
        return all(v.strip() for v in values)

    def convert(self, value):
        return value.strip()

    def clean(self, name, values):
        """Return (value, error). Missing optional fields give (None, None)."""
        if not self.is_filled(values):
            if self.required:
                return None, f"{self.label or name} is required"
            return None, None
        first = next(v for v in values if v.strip())
        try:
            return self.convert(first), None
        except ValueError as exc:
            return None, f"{self.label or name}: {exc}"


class Email(Field):
    def convert(self, value):
        value = value.strip()
        if not _EMAIL.match(value):
            raise ValueError("not a valid e-mail address")
        return value.lower()


class Integer(Field):
    def __init__(self, required=False, label=None, minimum=None, maximum=None):
        super().__init__(required, label)
        self.minimum, self.maximum = minimum, maximum

    def convert(self, value):
        number = int(value.strip())
        if self.minimum is not None and number < self.minimum:
            raise ValueError(f"must be at least {self.minimum}")
        if self.maximum is not None and number > self.maximum:
            raise ValueError(f"must be at most {self.maximum}")
        return number
