import pytest

from ledgerbank.accounts import InsufficientFunds
from ledgerbank.bank import Bank, UnknownAccount
from ledgerbank.statement import cents, statement


@pytest.fixture
def bank():
    b = Bank()
    b.open("DE01", "Ana")
    b.open("DE02", "Ben", overdraft_limit=5000)
    b.deposit("DE01", 10_000)
    return b


def test_cents():
    assert cents(12345) == "123.45" and cents(-5) == "-0.05"


def test_deposit(bank):
    assert bank.account("DE01").balance == 10_000


def test_unknown_account(bank):
    with pytest.raises(UnknownAccount):
        bank.deposit("XX99", 100)


def test_transfer_moves_money(bank):
    bank.transfer("DE01", "DE02", 2_500)
    assert bank.account("DE01").balance == 7_500
    assert bank.account("DE02").balance == 2_500


def test_overdraft_refused(bank):
    with pytest.raises(InsufficientFunds):
        bank.transfer("DE01", "DE02", 10_001)
    assert bank.account("DE02").balance == 0


def test_total_deposits_unchanged_by_transfer(bank):
    bank.transfer("DE01", "DE02", 4_000)
    assert bank.total_deposits() == 10_000


def test_statement_of_receiver(bank):
    bank.transfer("DE01", "DE02", 1_000, memo="rent")
    assert statement(bank.account("DE02")).splitlines()[1].split() == ["rent", "from", "DE01", "10.00", "10.00"]
