-- Demand beside provision for every (region at a level, service or category): the contract's
-- report, and what every view reads. Reads the per-area rollups built at import
-- (dashboard/ingest/rollups.py); queries/gaps_people.sql computes the same table from the
-- respondents themselves and is what this query is tested against.
--
-- Parameters
--   $level        city | district | street | community | grid ('city' = the root: the whole dataset)
--   $within       a region_id: only areas inside its subtree (the root for the whole dataset)
--   $area_level   the level name of the areas asked for (the root's level for 'city'), and
--   $pre, $post   $within's subtree range in region_order: both only narrow the rollup scans
--   $by           'service' (one row per service) or 'category' (the contract's category figures:
--                 the same sums taken over a category's services before dividing)
--   $group        NULL, or a respondent covariate to break the survey figures down by (a
--                 group_name of the rollups, present for areas at rollups.GROUP_LEVELS); rows then
--                 repeat per group value (group_value NULL = not recorded). Delivery figures carry
--                 no groups and repeat unchanged.
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
-- service, one answer each; for a category, people answering any of its services).
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
sums AS (
    -- the slice's answer cells of the areas asked for, at threshold $threshold (1–5: the
    -- rollup holds every threshold's sums in its own column)
    SELECT c.area_id, si.item_code, c.group_value,
           sum(c.n)::BIGINT AS answers_n,
           sum(c.rn)::BIGINT AS received_answers_n,
           sum(CASE $threshold WHEN 1 THEN c.un1 WHEN 2 THEN c.un2 WHEN 3 THEN c.un3
                        WHEN 4 THEN c.un4 ELSE c.un5 END)::BIGINT AS unmet_answers_n,
           NULLIF(sum(c.sw), 0) AS w_answered,
           sum(CASE $threshold WHEN 1 THEN c.dw1 WHEN 2 THEN c.dw2 WHEN 3 THEN c.dw3
                        WHEN 4 THEN c.dw4 ELSE c.dw5 END) AS w_need,
           NULLIF(sum(c.rsw), 0) AS w_received_base,
           sum(c.rw) AS w_received,
           NULLIF(sum(CASE $threshold WHEN 1 THEN c.uxw1 WHEN 2 THEN c.uxw2 WHEN 3 THEN c.uxw3
                        WHEN 4 THEN c.uxw4 ELSE c.uxw5 END), 0) AS w_unmet_base,
           sum(CASE $threshold WHEN 1 THEN c.uyw1 WHEN 2 THEN c.uyw2 WHEN 3 THEN c.uyw3
                        WHEN 4 THEN c.uyw4 ELSE c.uyw5 END) AS w_unmet
    FROM survey_cells c
    JOIN areas a ON a.region_id = c.area_id
    JOIN service_item si ON si.service_code = c.service_code
    WHERE c.area_level = $area_level AND c.area_pre BETWEEN $pre AND $post
      AND c.group_name = COALESCE($group, '')
      AND ($age_group IS NULL OR c.age_group = $age_group)
      AND ($sex IS NULL OR c.sex = $sex)
    GROUP BY ALL
),
people AS (
    -- a category's n counts people, not answers
    SELECT p.area_id, p.category AS item_code, p.group_value,
           sum(p.n)::BIGINT AS respondents_n,
           sum(p.n) FILTER (WHERE p.rec_base)::BIGINT AS received_n,
           sum(p.n) FILTER (WHERE p.max_need_rec >= $threshold)::BIGINT AS unmet_n
    FROM category_people p
    JOIN areas a ON a.region_id = p.area_id
    WHERE $by = 'category'
      AND p.area_level = $area_level AND p.area_pre BETWEEN $pre AND $post
      AND p.group_name = COALESCE($group, '')
      AND ($age_group IS NULL OR p.age_group = $age_group)
      AND ($sex IS NULL OR p.sex = $sex)
    GROUP BY ALL
),
survey AS (
    SELECT s.area_id, s.item_code, s.group_value,
           COALESCE(p.respondents_n, s.answers_n) AS respondents_n,
           COALESCE(p.received_n, CASE WHEN $by = 'category' THEN 0 END,
                    s.received_answers_n, 0) AS received_n,
           COALESCE(p.unmet_n, CASE WHEN $by = 'category' THEN 0 END,
                    s.unmet_answers_n, 0) AS unmet_n,
           s.w_answered, s.w_need, s.w_received_base, s.w_received, s.w_unmet_base, s.w_unmet
    FROM sums s
    LEFT JOIN people p
      ON p.area_id = s.area_id AND p.item_code = s.item_code
     AND p.group_value IS NOT DISTINCT FROM s.group_value
),
groups AS (
    SELECT DISTINCT group_value FROM survey
    UNION
    SELECT NULL WHERE $group IS NULL
),
survey_total AS (
    SELECT area_id, group_value, sum(w_need) AS w_need_all FROM survey GROUP BY ALL
),
delivered AS (
    SELECT area_id, service_code, quantity
    FROM provision_cells
    WHERE area_level = $area_level AND area_pre BETWEEN $pre AND $post
      AND month >= $m0 AND month <= $m1
      AND ($age_group IS NULL OR age_group = $age_group)
    UNION ALL
    SELECT c.ancestor_id, d.service_code, d.quantity
    FROM deliveries d
    JOIN region_closure c ON c.descendant_id = d.region_id
    WHERE d.delivered_on BETWEEN $d0 AND $d1
      AND (d.delivered_on < $m0 OR d.delivered_on > last_day($m1))
      AND ($age_group IS NULL OR d.age_group = $age_group)
),
provision AS (
    SELECT d.area_id, si.item_code, sum(d.quantity)::BIGINT AS provision_count
    FROM delivered d
    JOIN areas a ON a.region_id = d.area_id
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
figures AS (
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
FROM figures
ORDER BY region_id, item_code, group_value
