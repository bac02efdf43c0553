"""Accounts hold a balance in cents and a journal of entries."""

from dataclasses import dataclass, field


class InsufficientFunds(Exception):
    pass


@dataclass
class Entry:
    amount: int  # cents, positive = credit
    memo: str


@dataclass
class Account:
    number: str
    owner: str
    overdraft_limit: int = 0
    balance: int = 0
    journal: list = field(default_factory=list)

    def credit(self, amount, memo):
        if amount <= 0:
            raise ValueError("credit must be positive")
        self.balance += amount
        self.journal.append(Entry(amount, memo))

    def debit(self, amount, memo):
        if amount <= 0:
            raise ValueError("debit must be positive")
        if self.balance - amount < -self.overdraft_limit:
            raise InsufficientFunds(f"{self.number}: balance {self.balance}, debit {amount}")
        self.balance -= amount
        self.journal.append(Entry(-amount, memo))
