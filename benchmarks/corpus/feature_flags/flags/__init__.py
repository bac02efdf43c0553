"""Feature flags with percentage rollouts, allow lists and block lists."""
