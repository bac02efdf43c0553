"""Tasks that become due later; moved into a queue when their time comes."""

import heapq


class DelayedTasks:
    def __init__(self, clock):
        self._clock = clock
        self._heap = []
        self._seq = 0

    def schedule(self, delay_s, name, **payload):
        self._seq += 1
        heapq.heappush(self._heap, (self._clock() + delay_s, self._seq, name, payload))

    def pending(self):
        return len(self._heap)

    def release_due(self, queue):
        """Move every due task into `queue` (earliest first); return how many moved."""
        moved = 0
        while self._heap and self._heap[0][0] <= self._clock():
            _, _, name, payload = heapq.heappop(self._heap)
            queue.put(name, **payload)
            moved += 1
        return moved
