"""``python -m dashboard.demo OUT_DIR [--respondents N …]``: write a demo dataset (for benchmarks;
``caregap demo`` builds the default one into the database)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from dashboard.demo.generate import write_demo_dataset


def main(argv: list[str] | None = None) -> None:
    """Parse the tier's counts and write the dataset; print the summary as JSON."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.demo", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--respondents", type=int, default=24_000)
    parser.add_argument("--deliveries", type=int, default=500_000)
    parser.add_argument("--grids", type=int, default=800)
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--boundaries", type=Path, default=None)
    args = parser.parse_args(argv)
    summary = write_demo_dataset(
        args.out_dir,
        respondents=args.respondents,
        deliveries=args.deliveries,
        grids=args.grids,
        seed=args.seed,
        boundaries=args.boundaries,
    )
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
