-- Fragment (`@include _answers`): the per-person routes' inputs: every answer (need given) of
-- the slice's respondents, once per area asked for that holds them, with the respondent's
-- weight, design keys and group value (the covariate $group, as text; the rollup route stores
-- the same values: rollups.GROUP_SQL), and needs at threshold $threshold.
answers AS (
    SELECT m.area_id, si.item_code, p.respondent_id, p.weight AS w,
           p.stratum AS respondent_stratum, p.psu AS respondent_psu,
           (n.need >= $threshold) AS needs, n.received,
           @include _group_value
           AS group_value
    FROM area_members m
    JOIN respondents p ON p.region_id = m.region_id
    JOIN needs n ON n.respondent_id = p.respondent_id
    JOIN service_item si ON si.service_code = n.service_code
    WHERE n.need IS NOT NULL
      AND ($age_group IS NULL OR p.age_group = $age_group)
      AND ($sex IS NULL OR p.sex = $sex)
),
