"""A queue that re-queues failed tasks a limited number of times."""

from .queue import TaskQueue


class RetryingQueue(TaskQueue):
    def __init__(self, max_attempts=3):
        super().__init__()
        self.max_attempts = max_attempts
        self.dead = []

    def handle(self, task, handler):
        try:
            super().handle(task, handler)
        except Exception as exc:
            if task.attempts >= self.max_attempts:
                self.dead.append((task.name, str(exc)))
            else:
                self._pending.append(task)
