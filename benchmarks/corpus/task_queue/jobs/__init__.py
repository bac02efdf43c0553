"""In-process job queues for background work."""
