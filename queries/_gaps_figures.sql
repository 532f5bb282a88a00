-- Fragment: the ONE final step of queries/gaps.sql (the rollup route) and gaps_people.sql (the
-- per-person reference route): every metric of the contract is defined here, once.
--
-- Why a textual include (dashboard/sql.py, `@include _gaps_figures`) and not a DuckDB table
-- macro: the two routes differ only in how they sum their inputs, and the step after that reads
-- six CTEs and a dozen parameters; as a macro each would be passed by hand (and the store would
-- have to carry the macro, a schema change), while an include keeps one plain query per question
-- that DuckDB plans as a whole, with its parameters bound as everywhere else. The include is
-- fixed text from queries/, resolved when the query is loaded; sql.query_params sees its $names.
--
-- The including query defines, before it: areas and items (_areas, _items), and
--   survey     (area_id, item_code, group_value, respondents_n, received_n, unmet_n,
--               w_answered, w_need, w_received_base, w_received, w_unmet_base, w_unmet):
--              the slice's unweighted counts and weight sums per area × item × group value
--   provision  (area_id, item_code, provision_count): delivered quantity in the period
--
-- Figures are unsuppressed: dashboard/disclosure.py (GAPS) hides those resting on fewer than k
-- respondents and sets `suppressed` before any consumer sees them.
groups AS (
    SELECT DISTINCT group_value FROM survey
    UNION
    SELECT NULL WHERE $group IS NULL
),
survey_total AS (
    SELECT area_id, group_value, sum(w_need) AS w_need_all FROM survey GROUP BY ALL
),
provision_total AS (
    SELECT area_id, sum(provision_count) AS provision_all FROM provision GROUP BY area_id
),
elderly AS (
    -- regions of each area's subtree with a population aged 60+, unless one above them (inside
    -- the area) has one: its nearest such ancestor lies above the area, or there is none;
    SELECT a.region_id AS area_id, sum(r.elderly_population) AS elderly_population
    FROM areas a
    JOIN region_depths ad ON ad.region_id = a.region_id
    JOIN region_closure c ON c.ancestor_id = a.region_id
    JOIN regions r ON r.region_id = c.descendant_id AND r.elderly_population IS NOT NULL
    JOIN region_depths rd ON rd.region_id = r.region_id
    WHERE $level <> 'station'
      AND (rd.elderly_cover_depth IS NULL OR rd.elderly_cover_depth < ad.depth)
    GROUP BY a.region_id
    UNION ALL
    -- a station's: its catchment's, built at import the same way (rollups.station_elderly)
    SELECT e.station_id, e.elderly_population
    FROM station_elderly e
    JOIN areas a ON a.region_id = e.station_id
    WHERE $level = 'station'
),
figures AS (
    SELECT a.region_id, a.region_name, a.region_name_en, a.level,
           s.item_code, s.category, g.group_value,
           COALESCE(v.respondents_n, 0) AS respondents_n,
           COALESCE(v.received_n, 0) AS received_n,
           COALESCE(v.unmet_n, 0) AS unmet_n,
           COALESCE(v.w_need, 0) / v.w_answered AS demand_rate,
           COALESCE(v.w_received, 0) / v.w_received_base AS received_rate,
           COALESCE(v.w_unmet, 0) / v.w_unmet_base AS unmet_rate,
           CASE WHEN t.w_need_all > 0 THEN COALESCE(v.w_need, 0) / t.w_need_all END
               AS demand_share,
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
       NULL::BOOLEAN AS suppressed, received_n, unmet_n, elderly_population,
       CASE WHEN elderly_population > 0 AND $d1 >= $d0
            THEN 1000.0 * provision_count / elderly_population
                 / ((date_diff('day', $d0, $d1) + 1) / 365.25) END AS provision_per_1000
FROM figures
ORDER BY region_id, item_code, group_value
