"""`make bench`: render times, browser time to interactive, query times, map payloads, import throughput."""
