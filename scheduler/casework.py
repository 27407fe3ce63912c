"""Scheduled jobs of the casework feature (filled in by its issue)."""
