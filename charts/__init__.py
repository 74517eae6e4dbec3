"""Pure figure builders: (DataFrame, *, options) -> plotly Figure. No Streamlit calls here."""
