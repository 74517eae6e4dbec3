"""Exports of what the dashboard shows: slide decks (PowerPoint, PDF) and open-data packages (CSV, JSON, metadata)."""
