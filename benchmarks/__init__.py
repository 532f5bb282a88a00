"""CareGap benchmarks: scale tiers, timed scenarios and the pandas baseline (not tests).

Run with ``make bench`` (tiers S and M) or ``make bench TIERS=S,M,L``; results are written to
``benchmarks/results/`` and rendered into ``BENCHMARKS.md``.
"""
