from dataclasses import dataclass, field


@dataclass(frozen=True)
class OrderLine:
    sku: str
    quantity: int
    unit_price: float


@dataclass
class Order:
    customer: str
    country: str
    lines: list = field(default_factory=list)
    coupon: str = ""


@dataclass
class Receipt:
    order: Order
    subtotal: float
    discount: float
    shipping: float
    total: float
    reserved: dict
