"""Running queued tasks with a handler, retrying failures and dropping overdue work."""

from .queue import TaskQueue


class Scheduler:
    def __init__(self, handler, clock):
        self.handler = handler
        self.clock = clock
        self.queue = TaskQueue()
        self.done, self.failed, self.expired = [], [], []

    def submit(self, task):
        self.queue.push(task)
        return task

    def run_next(self):
        """Run the most urgent task; returns it, or None when the queue is empty."""
        if not len(self.queue):
            return None
        task = self.queue.pop()
        if task.deadline is not None and self.clock() > task.deadline:
            self.expired.append(task.name)
            return task
        task.attempts += 1
        try:
            self.handler(task)
        except Exception:
            if task.attempts < task.max_attempts:
                self.queue.push(task)
            else:
                self.failed.append(task.name)
        else:
            self.done.append(task.name)
        return task

    def drain(self, limit=1000):
        runs = 0
        while len(self.queue) and runs < limit:
            self.run_next()
            runs += 1
        return runs
