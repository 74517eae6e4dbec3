"""Official BKG boundaries of Niedersachsen: build (zip -> region table + simplified GeoJSON) and loading."""
