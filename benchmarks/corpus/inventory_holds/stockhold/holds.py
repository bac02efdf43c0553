"""A reservation of some units of one SKU for a cart, valid until it expires."""

from dataclasses import dataclass
from datetime import timedelta

HELD, CONFIRMED, RELEASED = "held", "confirmed", "released"


@dataclass
class Hold:
    id: int
    sku: str
    quantity: int
    cart: str
    expires_at: object
    state: str = HELD

    def is_active(self, now):
        """Whether the hold still blocks stock."""
        return self.state == HELD or now < self.expires_at

    def extend(self, now, ttl):
        if not self.is_active(now):
            raise ValueError(f"hold {self.id} is no longer active")
        self.expires_at = max(self.expires_at, now + ttl)


def default_ttl():
    return timedelta(minutes=15)
