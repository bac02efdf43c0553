from jobs.retrying import RetryingQueue


def test_empty_queue():
    assert RetryingQueue().next_task() is None


def test_len():
    q = RetryingQueue()
    q.put("a")
    q.put("b")
    assert len(q) == 2


def test_tasks_run_in_order():
    q = RetryingQueue()
    for n in range(3):
        q.put(f"mail-{n}")
    handlers = {f"mail-{n}": lambda payload: None for n in range(3)}
    assert q.run(handlers) == ["mail-0", "mail-1", "mail-2"]


def test_dead_letter_after_max_attempts():
    q = RetryingQueue(max_attempts=2)
    q.put("flaky", url="https://example.invalid")

    def fail(payload):
        raise ConnectionError("unreachable")

    assert q.run({"flaky": fail}) == []
    assert q.dead == [("flaky", "unreachable")]


def test_retry_goes_to_the_back():
    q = RetryingQueue()
    calls = []

    def sometimes(payload):
        calls.append(payload["n"])
        if payload["n"] == 1 and calls.count(1) == 1:
            raise RuntimeError("first try fails")

    for n in (1, 2, 3):
        q.put("job", n=n)
    q.run({"job": sometimes})
    assert calls == [1, 2, 3, 1]


def test_delayed_release():
    from jobs.delayed import DelayedTasks

    now = [100.0]
    delayed = DelayedTasks(lambda: now[0])
    delayed.schedule(5, "report")
    delayed.schedule(1, "ping")
    q = RetryingQueue()
    assert delayed.release_due(q) == 0
    now[0] = 106
    assert delayed.release_due(q) == 2 and delayed.pending() == 0
    assert len(q) == 2
