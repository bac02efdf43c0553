"""Business-day arithmetic for payment due dates."""
