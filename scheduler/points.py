"""Scheduled jobs of the points feature (filled in by its issue)."""
