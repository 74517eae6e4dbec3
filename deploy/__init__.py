"""Local production setup: PostgreSQL, N Streamlit instances behind nginx, health check, load test (`make cluster`)."""
