"""Synthetic demo dataset: real Changzhi districts, synthetic grids, a calibrated survey."""

from dashboard.demo.generate import DATA_DIR, DEFAULT_BOUNDARIES, write_demo_dataset

__all__ = ["DATA_DIR", "DEFAULT_BOUNDARIES", "write_demo_dataset"]
