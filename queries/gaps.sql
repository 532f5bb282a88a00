-- Demand beside provision for every (region at a level, service or category): the contract's
-- report, and what every view reads. Reads the per-area rollups built at import
-- (dashboard/ingest/rollups.py); queries/gaps_people.sql computes the same table from the
-- respondents themselves and is what this query is tested against.
--
-- Parameters
--   $level        city | district | street | community | grid ('city' = the root: the whole dataset)
--                 | station (each station inside $within: survey figures of its catchment's
--                 respondents, delivery figures of its own records, deliveries.station_id)
--   $within       a region_id: only areas inside its subtree (the root for the whole dataset)
--   $area_level   the level name of the areas asked for (the root's level for 'city'), and
--   $pre, $post   $within's subtree range in region_order: both only narrow the rollup scans
--   $by           'service' (one row per service) or 'category' (the contract's category figures:
--                 the same sums taken over a category's services before dividing)
--   $group        NULL, or a respondent covariate to break the survey figures down by (a
--                 group_name of the rollups, present for areas at rollups.GROUP_LEVELS); rows then
--                 repeat per group value (group_value NULL = not recorded). Delivery figures carry
--                 no groups and repeat unchanged.
--   $threshold    need threshold T: needs(i, s) = need >= T (the rollups hold each threshold's
--                 sums as a list indexed by T: lists are 1-based, as T = 1..5)
--   $age_group    NULL or one of '<60', '60-69', '70-79', '80+' (respondents; and deliveries by
--                 recipient age group, where recorded)
--   $sex          NULL, 'M' or 'F' (respondents only: deliveries carry no sex)
--   $d0, $d1      the delivery period, inclusive (NULL-free: the data layer fills open ends)
--   $m0, $m1      the first and last whole months inside [$d0, $d1] (first day of each month);
--                 whole months are read from the rollup, the partial edge months from raw rows.
--
-- Figures are unsuppressed, beside the counts they rest on: n counts distinct respondents (for a
-- service, one answer each; for a category, people answering any of its services), and
-- dashboard/disclosure.py (GAPS) applies the contract's "Small cells" rule to them.
--
-- provision_per_1000: 1000 × provision_count / elderly population / years, where the elderly
-- population sums elderly_population over the area's subtree, taking each region that has one
-- unless a region above it (inside the area) already has one (no double counting), and years =
-- (days from $d0 to $d1 inclusive) / 365.25. Missing when no region of the area has one.
WITH
@include _areas
@include _items
sums AS (
    -- the slice's answer cells of the areas asked for, at threshold $threshold
    SELECT c.area_id, si.item_code, c.group_value,
           sum(c.n)::BIGINT AS answers_n,
           sum(c.rn)::BIGINT AS received_answers_n,
           sum(c.un[$threshold])::BIGINT AS unmet_answers_n,
           NULLIF(sum(c.sw), 0) AS w_answered,
           sum(c.dw[$threshold]) AS w_need,
           NULLIF(sum(c.rsw), 0) AS w_received_base,
           sum(c.rw) AS w_received,
           NULLIF(sum(c.uxw[$threshold]), 0) AS w_unmet_base,
           sum(c.uyw[$threshold]) AS w_unmet
    FROM survey_cells c
    JOIN areas a ON a.region_id = c.area_id
    JOIN service_item si ON si.service_code = c.service_code
    WHERE c.group_name = COALESCE($group, '') AND
@include _cell_slice
    GROUP BY ALL
),
people AS (
    -- a category's n counts people, not answers
    SELECT c.area_id, c.category AS item_code, c.group_value,
           sum(c.n)::BIGINT AS respondents_n,
           sum(c.n) FILTER (WHERE c.rec_base)::BIGINT AS received_n,
           sum(c.n) FILTER (WHERE c.max_need_rec >= $threshold)::BIGINT AS unmet_n
    FROM category_people c
    JOIN areas a ON a.region_id = c.area_id
    WHERE $by = 'category'
      AND c.group_name = COALESCE($group, '') AND
@include _cell_slice
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
    WHERE $level <> 'station'
      AND d.delivered_on BETWEEN $d0 AND $d1
      AND (d.delivered_on < $m0 OR d.delivered_on > last_day($m1))
      AND ($age_group IS NULL OR d.age_group = $age_group)
    UNION ALL
    -- a station's figures are its own deliveries, whoever they served
    SELECT d.station_id, d.service_code, d.quantity
    FROM deliveries d
    WHERE $level = 'station'
      AND d.delivered_on BETWEEN $d0 AND $d1
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
@include _gaps_figures
