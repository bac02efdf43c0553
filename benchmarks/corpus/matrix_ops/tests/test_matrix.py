import pytest

from smallmat import Matrix, determinant, identity, power, trace

A = Matrix([[1, 2], [3, 4]])


def test_transpose():
    assert A.transpose() == Matrix([[1, 3], [2, 4]])


def test_add_and_scale():
    assert A + A == A.scale(2)


def test_ragged_rejected():
    with pytest.raises(ValueError):
        Matrix([[1, 2], [3]])


def test_trace_and_determinant():
    assert trace(A) == 5
    assert determinant(A) == -2
    assert determinant(Matrix([[2, 0, 1], [1, 3, 2], [1, 1, 2]])) == 6


def test_product():
    assert A @ Matrix([[0, 1], [1, 0]]) == Matrix([[2, 1], [4, 3]])


def test_shape_mismatch():
    with pytest.raises(ValueError):
        A @ Matrix([[1, 2, 3]])


def test_power_zero_is_identity():
    assert power(A, 0) == identity(2)


def test_fibonacci_power():
    fib = Matrix([[1, 1], [1, 0]])
    assert power(fib, 10)[0, 1] == 55
