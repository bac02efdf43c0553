"""Exchange-rate tables quoted against one base currency."""

from decimal import Decimal


class UnknownCurrency(KeyError):
    pass


class RateTable:
    """`per_base[c]` is how many units of currency c one unit of the base buys."""

    def __init__(self, base, per_base):
        self.base = base
        self.per_base = {c: Decimal(str(v)) for c, v in per_base.items()}
        self.per_base[base] = Decimal("1")

    def rate(self, source, target):
        """Units of `target` that one unit of `source` buys."""
        for code in (source, target):
            if code not in self.per_base:
                raise UnknownCurrency(code)
        return self.per_base[target] / self.per_base[source]

    @classmethod
    def parse(cls, text):
        """Parse lines like `EUR/USD 1.10` (one base currency throughout; '#' starts a comment)."""
        base, rates = None, {}
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            pair, value = line.split()
            left, right = pair.split("/")
            if base not in (None, left):
                raise ValueError(f"mixed base currencies: {base} and {left}")
            base = left
            rates[right] = value
        if base is None:
            raise ValueError("no rates given")
        return cls(base, rates)
