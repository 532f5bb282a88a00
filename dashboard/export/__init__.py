"""Exports: charts as PNG/SVG and the briefing as PPTX/PDF, drawn by the system Chromium.

Everything stays on the machine: plotly.js comes from the installed plotly package, MathJax is
off, maps are drawn from the dataset's own polygons, fonts are the system's (Noto CJK for
Chinese). No browser is ever downloaded.
"""
