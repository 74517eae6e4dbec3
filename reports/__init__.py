"""The presentation wing: what turns query results into things people read or take away.

German display tables and their one glossary of labels (`tables`, `labels`), the slide deck (`slides`) and its
PowerPoint/PDF files, the open-data package, and CSV/Excel table files (`files`). It reads through
data_access.queries and formats with formatting; data_access never imports it (tests/unit/test_layers.py).
"""
