class CalcSyntaxError(ValueError):
    """The expression is not well formed; `pos` is the offending offset."""

    def __init__(self, message, pos):
        super().__init__(f"{message} at offset {pos}")
        self.pos = pos
