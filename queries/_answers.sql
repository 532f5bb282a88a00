-- Fragment (`@include _answers`): the per-person routes' inputs: every answer (need given) of
-- the slice's respondents, once per area asked for that holds them, with the respondent's
-- weight, design keys and group value (the covariate $group, as text; the rollup route stores
-- the same values: rollups.GROUP_SQL), and needs at threshold $threshold.
answers AS (
    SELECT c.ancestor_id AS area_id, si.item_code, p.respondent_id, p.weight AS w,
           p.stratum AS respondent_stratum, p.psu AS respondent_psu,
           (n.need >= $threshold) AS needs, n.received,
           CASE $group
               WHEN 'age_group' THEN p.age_group
               WHEN 'sex' THEN p.sex
               WHEN 'education' THEN p.education
               WHEN 'income_band' THEN p.income_band
               WHEN 'payment_form' THEN p.payment_form
               WHEN 'living_arrangement' THEN p.living_arrangement
               WHEN 'occupation' THEN p.occupation
               WHEN 'has_spouse' THEN CAST(p.has_spouse AS VARCHAR)
               WHEN 'chronic_disease' THEN CAST(p.chronic_disease AS VARCHAR)
               WHEN 'psych_problem' THEN CAST(p.psych_problem AS VARCHAR)
               WHEN 'adl_level' THEN p.adl_level
               WHEN 'qol_grade' THEN p.qol_grade
           END AS group_value
    FROM areas a
    JOIN region_closure c ON c.ancestor_id = a.region_id
    JOIN respondents p ON p.region_id = c.descendant_id
    JOIN needs n ON n.respondent_id = p.respondent_id
    JOIN service_item si ON si.service_code = n.service_code
    WHERE n.need IS NOT NULL
      AND ($age_group IS NULL OR p.age_group = $age_group)
      AND ($sex IS NULL OR p.sex = $sex)
),
