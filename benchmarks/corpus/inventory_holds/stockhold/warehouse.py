"""Stock levels and the holds placed against them."""

from itertools import count

from .errors import HoldNotFound, OutOfStock
from .holds import CONFIRMED, HELD, RELEASED, Hold, default_ttl


class Warehouse:
    def __init__(self, clock):
        self.clock = clock  # a callable returning the current datetime
        self.on_hand = {}
        self.holds = {}
        self._ids = count(1)

    def receive(self, sku, quantity):
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self.on_hand[sku] = self.on_hand.get(sku, 0) + quantity

    def held(self, sku):
        now = self.clock()
        return sum(h.quantity for h in self.holds.values() if h.sku == sku and h.is_active(now))

    def available(self, sku):
        return self.on_hand.get(sku, 0) - self.held(sku)

    def reserve(self, sku, quantity, cart, ttl=None):
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        available = self.available(sku)
        if quantity > available:
            raise OutOfStock(sku, quantity, available)
        hold = Hold(next(self._ids), sku, quantity, cart, self.clock() + (ttl or default_ttl()))
        self.holds[hold.id] = hold
        return hold.id

    def _hold(self, hold_id):
        try:
            return self.holds[hold_id]
        except KeyError:
            raise HoldNotFound(hold_id) from None

    def release(self, hold_id):
        hold = self._hold(hold_id)
        if hold.state == HELD:
            hold.state = RELEASED

    def confirm(self, hold_id):
        """Turn an active hold into a sale: the units leave the warehouse."""
        hold = self._hold(hold_id)
        if not hold.is_active(self.clock()):
            raise ValueError(f"hold {hold_id} has expired or was released")
        hold.state = CONFIRMED
        self.on_hand[hold.sku] -= hold.quantity

    def release_cart(self, cart):
        for hold in self.holds.values():
            if hold.cart == cart:
                self.release(hold.id)

    def extend(self, hold_id, ttl=None):
        self._hold(hold_id).extend(self.clock(), ttl or default_ttl())
