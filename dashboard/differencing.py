"""The differencing rule's fixpoint (dashboard.disclosure, `pattern`), compiled with Numba.

The rule closes one (cell, base) at a time and re-examines the splits each closing touches, so
its cost is a long loop over small arrays: in Python the 100,000-respondent tier took ~7 s
without a covariate and ~21 s with one (~230 s for the eleven patterns an import stores), and
tier L has ten times the cells. Compiled, the same loop in the same order takes a fraction of
that. `disclosure.pattern` builds the lattice (which cells add up to which) with pandas and
hands its arrays to `close`; the rule is documented there, only its mechanics are here.

The lattice comes as nested CSR arrays: parent p's splits are `split_ptr[p]:split_ptr[p + 1]`,
split s's parts are `members[member_ptr[s]:member_ptr[s + 1]]`, and the cells cell c is a part
of are `parents[parent_ptr[c]:parent_ptr[c + 1]]`.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def close(counts, own, k, rank, split_ptr, member_ptr, members, parent_ptr, parents):
    """The closed (cell, base) pairs at floor `k` (a boolean array shaped like `counts`).

    Rule 1 closes cells of 1…k−1; rule 2 closes what is inside a closed cell; cells of people
    living in a region itself (`own`) are closed in every base; then rule 3 runs to a
    fixpoint: while the closed parts of a split holding anybody are one alone (not `own`) or
    fewer than k together, and the split's whole is open, its smallest open part closes (ties:
    the lower `rank`). Cells are taken from a queue (every cell once, last first); a closing
    queues the cells the closed ones are parts of, then the split's whole.
    """
    n, n_bases = counts.shape
    closed = (counts > 0) & (counts < k)
    stack = np.empty(max(n, 1), np.int64)
    queue = np.arange(max(n, 1))
    queued = np.ones(n, np.bool_)
    size = 0  # nothing is queued by rules 1 and 2
    for cell in range(n):
        if not own[cell]:
            for base in range(n_bases):
                if closed[cell, base]:
                    size = _close_inside(
                        cell, base, -1, closed, split_ptr, member_ptr, members,
                        parent_ptr, parents, stack, queue, queued, size,
                    )  # fmt: skip
    for cell in range(n):
        if own[cell]:
            closed[cell, :] = True
    size = n
    while size > 0:
        size -= 1
        parent = queue[size]
        queued[parent] = False
        for s in range(split_ptr[parent], split_ptr[parent + 1]):
            for base in range(n_bases):
                while not closed[parent, base]:
                    best = _unsafe_split(counts, own, closed, k, rank, members, s, member_ptr, base)
                    if best < 0:
                        break
                    size = _close_inside(
                        best, base, parent, closed, split_ptr, member_ptr, members,
                        parent_ptr, parents, stack, queue, queued, size,
                    )  # fmt: skip
    return closed


@njit(cache=True)
def _unsafe_split(counts, own, closed, k, rank, members, s, member_ptr, base):
    """The part of split `s` to close in `base` (its smallest open part holding anybody) when
    its closed parts are unsafe; −1 when they are safe or nothing is left to close."""
    hidden, hidden_n, own_hidden = 0, 0.0, False
    best = -1
    for j in range(member_ptr[s], member_ptr[s + 1]):
        m = members[j]
        c = counts[m, base]
        if c <= 0:
            continue
        if closed[m, base]:
            hidden += 1
            hidden_n += c
            own_hidden |= own[m]
        elif (
            best < 0 or c < counts[best, base] or (c == counts[best, base] and rank[m] < rank[best])
        ):
            best = m
    lone = hidden == 1 and not own_hidden
    if hidden == 0 or not (hidden_n < k or lone):
        return -1
    return best


@njit(cache=True)
def _close_inside(
    cell, base, parent, closed, split_ptr, member_ptr, members,
    parent_ptr, parents, stack, queue, queued, size,
):  # fmt: skip
    """Close `cell` and every cell inside it in `base` (depth first). Unless `parent` is −1,
    each newly closed cell queues the cells it is a part of and then `parent`. The queue's new
    size."""
    if not closed[cell, base]:
        closed[cell, base] = True
        size = _queue_above(cell, parent, parent_ptr, parents, queue, queued, size)
    top = 1
    stack[0] = cell
    while top > 0:
        top -= 1
        above = stack[top]
        for s in range(split_ptr[above], split_ptr[above + 1]):
            for j in range(member_ptr[s], member_ptr[s + 1]):
                member = members[j]
                if not closed[member, base]:
                    closed[member, base] = True
                    size = _queue_above(member, parent, parent_ptr, parents, queue, queued, size)
                    stack[top] = member
                    top += 1
    return size


@njit(cache=True)
def _queue_above(cell, parent, parent_ptr, parents, queue, queued, size):
    """Queue (unless queued) the cells `cell` is a part of, then `parent` (−1: nothing)."""
    if parent < 0:
        return size
    for j in range(parent_ptr[cell], parent_ptr[cell + 1] + 1):
        above = parents[j] if j < parent_ptr[cell + 1] else parent
        if not queued[above]:
            queue[size] = above
            size += 1
            queued[above] = True
    return size
