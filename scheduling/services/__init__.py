"""Writes for scheduling, one module per idea: availability, slots, match runs, pairings, sessions."""
