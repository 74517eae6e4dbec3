"""Placeholder until its issue lands."""

from pages._widgets import work_in_progress

work_in_progress("eAkte-Rollout in den 53 Landesbehörden", "sie folgt mit dem zugehörigen Arbeitspaket.")
