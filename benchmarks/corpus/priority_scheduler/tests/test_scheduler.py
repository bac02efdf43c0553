import pytest

from jobsched import EmptyQueue, Scheduler, Task, TaskQueue


def names(queue):
    out = []
    while len(queue):
        out.append(queue.pop().name)
    return out


def test_fifo_within_a_priority():
    queue = TaskQueue()
    for name in ("a", "b", "c"):
        queue.push(Task(name))
    assert names(queue) == ["a", "b", "c"]


def test_priorities_are_respected():
    queue = TaskQueue()
    queue.push(Task("report", "low"))
    queue.push(Task("email", "normal"))
    queue.push(Task("page-oncall", "critical"))
    queue.push(Task("invoice", "high"))
    assert names(queue) == ["page-oncall", "invoice", "email", "report"]


def test_earlier_deadline_first():
    queue = TaskQueue()
    queue.push(Task("whenever"))
    queue.push(Task("friday", deadline=500.0))
    queue.push(Task("today", deadline=100.0))
    assert names(queue) == ["today", "friday", "whenever"]


def test_remove_and_peek():
    queue = TaskQueue()
    queue.push(Task("x", "critical"))
    queue.push(Task("y", "critical"))
    queue.remove("x")
    assert queue.peek().name == "y"
    assert "x" not in queue and len(queue) == 1


def test_reprioritise():
    queue = TaskQueue()
    queue.push(Task("backup", "normal"))
    queue.push(Task("cleanup", "normal"))
    queue.reprioritise("cleanup", "high")
    assert names(queue) == ["cleanup", "backup"]


def test_duplicates_and_empty():
    queue = TaskQueue()
    queue.push(Task("x"))
    with pytest.raises(ValueError):
        queue.push(Task("x"))
    queue.pop()
    with pytest.raises(EmptyQueue):
        queue.pop()


def test_unknown_priority():
    with pytest.raises(ValueError):
        Task("x", priority="urgent")


def test_scheduler_retries_then_gives_up():
    calls = []

    def flaky(task):
        calls.append(task.name)
        if task.name == "bad":
            raise RuntimeError("boom")

    scheduler = Scheduler(flaky, clock=lambda: 0.0)
    scheduler.submit(Task("bad", max_attempts=2))
    scheduler.submit(Task("good"))
    scheduler.drain()
    assert calls == ["bad", "good", "bad"]
    assert (scheduler.done, scheduler.failed) == (["good"], ["bad"])


def test_overdue_tasks_are_expired():
    scheduler = Scheduler(lambda task: None, clock=lambda: 50.0)
    scheduler.submit(Task("late", deadline=10.0))
    scheduler.submit(Task("on-time", deadline=60.0))
    scheduler.drain()
    assert (scheduler.done, scheduler.expired) == (["on-time"], ["late"])
