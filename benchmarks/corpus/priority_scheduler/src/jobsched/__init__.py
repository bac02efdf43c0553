"""An in-process job scheduler: priorities, deadlines and retries."""

from .queue import EmptyQueue, TaskQueue
from .scheduler import Scheduler
from .task import Task

__all__ = ["EmptyQueue", "Scheduler", "Task", "TaskQueue"]
