"""Recursive-descent evaluation with the usual precedence; ** is right-associative."""

import operator

from .errors import CalcSyntaxError
from .lexer import Lexer

BINARY = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow,
}


class _Parser:
    def __init__(self, text, names):
        self.toks = Lexer(text).tokens()
        self.i = 0
        self.names = names

    def peek(self):
        return self.toks[self.i]

    def take(self):
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expr(self):
        value = self.term()
        while self.peek()[1] in ("+", "-"):
            value = BINARY[self.take()[1]](value, self.term())
        return value

    def term(self):
        value = self.factor()
        while self.peek()[1] in ("*", "/", "//", "%"):
            value = BINARY[self.take()[1]](value, self.factor())
        return value

    def factor(self):
        if self.peek()[1] == "-":
            self.take()
            return -self.factor()
        base = self.atom()
        if self.peek()[1] == "**":
            self.take()
            return base ** self.factor()
        return base

    def atom(self):
        kind, text, pos = self.take()
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind == "name":
            if text not in self.names:
                raise CalcSyntaxError(f"unknown name {text!r}", pos)
            return self.names[text]
        if text == "(":
            value = self.expr()
            if self.take()[1] != ")":
                raise CalcSyntaxError("missing ')'", pos)
            return value
        raise CalcSyntaxError("unexpected end of input" if kind == "end" else f"unexpected {text!r}", pos)


def evaluate(text, **names):
    parser = _Parser(text, names)
    value = parser.expr()
    kind, text_, pos = parser.peek()
    if kind != "end":
        raise CalcSyntaxError(f"unexpected {text_!r}", pos)
    return value
