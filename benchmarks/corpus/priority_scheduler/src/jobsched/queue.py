"""A priority queue of tasks with removal and re-prioritisation."""

import heapq
from itertools import count


class EmptyQueue(LookupError):
    pass


class TaskQueue:
    def __init__(self):
        self._heap = []
        self._entries = {}
        self._order = count()

    def push(self, task):
        if task.name in self._entries:
            raise ValueError(f"task {task.name!r} is already queued")
        entry = [task.sort_key(), next(self._order), task]
        self._entries[task.name] = entry
        self._heap.append(entry)

    def remove(self, name):
        entry = self._entries.pop(name)
        entry[2] = None  # leave the entry in the heap; pop skips it

    def reprioritise(self, name, priority):
        task = self._entries[name][2]
        self.remove(name)
        task.priority = priority
        self.push(task)

    def _discard_removed(self):
        while self._heap and self._heap[0][2] is None:
            heapq.heappop(self._heap)

    def peek(self):
        self._discard_removed()
        if not self._heap:
            raise EmptyQueue("no tasks queued")
        return self._heap[0][2]

    def pop(self):
        self._discard_removed()
        if not self._heap:
            raise EmptyQueue("no tasks queued")
        task = heapq.heappop(self._heap)[2]
        del self._entries[task.name]
        return task

    def __len__(self):
        return len(self._entries)

    def __contains__(self, name):
        return name in self._entries
