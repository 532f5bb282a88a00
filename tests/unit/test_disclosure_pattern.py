"""The differencing rule (disclosure.pattern) on hand-made respondents: the issue's attacks in
miniature, each closing exactly the cells that stop the subtraction."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import disclosure as d

K = 10
ALL = d.ALL


@pytest.fixture(autouse=True)
def default_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAREGAP_MIN_N", raising=False)


#: city C > community M > grids G1..G3 (and respondents living at M directly, when given)
PARENT = {"C": None, "M": "C", "G1": "M", "G2": "M", "G3": "M"}


PARENTS = pd.DataFrame({"region_id": list(PARENT), "parent_id": list(PARENT.values())})


def _atoms(people: list[tuple[str, str, str]]) -> pd.DataFrame:
    """queries/disclosure_atoms.sql's answer for respondents (living place, age group, sex),
    everybody answering everything: one base, `people`."""
    frame = pd.DataFrame(people, columns=["region_id", "age_group", "sex"])
    atoms = frame.value_counts().rename("n").reset_index()
    return atoms.assign(group_value=None, all_values=True, base="people")


def _sizes(people: list[tuple[str, str, str]]) -> dict:
    """(region, age group, sex) → respondents, for every cell a figure can be about."""
    found = d.cells(_atoms(people), PARENTS)
    column = found.counts[:, found.bases.index("people")]
    return {
        (key[0], key[2], key[3]): n
        for key, n, own in zip(found.keys, column, found.own, strict=True)
        if not own
    }


def _shown(people: list[tuple[str, str, str]], k: int = K) -> dict:
    return {
        (key[0], key[2], key[3]): ok
        for key, ok in d.pattern(_atoms(people), PARENTS, k).in_base("people").items()
    }


def _many(place: str, age: str, sex: str, n: int) -> list[tuple[str, str, str]]:
    return [(place, age, sex)] * n


BIG = _many("G2", "60-69", "M", 20) + _many("G2", "60-69", "F", 20) + _many("G3", "70-79", "F", 25)


def test_all_sexes_minus_men_cannot_give_the_one_woman():
    shown = _shown(_many("G1", "70-79", "M", 15) + _many("G1", "70-79", "F", 1) + BIG)
    assert shown[("G1", "70-79", ALL)]  # the whole is shown
    assert not shown[("G1", "70-79", "F")]  # the woman: primary
    assert not shown[("G1", "70-79", "M")]  # the men: secondary, or the whole gives her away


def test_all_ages_minus_the_other_age_groups_cannot_give_the_one_80_plus():
    people = _many("G1", "60-69", "F", 20) + _many("G1", "70-79", "F", 12)
    shown = _shown(people + _many("G1", "80+", "F", 1) + BIG)
    assert not shown[("G1", "80+", ALL)]
    assert not shown[("G1", "70-79", ALL)]  # the next smallest
    assert shown[("G1", "60-69", ALL)]  # 13 people left out of the whole: enough


def test_a_community_minus_its_other_grids_cannot_give_a_small_grid():
    people = _many("G1", "60-69", "F", 5) + _many("G2", "60-69", "F", 30)
    shown = _shown(people + _many("G3", "60-69", "F", 12))
    assert not shown[("G1", ALL, ALL)]
    assert not shown[("G3", ALL, ALL)]  # the next smallest grid
    assert shown[("G2", ALL, ALL)] and shown[("M", ALL, ALL)]


def test_a_closed_cell_closes_what_is_inside_it():
    people = _many("G1", "60-69", "F", 5) + _many("G1", "70-79", "M", 3) + BIG
    shown = _shown(people + _many("G3", "60-69", "M", 12))
    assert not shown[("G1", ALL, ALL)]
    assert not any(ok for (area, *_), ok in shown.items() if area == "G1")


def test_two_closed_parts_must_hold_k_together_else_a_third_is_closed():
    people = _many("G1", "60-69", "F", 4) + _many("G2", "60-69", "F", 4)
    shown = _shown(people + _many("G3", "60-69", "F", 40))
    # G1 + G2 = 8 < k: closing both is not enough, G3 goes too (the community stays)
    assert not shown[("G3", ALL, ALL)] and shown[("M", ALL, ALL)]


def test_people_living_at_the_community_itself_count_as_a_closed_part():
    people = _many("M", "60-69", "F", 3) + _many("G2", "60-69", "F", 30)
    shown = _shown(people + _many("G3", "60-69", "F", 15))
    assert not shown[("G3", ALL, ALL)]  # or the community minus its grids = the 3


@pytest.mark.usefixtures("floor_one")
def test_a_floor_of_1_closes_nothing():
    shown = _shown(_many("G1", "80+", "M", 1) + _many("G2", "60-69", "F", 2), k=1)
    assert all(shown.values())


def test_the_rule_never_goes_below_the_deployments_floor():
    people = _many("G1", "70-79", "M", 15) + _many("G1", "70-79", "F", 1) + BIG
    assert not _shown(people, k=1)[("G1", "70-79", "F")]  # asked 1, got the floor (10)


AGES, SEXES = ("60-69", "70-79", "80+"), ("M", "F")


def _splits(shown: dict) -> list[tuple[tuple, list[tuple]]]:
    """Each published-able whole and the parts it adds up from, built from the keys alone:
    a cell's age groups, its sexes, and (for a region) its child regions."""
    children = {p: [c for c, up in PARENT.items() if up == p] for p in PARENT}
    found = []
    for area, age, sex in shown:
        if age == ALL:
            found.append(((area, age, sex), [(area, a, sex) for a in AGES]))
        if sex == ALL:
            found.append(((area, age, sex), [(area, age, s) for s in SEXES]))
        if children[area]:
            found.append(((area, age, sex), [(c, age, sex) for c in children[area]]))
    return found


@pytest.mark.parametrize("seed", range(40))
def test_on_random_populations_no_published_whole_minus_its_open_parts_is_below_k(seed):
    rng = __import__("numpy").random.default_rng(seed)
    people = [
        (str(rng.choice(["G1", "G2", "G3", "M"], p=[0.35, 0.35, 0.25, 0.05])),
         str(rng.choice(AGES)), str(rng.choice(SEXES)))
        for _ in range(int(rng.integers(5, 120)))
    ]  # fmt: skip
    size = _sizes(people)
    shown = _shown(people)
    for cell, ok in shown.items():
        assert not ok or size.get(cell, 0) == 0 or size[cell] >= K, cell  # rule 1
    for whole, parts in _splits(shown):
        present = [p for p in parts if size.get(p, 0) > 0]
        if not shown[whole]:
            assert not any(shown.get(p, True) for p in present), whole  # rule 2
            continue
        closed = [size[p] for p in present if not shown[p]]
        rest = 0  # the community's own residents: a part of its split, never published
        if whole[0] == "M" and parts[0][0] == "G1":
            rest = size[whole] - sum(size.get(p, 0) for p in parts)
            closed += [rest] if rest > 0 else []
        if closed:
            only_own = closed == [rest]
            assert sum(closed) >= K and (len(closed) >= 2 or only_own), (whole, closed)  # rule 3
