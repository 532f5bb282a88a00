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
--   $age_group    NULL or one of '<60', '60-69', '70-79', '80+' (respondents; and deliveries by
--                 recipient age group, where recorded)
--   $sex          NULL, 'M' or 'F' (respondents only: deliveries carry no sex)
--   $d0, $d1      the delivery period, inclusive (NULL-free: the data layer fills open ends)
--   $m0, $m1      the first and last whole months inside [$d0, $d1] (first day of each month);
--                 whole months are read from the rollup, the partial edge months from raw rows.
--
-- Figures are unsuppressed, beside the counts they rest on: n counts distinct respondents (for a
-- service, one answer each), and dashboard/disclosure.py (GAPS) applies the contract's "Small
-- cells" rule to them. The metrics and the final step are queries/_gaps_figures.sql, shared with
-- gaps.sql: only the sums below differ.
--
-- provision_per_1000: 1000 × provision_count / elderly population / years, where the elderly
-- population sums elderly_population over the area's subtree, taking each region that has one
-- unless a region above it (inside the area) already has one (no double counting), and years =
-- (days from $d0 to $d1 inclusive) / 365.25. Missing when no region of the area has one.
WITH
@include _areas
@include _items
@include _answers
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
    WHERE $level <> 'station'
    GROUP BY ALL
    UNION ALL
    -- a station's own deliveries, from the records themselves (the reference for the rollup)
    SELECT d.station_id, si.item_code, sum(d.quantity)::BIGINT
    FROM areas a
    JOIN deliveries d ON d.station_id = a.region_id
    JOIN service_item si ON si.service_code = d.service_code
    WHERE $level = 'station'
      AND d.delivered_on BETWEEN $d0 AND $d1
      AND ($age_group IS NULL OR d.age_group = $age_group)
    GROUP BY ALL
),
@include _gaps_figures
