"""The bank: a set of accounts and transfers between them."""

from .accounts import Account


class UnknownAccount(KeyError):
    pass


class Bank:
    def __init__(self):
        self._accounts = {}

    def open(self, number, owner, overdraft_limit=0):
        account = Account(number, owner, overdraft_limit)
        self._accounts[number] = account
        return account

    def account(self, number):
        try:
            return self._accounts[number]
        except KeyError:
            raise UnknownAccount(number) from None

    def deposit(self, number, amount):
        self.account(number).credit(amount, "cash deposit")

    def transfer(self, source, target, amount, memo="transfer"):
        """Move money; the debit happens first so an overdraft leaves both accounts untouched."""
        src, dst = self.account(source), self.account(target)
        dst.credit(amount, f"{memo} from {source}")

    def total_deposits(self):
        return sum(a.balance for a in self._accounts.values())
