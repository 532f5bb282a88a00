"""An attacker's audit: which groups of respondents can be computed from the published cells.

Every published figure is a sum over respondents, so what an attacker can compute from a set of
published cells is any linear combination of them: a group G is exposed when its indicator (over
the finest cells, "atoms": the respondents of one living place × age group × sex × value) lies in
the span of the published cells' indicators. This checks that exactly, by projecting onto an
orthonormal basis of that span.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from dashboard import disclosure

Atom = tuple[str, str, str, str]


def atoms_of(atoms: pd.DataFrame, parents: pd.DataFrame, base: str = "people") -> dict[Atom, int]:
    """The finest cells and their respondents in `base`, from queries/disclosure_atoms.sql: an
    atom of a region with sub-areas is its "own:" residents (living there directly)."""
    rows = atoms[atoms["base"] == base]
    inner = set(parents["parent_id"].dropna())
    found: dict[Atom, int] = {}
    for region, age, sex, value, whole, n in zip(
        rows["region_id"], rows["age_group"], rows["sex"], rows["group_value"],
        rows["all_values"], rows["n"], strict=True,
    ):  # fmt: skip
        value = disclosure.ALL if whole else (disclosure.NOT_RECORDED if pd.isna(value) else value)
        found[(("own:" if region in inner else "") + region, age, sex, value)] = int(n)
    return found


def members(parents: pd.DataFrame, atoms: Iterable[Atom]) -> dict[disclosure.Cell, list[Atom]]:
    """Each cell → the atoms it sums (an atom is in a cell when its place is inside the cell's
    region and its age, sex and value match or the cell takes all)."""
    parent = dict(zip(parents["region_id"], parents["parent_id"], strict=True))

    def ancestors(place: str) -> list[str]:
        region = place.removeprefix("own:")
        found = [region]
        while isinstance(parent.get(found[-1]), str):
            found.append(parent[found[-1]])
        return found

    out: dict[disclosure.Cell, list[Atom]] = {}
    for atom in atoms:
        place, age, sex, value = atom
        for region in ancestors(place):
            for a in (age, disclosure.ALL):
                for s in (sex, disclosure.ALL):
                    for v in {value, disclosure.ALL}:
                        out.setdefault((region, False, a, s, v), []).append(atom)
    return out


def exposed(
    published: Iterable[disclosure.Cell],
    candidates: dict[str, list[Atom]],
    atom_index: dict[Atom, int],
    cell_atoms: dict[disclosure.Cell, list[Atom]],
) -> list[str]:
    """The candidate groups (name → its atoms) that published cells let an attacker compute."""
    rows = []
    for cell in published:
        row = np.zeros(len(atom_index))
        row[[atom_index[a] for a in cell_atoms[cell]]] = 1.0
        rows.append(row)
    if not rows:
        return []
    matrix = np.vstack(rows)
    _, sigma, vt = np.linalg.svd(matrix, full_matrices=False)
    basis = vt[sigma > sigma.max() * 1e-10]
    found = []
    for name, group in candidates.items():
        target = np.zeros(len(atom_index))
        target[[atom_index[a] for a in group]] = 1.0
        residual = target - basis.T @ (basis @ target)
        if np.linalg.norm(residual) < 1e-6:
            found.append(name)
    return found
