"""A circular buffer that overwrites its oldest sample when full."""


class RingBuffer:
    def __init__(self, size):
        if size < 1:
            raise ValueError("size must be positive")
        self._slots = [None] * size
        self._start = 0
        self._count = 0

    @property
    def size(self):
        return len(self._slots)

    def __len__(self):
        return self._count

    def full(self):
        return self._count == self.size

    def append(self, value):
        end = (self._start + self._count) % self.size
        self._slots[end] = value
        if self.full():
            self._start = (self._start + 1) % self.size
        else:
            self._count += 1

    def __iter__(self):
        """Oldest first."""
        for i in range(self._count):
            yield self._slots[(self._start + i) % self.size]

    def latest(self):
        """The most recently appended sample."""
        if not self._count:
            raise IndexError("latest() on an empty buffer")
        return self._slots[(self._start + self._count) % self.size]

    def clear(self):
        self._slots = [None] * self.size
        self._start = self._count = 0
