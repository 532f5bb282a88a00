"""Reading, checking and importing a dataset folder into a new store (the data contract)."""
