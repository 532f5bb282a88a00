-- Demand beside provision for every (region at a level, service or category): the contract's
-- report, and what every view reads.
--
-- Parameters
--   $level        city | district | street | community | grid ('city' = the root: the whole dataset)
--   $within       a region_id: only areas inside its subtree (the root for the whole dataset)
--   $by           'service' (one row per service) or 'category' (the contract's category figures:
--                 the same sums taken over a category's services before dividing)
--   $group        NULL, or a respondent covariate to break the survey figures down by (one of the
--                 names in the CASE below); rows then repeat per group value (group_value NULL =
--                 not recorded). Delivery figures carry no groups and repeat unchanged.
--   $threshold    need threshold T: needs(i, s) = need >= T
--   $min_n        k: figures resting on fewer than k respondents (unweighted) are suppressed
--   $age_group    NULL or one of '<60', '60-69', '70-79', '80+' (respondents; and deliveries by
--                 recipient age group, where recorded)
--   $sex          NULL, 'M' or 'F' (respondents only: deliveries carry no sex)
--   $d0, $d1      the delivery period, inclusive (NULL-free: the data layer fills open ends)
--   $m0, $m1      the first and last whole months inside [$d0, $d1] (first day of each month);
--                 whole months are read from the rollup, the partial edge months from raw rows.
--
-- Suppression (contract "Small cells", read per figure): the row is suppressed when
-- respondents_n < k; received_rate and gap_pp also go missing when received_n < k, unmet_rate
-- when unmet_n < k. Delivery counts are not suppressed. n counts distinct respondents (for a
-- service, one answer each).
--
-- provision_per_1000: 1000 × provision_count / elderly population / years, where the elderly
-- population sums elderly_population over the area's subtree, taking each region that has one
-- unless a region above it (inside the area) already has one (no double counting), and years =
-- (days from $d0 to $d1 inclusive) / 365.25. Missing when no region of the area has one.
WITH areas AS (
    SELECT r.region_id, r.name AS region_name, r.name_en AS region_name_en, r.level
    FROM regions r
    JOIN region_closure w ON w.descendant_id = r.region_id AND w.ancestor_id = $within
    WHERE CASE WHEN $level = 'city' THEN r.parent_id IS NULL ELSE r.level = $level END
),
items AS (
    SELECT DISTINCT CASE WHEN $by = 'category' THEN category ELSE service_code END AS item_code,
           category
    FROM services
),
service_item AS (
    SELECT service_code, CASE WHEN $by = 'category' THEN category ELSE service_code END AS item_code
    FROM services
),
answers AS (
    SELECT c.ancestor_id AS area_id, si.item_code, p.respondent_id, p.weight AS w,
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
groups AS (
    SELECT DISTINCT group_value FROM answers
    UNION
    SELECT NULL WHERE $group IS NULL
),
per_person AS (
    -- one row per respondent and item (for a category: over its services), so that n counts
    -- people, not answers
    SELECT area_id, item_code, group_value, respondent_id,
           sum(w) AS w_answered,
           sum(w) FILTER (WHERE needs) AS w_need,
           bool_or(received IS NOT NULL) AS has_received,
           sum(w) FILTER (WHERE received IS NOT NULL) AS w_received_base,
           sum(w) FILTER (WHERE received) AS w_received,
           bool_or(needs AND received IS NOT NULL) AS in_unmet_base,
           sum(w) FILTER (WHERE needs AND received IS NOT NULL) AS w_unmet_base,
           sum(w) FILTER (WHERE needs AND NOT received) AS w_unmet
    FROM answers
    GROUP BY area_id, item_code, group_value, respondent_id
),
survey AS (
    SELECT area_id, item_code, group_value,
           count(*) AS respondents_n,
           sum(w_answered) AS w_answered,
           sum(w_need) AS w_need,
           count(*) FILTER (WHERE has_received) AS received_n,
           sum(w_received_base) AS w_received_base,
           sum(w_received) AS w_received,
           count(*) FILTER (WHERE in_unmet_base) AS unmet_n,
           sum(w_unmet_base) AS w_unmet_base,
           sum(w_unmet) AS w_unmet
    FROM per_person
    GROUP BY area_id, item_code, group_value
),
survey_total AS (
    SELECT area_id, group_value, sum(w_need) AS w_need_all FROM survey GROUP BY ALL
),
delivered AS (
    SELECT region_id, service_code, quantity
    FROM delivery_rollup
    WHERE month >= $m0 AND month <= $m1
      AND ($age_group IS NULL OR age_group = $age_group)
    UNION ALL
    SELECT region_id, service_code, quantity
    FROM deliveries
    WHERE delivered_on BETWEEN $d0 AND $d1
      AND (delivered_on < $m0 OR delivered_on > last_day($m1))
      AND ($age_group IS NULL OR age_group = $age_group)
),
provision AS (
    SELECT c.ancestor_id AS area_id, si.item_code, sum(d.quantity)::BIGINT AS provision_count
    FROM areas a
    JOIN region_closure c ON c.ancestor_id = a.region_id
    JOIN delivered d ON d.region_id = c.descendant_id
    JOIN service_item si ON si.service_code = d.service_code
    GROUP BY ALL
),
provision_total AS (
    SELECT area_id, sum(provision_count) AS provision_all FROM provision GROUP BY area_id
),
elderly AS (
    -- regions of each area's subtree with a population aged 60+, unless one above them (inside
    -- the area) has one: its nearest such ancestor lies above the area, or there is none
    SELECT a.region_id AS area_id, sum(r.elderly_population) AS elderly_population
    FROM areas a
    JOIN region_depths ad ON ad.region_id = a.region_id
    JOIN region_closure c ON c.ancestor_id = a.region_id
    JOIN regions r ON r.region_id = c.descendant_id AND r.elderly_population IS NOT NULL
    JOIN region_depths rd ON rd.region_id = r.region_id
    WHERE rd.elderly_cover_depth IS NULL OR rd.elderly_cover_depth < ad.depth
    GROUP BY a.region_id
),
cells AS (
    SELECT a.region_id, a.region_name, a.region_name_en, a.level,
           s.item_code, s.category, g.group_value,
           COALESCE(v.respondents_n, 0) AS respondents_n,
           COALESCE(v.received_n, 0) AS received_n,
           COALESCE(v.unmet_n, 0) AS unmet_n,
           COALESCE(v.respondents_n, 0) < $min_n AS suppressed,
           CASE WHEN COALESCE(v.respondents_n, 0) >= $min_n
                THEN COALESCE(v.w_need, 0) / v.w_answered END AS demand_rate,
           CASE WHEN COALESCE(v.respondents_n, 0) >= $min_n AND v.received_n >= $min_n
                THEN COALESCE(v.w_received, 0) / v.w_received_base END AS received_rate,
           CASE WHEN COALESCE(v.respondents_n, 0) >= $min_n AND v.unmet_n >= $min_n
                THEN COALESCE(v.w_unmet, 0) / v.w_unmet_base END AS unmet_rate,
           CASE WHEN COALESCE(v.respondents_n, 0) >= $min_n AND t.w_need_all > 0
                THEN COALESCE(v.w_need, 0) / t.w_need_all END AS demand_share,
           COALESCE(p.provision_count, 0) AS provision_count,
           CASE WHEN pt.provision_all > 0
                THEN COALESCE(p.provision_count, 0) / pt.provision_all END AS provision_share,
           e.elderly_population
    FROM areas a
    CROSS JOIN items s
    CROSS JOIN groups g
    LEFT JOIN survey v
      ON v.area_id = a.region_id AND v.item_code = s.item_code
     AND v.group_value IS NOT DISTINCT FROM g.group_value
    LEFT JOIN survey_total t
      ON t.area_id = a.region_id AND t.group_value IS NOT DISTINCT FROM g.group_value
    LEFT JOIN provision p ON p.area_id = a.region_id AND p.item_code = s.item_code
    LEFT JOIN provision_total pt ON pt.area_id = a.region_id
    LEFT JOIN elderly e ON e.area_id = a.region_id
)
SELECT region_id, region_name, region_name_en, level, item_code, category, group_value,
       respondents_n,
       demand_rate, received_rate,
       100 * (demand_rate - received_rate) AS gap_pp,
       unmet_rate, demand_share, provision_count, provision_share,
       100 * (demand_share - provision_share) AS mix_gap_pp,
       suppressed, received_n, unmet_n, elderly_population,
       CASE WHEN elderly_population > 0 AND $d1 >= $d0
            THEN 1000.0 * provision_count / elderly_population
                 / ((date_diff('day', $d0, $d1) + 1) / 365.25) END AS provision_per_1000
FROM cells
ORDER BY region_id, item_code, group_value
