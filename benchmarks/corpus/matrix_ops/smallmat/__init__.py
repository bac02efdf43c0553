"""Small dense matrices in pure Python."""

from .matrix import Matrix, identity
from .algorithms import determinant, power, trace

__all__ = ["Matrix", "identity", "determinant", "power", "trace"]
