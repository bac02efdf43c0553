"""Forms collect fields declared as class attributes."""

from .fields import Field


class Form:
    def __init__(self, data):
        self.data = {k: v if isinstance(v, list) else [v] for k, v in data.items()}
        self.cleaned = {}
        self.errors = {}

    @classmethod
    def fields(cls):
        found = {}
        for klass in reversed(cls.__mro__):
            found.update({k: v for k, v in vars(klass).items() if isinstance(v, Field)})
        return found

    def is_valid(self):
        self.cleaned, self.errors = {}, {}
        for name, field in self.fields().items():
            value, error = field.clean(name, self.data.get(name, []))
            if error:
                self.errors[name] = error
            elif value is not None:
                self.cleaned[name] = value
        return not self.errors
