"""A small arithmetic expression language: lexer, parser and evaluator."""

from .errors import CalcSyntaxError
from .evaluate import evaluate

__all__ = ["CalcSyntaxError", "evaluate"]
