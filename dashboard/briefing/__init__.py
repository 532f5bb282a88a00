"""The briefing: a sequence of views, each with one generated sentence of finding, its n and the
filters in force — computed from the data, exported as slides by dashboard.export."""

from dashboard.briefing.records import Briefing, Skipped, Slide, View
from dashboard.briefing.slides import (
    build_sequence,
    default_sequence,
    open_briefing,
    slide_for_view,
)

__all__ = [
    "Briefing",
    "Skipped",
    "Slide",
    "View",
    "build_sequence",
    "default_sequence",
    "open_briefing",
    "slide_for_view",
]
