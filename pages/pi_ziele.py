"""Placeholder until its issue lands."""

from pages._widgets import work_in_progress

work_in_progress("PI-Ziele und Vorhersagbarkeit", "sie folgt mit dem zugehörigen Arbeitspaket.")
