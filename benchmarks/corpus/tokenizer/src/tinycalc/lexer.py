"""Turn source text into (kind, text, pos) tokens."""

from .errors import CalcSyntaxError

TWO_CHAR = {"**", "//", "<=", ">=", "==", "!="}
ONE_CHAR = set("+-*/%()<>")


class Lexer:
    def __init__(self, src):
        self.src = src
        self.pos = 0

    def _peek(self):
        """The character after the current one, or '' at the end."""
        return self.src[self.pos + 1] if self.pos < len(self.src) else ""

    def _number(self):
        start = self.pos
        while self.pos < len(self.src) and (self.src[self.pos].isdigit() or self.src[self.pos] == "."):
            self.pos += 1
        text = self.src[start:self.pos]
        if text.count(".") > 1:
            raise CalcSyntaxError(f"bad number {text!r}", start)
        return ("num", text, start)

    def _name(self):
        start = self.pos
        while self.pos < len(self.src) and (self.src[self.pos].isalnum() or self.src[self.pos] == "_"):
            self.pos += 1
        return ("name", self.src[start:self.pos], start)

    def tokens(self):
        out = []
        while self.pos < len(self.src):
            ch = self.src[self.pos]
            if ch.isspace():
                self.pos += 1
            elif ch.isdigit() or ch == ".":
                out.append(self._number())
            elif ch.isalpha() or ch == "_":
                out.append(self._name())
            elif ch + self._peek() in TWO_CHAR:
                out.append(("op", ch + self._peek(), self.pos))
                self.pos += 2
            elif ch in ONE_CHAR:
                out.append(("op", ch, self.pos))
                self.pos += 1
            else:
                raise CalcSyntaxError(f"unexpected character {ch!r}", self.pos)
        out.append(("end", "", self.pos))
        return out
