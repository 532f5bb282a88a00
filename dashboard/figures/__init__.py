"""Pure figure builders: a frame (plus language and theme) in, a Plotly figure out."""
