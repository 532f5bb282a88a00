-- The respondents the differencing rule works on (dashboard/disclosure.py, `cells` and
-- `pattern`): the finest cells, "atoms", from which every cell a figure can be about is summed.
--
-- Parameters
--   $group        NULL, or a respondent covariate (the names of the CASE in _group_value.sql):
--                 atoms then also split by its values
--
-- One row per living place × age group × sex × value of $group × base, with n, its respondents
-- in that base: `people` (everyone), `answered:S` (answered service S), `received:S` (answered
-- S and said whether they received it), `qol` and `adl` (have a QoL / ADL total). Every survey
-- figure rests on one of these counts. group_value NULL is "not recorded" — or, with no $group
-- (all_values), no split by value at all. The living place is a region's own id: respondents
-- living in a community directly are atoms of the community. A base an atom has nobody in has
-- no row. Which cells the atoms add up to (a region's subtree × an age group or all × …) is
-- summed in disclosure.cells, over the region tree (queries/region_parents.sql). Their order
-- does not matter: the cells are numbered by their keys.
WITH
person AS (
    SELECT p.respondent_id, p.region_id, p.age_group, p.sex,
           @include _group_value
           AS group_value,
           p.qol_total IS NOT NULL AS has_qol, p.adl_total IS NOT NULL AS has_adl
    FROM respondents p
),
bases AS (
    SELECT respondent_id, 'people' AS base FROM person
    UNION ALL
    SELECT respondent_id, 'qol' FROM person WHERE has_qol
    UNION ALL
    SELECT respondent_id, 'adl' FROM person WHERE has_adl
    UNION ALL
    SELECT respondent_id, 'answered:' || service_code FROM needs WHERE need IS NOT NULL
    UNION ALL
    SELECT respondent_id, 'received:' || service_code
    FROM needs WHERE need IS NOT NULL AND received IS NOT NULL
)
SELECT p.region_id, p.age_group, p.sex, p.group_value, $group IS NULL AS all_values,
       b.base, count(*)::BIGINT AS n
FROM bases b JOIN person p USING (respondent_id)
GROUP BY ALL
