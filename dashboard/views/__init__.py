"""View logic, with no Dash: for each view, its state, the frames behind its charts and the
figures drawn from them. The pages, downloads, briefing slides, exports and the CLI all read these
modules (through dashboard.views.registry), so a chart is computed in one place and looks the same
wherever it is shown."""
