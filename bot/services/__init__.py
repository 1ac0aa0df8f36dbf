"""Use cases: each takes the ports it needs and returns answer objects, never text."""
