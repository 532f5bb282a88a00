"""The disclosure gate: the one place where small cells are suppressed (contract "Small cells").

The queries under queries/ return every figure unsuppressed, beside the unweighted counts it rests
on; each data function passes its frame through `gate` (with the slice's floor k) before any
consumer sees it. What is suppressed is declared here once, as data (`Rules`: each published
figure → the counts it rests on; each derived figure → the figures it is computed from; the
counts that set the row's `suppressed` flag), and the floor itself is one function, `too_small`.
A change of the rule (secondary suppression, a different floor test) is made here and nowhere
else: the SQL, the data functions and the app only name columns.

Pure: pandas and numpy only, no Dash, no store.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from dashboard import config, differencing

#: The row flag every gated frame carries (True: the row's survey figures are not shown).
FLAG = "suppressed"


def floor() -> int:
    """The deployment's floor k (config.deployment_min_n): no figure rests on fewer people."""
    return config.deployment_min_n()


def effective_k(requested: int | None) -> int:
    """The k a request gets: what it asked for, but never below the deployment's floor."""
    return max(requested or 0, floor())


def too_small(n: object, k: int) -> np.ndarray | bool:
    """The floor test: True where the unweighted count `n` is below k (a missing count is 0).

    Takes a scalar (returns a bool) or an array/Series (returns a boolean array).
    """
    values = np.asarray(n, dtype=float)
    small = ~(values >= k)
    return bool(small) if small.ndim == 0 else small


@dataclass(frozen=True)
class Rules:
    """What a frame's figures rest on.

    figures  published figure column → the count columns it rests on: the figure is missing
             when any of them is too small.
    derived  figure computed from others (gap_pp = demand − received) → those figures: it is
             missing when any of them that is itself gated is missing. Sources that are not gated
             (delivery figures such as provision_share) never hide it.
    flag     the counts whose floor sets the row's `suppressed` (none: no flag column).
    extra    counts published beside the figures that no figure is gated on (scored_n).

    Every count named anywhere here is itself gated: see `gate`.
    """

    figures: Mapping[str, tuple[str, ...]]
    derived: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    flag: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()

    @property
    def counts(self) -> tuple[str, ...]:
        """Every count column of the frame, in declaration order."""
        found: list[str] = []
        for counts in (*self.figures.values(), self.flag, self.extra):
            found += [c for c in counts if c not in found]
        return tuple(found)

    def counts_of(self, column: str) -> tuple[str, ...]:
        """Every count a figure (gated or derived) rests on, in declaration order."""
        if column in self.figures:
            return self.figures[column]
        found: list[str] = []
        for source in self.derived.get(column, ()):
            found += [c for c in self.counts_of(source) if c not in found]
        return tuple(found)


def _any_small(frame: pd.DataFrame, counts: tuple[str, ...], k: int) -> np.ndarray:
    mask = np.zeros(len(frame), dtype=bool)
    for count in counts:
        mask |= too_small(frame[count].to_numpy(dtype=float, na_value=np.nan), k)
    return mask


def hidden(frame: pd.DataFrame, rules: Rules, k: int) -> dict[str, np.ndarray]:
    """Per gated or derived figure of `rules`: where the gate hides it (the floor only).

    `k` is clamped to the deployment's floor: no caller can ask for less.
    """
    k = effective_k(k)
    return {
        column: _any_small(frame, rules.counts_of(column), k)
        for column in (*rules.figures, *rules.derived)
    }


def gate(
    frame: pd.DataFrame,
    rules: Rules,
    k: int,
    *,
    published: np.ndarray | None = None,
    figures_open: Mapping[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """A copy of `frame` that may leave the server: small figures hidden, counts withheld.

    - a figure resting on a count below k is missing; the row's flag is set from `rules.flag`;
    - the differencing rule (`pattern`, looked up by the data functions) closes whole rows
      (`published`: one bool per row; every figure missing, the flag set, every count
      withheld, whatever their size) and single figures (`figures_open`: figure → one bool per
      row); a derived figure follows its sources;
    - a count is withheld (missing: NaN) on a closed row, on a flagged row unless it is 0,
      where every figure resting on it is closed, and wherever it is 1…k−1: 0 stays 0 (nobody
      is not a person). Consumers show a withheld count as "<k", never a value.
    The flag column is written where the query placed it (or appended). The input is never
    modified (query answers are cached and shared).
    """
    k = effective_k(k)
    out = frame.copy()
    closed = np.zeros(len(frame), dtype=bool) if published is None else ~np.asarray(published)
    masks = hidden(frame, rules, k)
    shut = {figure: ~np.asarray(open_) for figure, open_ in (figures_open or {}).items()}
    for figure, mask in shut.items():
        masks[figure] = masks[figure] | mask
    for figure, sources in rules.derived.items():
        for source in sources:
            if source in rules.figures:
                masks[figure] = masks[figure] | masks[source]
    for column, mask in masks.items():
        mask = mask | closed
        if mask.any():
            out[column] = out[column].mask(mask)
    flagged = closed.copy()
    if rules.flag:
        flagged |= _any_small(frame, rules.flag, k)
        out[FLAG] = flagged
    for count in rules.counts:
        if count in out:
            values = frame[count].to_numpy(dtype=float, na_value=np.nan)
            hide = closed | (flagged & (values != 0)) | withheld(values, k)
            resting = [f for f, counts in rules.figures.items() if count in counts]
            if resting and all(f in shut for f in resting):
                hide |= np.logical_and.reduce([shut[f] for f in resting])
            out[count] = np.where(hide, np.nan, values)
    return out


def withheld(values: np.ndarray, k: int) -> np.ndarray:
    """Where a count may not be published as it is: 1…k−1 (0 and ≥ k may)."""
    return (values > 0) & (values < effective_k(k))


def protect_split(parts: np.ndarray, k: int) -> np.ndarray:
    """Which parts of one published whole to withhold: those of 1…k−1, and then (rule 3 of
    `pattern`, for figures outside the lattice, such as people served per age group) the
    smallest others until the withheld parts holding anybody are at least two and at least k
    together, so that none is the whole minus the rest."""
    parts = np.asarray(parts, dtype=float)
    closed = withheld(parts, k)
    holding = parts > 0
    while True:
        hidden = closed & holding
        safe = not hidden.any() or (hidden.sum() >= 2 and parts[hidden].sum() >= effective_k(k))
        candidates = np.flatnonzero(~closed & holding)
        if safe or candidates.size == 0:
            return closed
        closed[candidates[np.argmin(parts[candidates])]] = True


#: Counts gated here under one name and published under another, or gated outside a Rules set:
#: `caregap report stations`' catchment_respondents_n (GAPS' respondents_n) and the people
#: served per station (data.station_people's recipients). Files write them like every count.
RENAMED_COUNTS = ("catchment_respondents_n", "recipients")


# -- the rules of each gated frame -----------------------------------------------------------------

#: queries/gaps.sql and gaps_people.sql (data.gap_table, data.gaps): the contract's report row.
GAPS = Rules(
    figures={
        "demand_rate": ("respondents_n",),
        "received_rate": ("respondents_n", "received_n"),
        "unmet_rate": ("respondents_n", "unmet_n"),
        "demand_share": ("respondents_n",),
    },
    derived={
        "gap_pp": ("demand_rate", "received_rate"),
        "mix_gap_pp": ("demand_share", "provision_share"),
    },
    flag=("respondents_n",),
)

#: queries/gap_variance*.sql (data.gap_intervals): the estimates the intervals are built from;
#: demand_n is the row's respondents_n. The interval columns follow their estimate.
INTERVAL_INPUTS = Rules(
    figures={
        "demand_estimate": ("demand_n",),
        "received_estimate": ("demand_n", "received_n"),
        "unmet_estimate": ("demand_n", "unmet_n"),
    },
)

#: queries/unmet_2x2.sql (data.unmet_cells): a cell's share rests on the cell and its base.
UNMET_CELLS = Rules(figures={"share": ("base_n", "n")}, flag=("base_n", "n"))

#: queries/service_demand.sql (data.service_demand, the study's T2).
SERVICE_DEMAND = Rules(
    figures={
        column: ("respondents_n",)
        for column in ("demand_rate", "share_1", "share_2", "share_3", "share_4", "share_5")
    },
    flag=("respondents_n",),
    extra=("demand_n",),
)

#: queries/service_received.sql (data.service_received, the study's T3).
SERVICE_RECEIVED = Rules(
    figures={"received_rate": ("received_n",)}, flag=("received_n",), extra=("receivers_n",)
)

#: queries/score_levels.sql (data.score_levels).
SCORE_LEVELS = Rules(
    figures={"share": ("respondents_n",)}, flag=("respondents_n",), extra=("scored_n",)
)

#: queries/domain_profile.sql (data.domain_profile): the SF-36 domain means and the QoL total.
DOMAIN_PROFILE = Rules(
    figures={
        column: ("respondents_n",)
        for column in ("pf", "rp", "bp", "gh", "vt", "sf", "re", "mh", "qol_total")
    },
    flag=("respondents_n",),
)

#: dashboard.stats.tables.correlation_table (the study's T4/T5).
CORRELATIONS = Rules(
    figures={"r": ("respondents_n",), "p": ("respondents_n",)}, flag=("respondents_n",)
)


# -- for consumers --------------------------------------------------------------------------------


def shown(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows whose `column` may be shown: present, and the row not suppressed."""
    mask = frame[column].notna()
    if FLAG in frame:
        mask &= ~frame[FLAG].fillna(False).astype(bool)
    return frame[mask]


#: The reason code when a gated count below k (other than the row's) hides a map measure.
COUNT_REASONS = {"received_n": "received"}


def hidden_reason(row: Mapping[str, object], measure: str, k: int) -> str | None:
    """Why an area's `measure` (a column of GAPS frames) is not shown; None when it is.

    Codes (the wording stays with the caller): 'no_population' (provision_per_1000 without an
    elderly population), 'suppressed' (the row), 'received' (received_n below k), 'no_deliveries'
    (mix_gap_pp with no deliveries), 'not_shown' (anything else).
    """
    if pd.notna(row[measure]):
        return None
    k = effective_k(k)
    if measure == "provision_per_1000":
        return "no_population"
    if bool(row[FLAG]):
        return "suppressed"
    for count in GAPS.counts_of(measure):
        if count in COUNT_REASONS and too_small(row[count], k):
            return COUNT_REASONS[count]
    if measure == "mix_gap_pp":
        return "no_deliveries"
    return "not_shown"


# -- the differencing rule (secondary suppression) -------------------------------------------------

#: The key value of a cell that is not split by a dimension ("all ages", "all values", …).
ALL = "\x01all"
#: The key value of "not recorded" (a covariate missing for some respondents).
NOT_RECORDED = "\x01none"

Cell = tuple[str, bool, str, str, str]


#: The dimensions a cell splits by besides its region, in the order a parent's splits are
#: first looked for.
_SPLITS = ("age_group", "sex", "group_value")


@dataclass(frozen=True)
class Cells:
    """Every cell a published figure can be about, and its respondents in each base.

    A cell is a region's subtree (own = False) or the respondents living in the region itself
    (own = True: a part of the subtree no figure is about, which the rule must still protect)
    × an age group × a sex × a value of the covariate, each of them also ALL. `keys[i]` is cell
    i's key and `counts[i, b]` its respondents in `bases[b]`. The cells are numbered in key
    order (region, own, then per dimension its values, "not recorded", ALL) and `digits` are
    their keys as integer codes: region (into `regions`), own, then per dimension 0…m−1 for its
    values, m for "not recorded" and m + 1 for ALL; `ups[r]` is region r's parent (−1: root).
    """

    keys: list[Cell]
    bases: list[str]
    counts: np.ndarray
    own: np.ndarray
    digits: np.ndarray
    values: tuple[int, ...]
    regions: list[str]
    ups: np.ndarray


def _order_key(digits: np.ndarray, values: tuple[int, ...]) -> np.ndarray:
    """The integers whose order is the cells' order (an injective code of a cell's digits):
    "not recorded" and ALL tie in a dimension until the flags at the end (SQL's NULLS LAST)."""
    out = digits[:, 0] * 2 + digits[:, 1]
    for d, m in enumerate(values):
        out = out * (m + 1) + np.minimum(digits[:, 2 + d], m)
    for d, m in enumerate(values):
        out = out * 2 + (digits[:, 2 + d] == m + 1)
    return out


def _value_codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """A dimension's codes: 0…m−1 its values in order, m for "not recorded" (NULL)."""
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    labels = [str(v) for v in uniques]
    return np.where(codes < 0, len(labels), codes).astype(np.int64), labels


def cells(atoms: pd.DataFrame, parents: pd.DataFrame) -> Cells:
    """The cells the atoms (queries/disclosure_atoms.sql) add up to over the region tree
    (queries/region_parents.sql): each atom counts in its living place's subtree and in every
    subtree above it, in the cell of its own living place when that region has sub-areas, and
    in each of them for its age group or all ages × its sex or both × its value or all values
    (only all values when the atoms are not split by a covariate)."""
    regions = sorted(str(r) for r in parents["region_id"])
    code_of = {r: i for i, r in enumerate(regions)}
    up = parents["parent_id"].map(code_of)
    ups = np.full(len(regions), -1, np.int64)
    ups[parents["region_id"].map(code_of).to_numpy()] = up.fillna(-1).to_numpy(np.int64)
    has_parts = np.zeros(len(regions), bool)
    has_parts[ups[ups >= 0]] = True

    by_value = not bool(atoms["all_values"].all()) if len(atoms) else False
    coded = [_value_codes(atoms[c]) for c in _SPLITS]
    if not by_value:
        coded[2] = (np.ones(len(atoms), np.int64), [])  # ALL of no values
    values = tuple(len(labels) for _, labels in coded)
    radix = [len(regions), *(m + 2 for m in values)]
    atom_key = pd.Categorical(atoms["region_id"].astype(str), categories=regions).codes.astype(
        np.int64
    )
    for (codes, _), size in zip(coded, radix[1:], strict=True):
        atom_key = atom_key * size + codes
    atom_keys, atom_of = np.unique(atom_key, return_inverse=True)
    base_of, base_names = pd.factorize(atoms["base"])
    width = len(base_names)
    flat = np.bincount(
        atom_of * width + base_of,
        weights=atoms["n"].to_numpy(float),
        minlength=len(atom_keys) * width,
    )
    per_atom = flat.reshape(len(atom_keys), width)
    atom_digits = _unradix(atom_keys, radix)

    # every (atom, cell) pair: the atom's places upwards, then ALL in any of its dimensions —
    # one pattern of ALLs at a time (their cells are disjoint), which bounds the memory used
    member, place, own = _places(atom_digits[:, 0], ups, has_parts)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for flags in itertools.product((False, True), repeat=3):
        if by_value or flags[2]:
            found.append(_variant(flags, member, place, own, atom_digits, values, per_atom))
    keys = np.concatenate([k for k, _, _ in found])
    ordered = np.argsort(keys, kind="stable")
    digits = np.concatenate([d for _, d, _ in found])[ordered]
    counts = np.concatenate([c for _, _, c in found])[ordered]
    del found
    # bases in the order they first hold anybody among the cells (ties: by name)
    held = counts > 0
    first_cell = np.where(held.any(axis=0), held.argmax(axis=0), len(counts))
    order = sorted(range(width), key=lambda b: (first_cell[b], str(base_names[b])))
    labels = [
        [*lab, NOT_RECORDED, ALL] if d < 2 or by_value else [ALL, ALL]
        for d, (_, lab) in enumerate(coded)
    ]
    cell_keys = list(
        zip(
            [regions[r] for r in digits[:, 0]],
            digits[:, 1].astype(bool).tolist(),
            *([lab[c] for c in digits[:, 2 + d]] for d, lab in enumerate(labels)),
            strict=True,
        )
    )
    return Cells(
        keys=cell_keys,
        bases=[str(base_names[b]) for b in order],
        counts=counts[:, order],
        own=digits[:, 1].astype(bool),
        digits=digits,
        values=values,
        regions=regions,
        ups=ups,
    )


def _variant(
    flags: tuple[bool, ...],
    member: np.ndarray,
    place: np.ndarray,
    own: np.ndarray,
    atom_digits: np.ndarray,
    values: tuple[int, ...],
    per_atom: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cells taking ALL where `flags` say (age, sex, value), each atom (`member`) counted
    in the cell of each of its places: their order keys (sorted), digits and counts."""
    digits = np.empty((len(member), 5), np.int64)
    digits[:, 0], digits[:, 1] = place, own
    for d, (flag, m) in enumerate(zip(flags, values, strict=True)):
        digits[:, 2 + d] = m + 1 if flag else atom_digits[member, 1 + d]
    keys, cell_of = np.unique(_order_key(digits, values), return_inverse=True)
    first = np.zeros(len(keys), np.int64)
    first[cell_of] = np.arange(len(cell_of))  # any pair of each cell: its digits
    membership = sparse.csr_matrix(
        (np.ones(len(cell_of)), (cell_of, member)), shape=(len(keys), len(per_atom))
    )
    return keys, digits[first], np.asarray(membership @ per_atom)


def _unradix(keys: np.ndarray, radix: list[int]) -> np.ndarray:
    """The digits of mixed-radix integers (most significant first)."""
    out = np.empty((len(keys), len(radix)), np.int64)
    rest = keys.copy()
    for d in range(len(radix) - 1, -1, -1):
        out[:, d] = rest % radix[d]
        rest //= radix[d]
    return out


def _places(
    region: np.ndarray, ups: np.ndarray, has_parts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For atoms living in `region`: (atom, place, own) for each subtree they count in — their
    living place and every region above it — and their own living place when it has parts."""
    members, places, owns = [], [], []
    atom, at = np.arange(len(region)), region
    while atom.size:
        members.append(atom)
        places.append(at)
        owns.append(np.zeros(len(atom), np.int64))
        above = ups[at]
        atom, at = atom[above >= 0], above[above >= 0]
    inner = np.flatnonzero(has_parts[region])
    members.append(inner)
    places.append(region[inner])
    owns.append(np.ones(len(inner), np.int64))
    return np.concatenate(members), np.concatenate(places), np.concatenate(owns)


@dataclass
class _Splits:
    """Which cells add up to which, as arrays for dashboard.differencing (whose docstring says
    how they are laid out). A parent's splits (one per dimension: its child regions with the
    respondents living in it directly, its age groups, its sexes, its covariate values) come in
    the order their first part appears among the cells, each split's parts in cell order;
    `rank` orders the cells by key (ties of rule 3 go to the lower)."""

    rank: np.ndarray
    split_ptr: np.ndarray
    member_ptr: np.ndarray
    members: np.ndarray
    parent_ptr: np.ndarray
    parents: np.ndarray


def _csr(groups: np.ndarray, size: int) -> np.ndarray:
    """Row pointers of `size` rows from the (sorted) row of each entry."""
    return np.concatenate([[0], np.cumsum(np.bincount(groups, minlength=size))]).astype(np.int64)


def _splits(cells: Cells) -> _Splits:
    n, digits = len(cells.keys), cells.digits
    order_keys = _order_key(digits, cells.values)

    def find(wanted: np.ndarray) -> np.ndarray:
        """The cell of each row of digits (−1: none)."""
        key = _order_key(wanted, cells.values)
        at = np.minimum(np.searchsorted(order_keys, key), n - 1)
        return np.where(order_keys[at] == key, at, -1)

    edges: list[tuple[np.ndarray, np.ndarray]] = []
    for d, m in enumerate(cells.values):
        whole = digits.copy()
        whole[:, 2 + d] = m + 1
        split = digits[:, 2 + d] != m + 1
        parent = find(whole)
        edges.append((np.flatnonzero(split & (parent >= 0)), parent))
    up = np.where(cells.own, digits[:, 0], cells.ups[digits[:, 0]])
    whole = digits.copy()
    whole[:, 0], whole[:, 1] = np.maximum(up, 0), 0
    parent = np.where(up >= 0, find(whole), -1)
    edges.append((np.flatnonzero(parent >= 0), parent))

    width = len(edges)
    member = np.concatenate([found for found, _ in edges])
    parent = np.concatenate([whole[found] for found, whole in edges])
    dimension = np.concatenate([np.full(len(found), d) for d, (found, _) in enumerate(edges)])
    split_key = parent * width + dimension
    first = pd.Series(member * width + dimension).groupby(split_key).transform("min")
    order = np.lexsort((member, first.to_numpy(), parent))
    member, parent, split_key = member[order], parent[order], split_key[order]
    starts = np.flatnonzero(np.r_[True, split_key[1:] != split_key[:-1]])
    by_member = np.lexsort((parent, member))
    # rank: the keys' order as strings, where ALL ("\x01all") < "not recorded" < any value
    ranked = [digits[:, 0], digits[:, 1]]
    ranked += [
        np.where(
            digits[:, 2 + d] == m + 1, -2, np.where(digits[:, 2 + d] == m, -1, digits[:, 2 + d])
        )
        for d, m in enumerate(cells.values)
    ]
    rank = np.empty(n, np.int64)
    rank[np.lexsort(tuple(reversed(ranked)))] = np.arange(n)
    return _Splits(
        rank=rank,
        split_ptr=_csr(parent[starts], n),
        member_ptr=np.r_[starts, len(member)].astype(np.int64),
        members=member.astype(np.int64),
        parent_ptr=_csr(member[by_member], n),
        parents=parent[by_member].astype(np.int64),
    )


@dataclass(frozen=True)
class Pattern:
    """Which cells may be published, per base: `open[i, b]` for cell `cells[key] = i`, base
    `bases[name] = b`. A cell or base with nobody in it has nothing to protect: it is open."""

    cells: Mapping[Cell, int]
    bases: Mapping[str, int]
    open: np.ndarray

    def is_open(self, key: Cell, bases: tuple[str, ...] | list[str]) -> bool:
        """May a figure about cell `key` resting on every one of `bases` be published?"""
        i = self.cells.get(key)
        if i is None:
            return True
        return all(self.open[i, self.bases[b]] for b in bases if b in self.bases)

    def in_base(self, base: str) -> dict[Cell, bool]:
        """Cell → open, for the figures resting on one base (the audit and the docs read it)."""
        if base not in self.bases:
            return dict.fromkeys(self.cells, True)
        column = self.open[:, self.bases[base]]
        return {key: bool(column[i]) for key, i in self.cells.items()}


def pattern(atoms: pd.DataFrame, parents: pd.DataFrame, k: int) -> Pattern:
    """Which cells may be published: the primary rule, then secondary suppression to a fixpoint.

    `atoms` is queries/disclosure_atoms.sql's answer (respondents per living place × age group
    × sex × value, in each base a figure can rest on: everyone, who answered a service, who
    also said whether they received it, who have a QoL or ADL total) and `parents` the region
    tree (queries/region_parents.sql); `cells` sums them into every cell a figure can be
    about. The rule (docs/DISCLOSURE.md) runs in each base alike:
    1. a cell with 1…k−1 respondents in the base is closed (primary);
    2. a closed cell closes every cell inside it (its sub-areas, age groups, sexes, values):
       otherwise its parts would add up to it;
    3. wherever a published cell is split (into its child areas and the respondents living in
       it directly, its age groups, its sexes or its covariate values), the closed parts that
       hold anybody must be at least two and hold at least k together — otherwise the smallest
       open part is closed too (and rule 2 applies to it); repeated until nothing changes.
    Respondents living in a region directly (not in one of its child areas) are never a cell of
    their own: they count as a closed part of the region's split, and may be computed only when
    they are k or more. The fixpoint is dashboard.differencing's compiled loop.
    """
    k = effective_k(k)
    found = cells(atoms, parents)
    if not found.keys:
        return Pattern(cells={}, bases={}, open=np.ones((0, 0), bool))
    split = _splits(found)
    closed = differencing.close(
        found.counts,
        found.own,
        float(k),
        split.rank,
        split.split_ptr,
        split.member_ptr,
        split.members,
        split.parent_ptr,
        split.parents,
    )
    keep = ~found.own
    index = {
        key: n for n, key in enumerate(key for key, o in zip(found.keys, keep, strict=True) if o)
    }
    bases = {base: b for b, base in enumerate(found.bases)}
    return Pattern(cells=index, bases=bases, open=~closed[keep])
