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

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

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


@dataclass
class _Lattice:
    """The cells of queries/disclosure_cells.sql and how they add up, as arrays for
    dashboard.differencing (its docstring says how the splits are laid out).

    counts[i, b]: respondents of cell i in base b (column b of `bases`). A parent's splits
    (one per dimension: its child regions with the respondents living in it directly, its age
    groups, its sexes, its covariate values) come in the order their first part appears among
    the cells, each split's parts in cell order; `rank` orders the cells by key (ties of
    rule 3 go to the lower).
    """

    keys: list[Cell]
    bases: list[str]
    counts: np.ndarray
    own: np.ndarray
    rank: np.ndarray
    split_ptr: np.ndarray
    member_ptr: np.ndarray
    members: np.ndarray
    parent_ptr: np.ndarray
    parents: np.ndarray


_KEY_COLUMNS = ["region_id", "own", "age_group", "sex", "group_value"]
#: The dimensions a cell splits by, in the order a parent's splits are first looked for.
_SPLITS = ("age_group", "sex", "group_value")


#: Each split dimension's key column and the flag saying a cell takes all its values.
_ALL_FLAGS = {"age_group": "all_ages", "sex": "all_sexes", "group_value": "all_values"}


def _key_values(cells: pd.DataFrame, column: str) -> np.ndarray:
    """A split dimension's key values: the value, ALL or NOT_RECORDED (object strings)."""
    raw = cells[column].astype(object)
    values = np.where(raw.isna().to_numpy(), NOT_RECORDED, raw.astype(str).to_numpy())
    return np.where(cells[_ALL_FLAGS[column]].to_numpy(dtype=bool), ALL, values).astype(object)


def _cell_keys(cells: pd.DataFrame) -> list[Cell]:
    """The cell key of each row of queries/disclosure_cells.sql's answer."""
    return list(
        zip(
            cells["region_id"].astype(str),
            cells["own"].astype(bool).tolist(),
            *(_key_values(cells, column) for column in _SPLITS),
            strict=True,
        )
    )


def _codes(values: np.ndarray, extra: tuple[str, ...] = ()) -> tuple[np.ndarray, dict[str, int]]:
    """Sorted integer codes of string values (their order is the strings' order)."""
    uniques = np.unique(np.concatenate([values.astype(str), np.array(extra, dtype=str)]))
    lookup = {str(v): i for i, v in enumerate(uniques)}
    return np.fromiter((lookup[v] for v in values), np.int64, len(values)), lookup


def _csr(groups: np.ndarray, size: int) -> np.ndarray:
    """Row pointers of `size` rows from the (sorted) row of each entry."""
    return np.concatenate([[0], np.cumsum(np.bincount(groups, minlength=size))]).astype(np.int64)


def _lattice(cells: pd.DataFrame) -> _Lattice:
    """Index the cells and, for every cell, the splits it is the sum of."""
    columns = [*_KEY_COLUMNS, "all_ages", "all_sexes", "all_values"]
    row_cell = cells.groupby(columns, sort=False, dropna=False).ngroup().to_numpy()
    base_of, bases = pd.factorize(cells["base"])
    unique = cells.drop_duplicates(columns)
    n = len(unique)
    counts = np.zeros((n, len(bases)))
    counts[row_cell, base_of] = cells["n"].to_numpy(dtype=float)

    regions = unique["region_id"].astype(str).to_numpy(dtype=object)
    ups = unique["parent_id"].astype(object).where(unique["parent_id"].notna(), None)
    own = unique["own"].to_numpy(dtype=bool)
    parts = {column: _key_values(unique, column) for column in _SPLITS}
    region_code, region_lookup = _codes(regions)
    codes = {c: _codes(v, (ALL,)) for c, v in parts.items()}
    sizes = [len(region_lookup) + 1, 2, *(len(codes[c][1]) for c in _SPLITS)]

    def key(region: np.ndarray, own_: np.ndarray, split: dict[str, np.ndarray]) -> np.ndarray:
        out = region.copy()
        for size, column in zip(sizes[1:], [own_, *(split[c] for c in _SPLITS)], strict=True):
            out = out * size + column
        return out

    mine = {c: codes[c][0] for c in _SPLITS}
    index = pd.Index(key(region_code, own.astype(np.int64), mine))
    edges: list[tuple[np.ndarray, np.ndarray, int]] = []
    for order, column in enumerate(_SPLITS):
        whole_code = codes[column][1][ALL]
        split = mine[column] != whole_code
        whole = {**mine, column: np.full(n, whole_code)}
        parent = index.get_indexer(key(region_code, own.astype(np.int64), whole))
        edges.append((np.flatnonzero(split & (parent >= 0)), parent, order))
    up = np.where(own, regions, ups.to_numpy(dtype=object))
    has_up = np.array([isinstance(u, str) and u in region_lookup for u in up])
    up_code = np.array([region_lookup[u] if h else -1 for u, h in zip(up, has_up, strict=True)])
    parent = np.where(has_up, index.get_indexer(key(up_code, np.zeros(n, np.int64), mine)), -1)
    edges.append((np.flatnonzero(has_up & (parent >= 0)), parent, len(_SPLITS)))

    member = np.concatenate([found for found, _, _ in edges])
    parent = np.concatenate([whole[found] for found, whole, _ in edges])
    dimension = np.concatenate([np.full(len(found), order) for found, _, order in edges])
    split_key = parent * (len(_SPLITS) + 1) + dimension
    first = pd.Series(member * (len(_SPLITS) + 1) + dimension).groupby(split_key).transform("min")
    order = np.lexsort((member, first.to_numpy(), parent))
    member, parent, split_key = member[order], parent[order], split_key[order]
    starts = np.flatnonzero(np.r_[True, split_key[1:] != split_key[:-1]])
    split_parent = parent[starts]
    by_member = np.lexsort((parent, member))

    ordered = np.lexsort(tuple(reversed([region_code, own, *(codes[c][0] for c in _SPLITS)])))
    rank = np.empty(n, np.int64)
    rank[ordered] = np.arange(n)
    keys = _cell_keys(unique)
    return _Lattice(
        keys=keys,
        bases=[str(b) for b in bases],
        counts=counts,
        own=own,
        rank=rank,
        split_ptr=_csr(split_parent, n),
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


def pattern(cells: pd.DataFrame, k: int) -> Pattern:
    """Which cells may be published: the primary rule, then secondary suppression to a fixpoint.

    `cells` is queries/disclosure_cells.sql's answer (a cell's respondents in each base a
    figure can rest on: everyone, who answered a service, who also said whether they received
    it, who have a QoL or ADL total). The rule (docs/DISCLOSURE.md) runs in each base alike:
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
    lattice = _lattice(cells)
    closed = differencing.close(
        lattice.counts,
        lattice.own,
        float(k),
        lattice.rank,
        lattice.split_ptr,
        lattice.member_ptr,
        lattice.members,
        lattice.parent_ptr,
        lattice.parents,
    )
    keep = ~lattice.own
    index = {
        key: n for n, key in enumerate(key for key, o in zip(lattice.keys, keep, strict=True) if o)
    }
    bases = {base: b for b, base in enumerate(lattice.bases)}
    return Pattern(cells=index, bases=bases, open=~closed[keep])
