"""Placeholder until its issue lands."""

from pages._widgets import work_in_progress

work_in_progress("Onlinedienste je Kommune auf der Karte", "sie folgt mit dem zugehörigen Arbeitspaket.")
