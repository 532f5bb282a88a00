"""Statistics: instrument scoring (SF-36, ADL) and, later, survey-weighted estimates."""

from dashboard.stats.scoring import score_adl, score_sf36

__all__ = ["score_adl", "score_sf36"]
