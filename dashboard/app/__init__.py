"""The Dash application: factory, pages and the per-process store connection."""
