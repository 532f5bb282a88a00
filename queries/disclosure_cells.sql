-- The sizes the differencing rule works on (dashboard/disclosure.py, `pattern`): every cell a
-- published figure can be about, with the number of its respondents and its smallest base.
--
-- Parameters
--   $group        NULL, or a respondent covariate (the names of the CASE in _answers.sql): cells
--                 then also split by its values
--
-- A cell is a region's subtree (own = false) or the respondents living in the region itself
-- (own = true: a part of the subtree no figure is about, which the rule must still protect)
-- × an age group × a sex × a value of $group, each of them also "all" (all_ages, all_sexes,
-- all_values). group_value NULL with all_values false is "not recorded".
-- One row per cell and base, with n, the cell's respondents in that base: `people` (everyone),
-- `answered:S` (answered service S), `received:S` (answered S and said whether they received
-- it), `qol` and `adl` (have a QoL / ADL total). Every survey figure rests on one of these
-- counts. A base a cell has nobody in has no row.
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
),
atoms AS (
    -- respondents per living place × age × sex × value × base: what every cell sums
    SELECT p.region_id, p.age_group, p.sex, p.group_value, b.base, count(*) AS n
    FROM bases b JOIN person p USING (respondent_id)
    GROUP BY ALL
),
placed AS (
    SELECT c.ancestor_id AS region_id, false AS own, a.*  EXCLUDE (region_id)
    FROM atoms a JOIN region_closure c ON c.descendant_id = a.region_id
    UNION ALL
    SELECT a.region_id, true AS own, a.* EXCLUDE (region_id)
    FROM atoms a
    WHERE EXISTS (SELECT 1 FROM regions r WHERE r.parent_id = a.region_id)
),
cells AS (
    SELECT region_id, own, age_group, sex, group_value,
           GROUPING(age_group) = 1 AS all_ages, GROUPING(sex) = 1 AS all_sexes,
           GROUPING(group_value) = 1 AS all_values, base, sum(n) AS n
    FROM placed
    GROUP BY GROUPING SETS (
        (region_id, own, base, age_group, sex, group_value),
        (region_id, own, base, age_group, group_value),
        (region_id, own, base, sex, group_value),
        (region_id, own, base, group_value),
        (region_id, own, base, age_group, sex),
        (region_id, own, base, age_group),
        (region_id, own, base, sex),
        (region_id, own, base)
    )
)
SELECT c.region_id, r.parent_id, c.own, c.age_group, c.sex, c.group_value,
       c.all_ages, c.all_sexes, c.all_values, c.base, c.n::BIGINT AS n
FROM cells c
JOIN regions r USING (region_id)
WHERE $group IS NOT NULL OR c.all_values
ORDER BY ALL
