"""A FIFO task queue."""

from collections import deque
from dataclasses import dataclass, field
from itertools import count

_ids = count(1)


@dataclass
class Task:
    name: str
    payload: dict = field(default_factory=dict)
    attempts: int = 0
    task_id: int = field(default_factory=lambda: next(_ids))


class TaskQueue:
    """First in, first out."""

    def __init__(self):
        self._pending = deque()
        self.done = []

    def __len__(self):
        return len(self._pending)

    def put(self, name, **payload):
        task = Task(name, payload)
        self._pending.append(task)
        return task

    def next_task(self):
        if not self._pending:
            return None
        return self._pending.pop()

    def complete(self, task):
        self.done.append(task.name)

    def run(self, handlers):
        """Run until empty; handlers maps task name -> callable(payload)."""
        while True:
            task = self.next_task()
            if task is None:
                return self.done
            task.attempts += 1
            self.handle(task, handlers[task.name])

    def handle(self, task, handler):
        handler(task.payload)
        self.complete(task)
