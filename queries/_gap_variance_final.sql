-- Fragment: the ONE final step of queries/gap_variance.sql (the per-PSU rollup route) and
-- gap_variance_people.sql (the per-person reference route): the variance of the three survey
-- ratios is defined here, once. A textual include (`@include _gap_variance_final`, resolved by
-- dashboard/sql.py from queries/ when the query is loaded), for the reasons given at the top of
-- queries/_gaps_figures.sql.
--
-- The including query defines, before it:
--   units          (area_id, item_code, group_key, group_value, stratum, psu, n_h, and per ratio
--                  d_/r_/u_: y, x, y2, x2, n): per domain (area × item × group_key) and PSU
--                  touching it, Σ w·y, Σ w·x, Σ (w·y)², Σ (w·x)² and the respondents in the
--                  ratio's base; psu NULL pools the stratum's respondents who are their own PSU
--                  (only their Σ w² sums are needed, services only: see gap_variance.sql); a
--                  route that keys every such respondent as a PSU of its own never has psu NULL
--   person_counts  (area_id, item_code, group_key, d_n, r_n, u_n): the domain's n where units
--                  count answers rather than people (a category from the rollup); may be empty
--   design_flag    (has_design, w2_known): whether the dataset has a design, and whether units'
--                  Σ (w·x)² is the per-person one that Kish's n needs (else sum_w2 is missing)
--
-- No suppression here: dashboard/data.py::gap_intervals passes the estimates through
-- dashboard/disclosure.py (INTERVAL_INPUTS) first.
domains AS (
    SELECT u.area_id, u.item_code, u.group_key, any_value(u.group_value) AS group_value,
           sum(u.d_y) AS d_ty, NULLIF(sum(u.d_x), 0) AS d_tx, sum(u.d_n)::BIGINT AS d_n,
           sum(u.d_x2) AS d_x2,
           COALESCE(sum(CASE WHEN u.psu IS NULL THEN u.d_n ELSE 1 END)
               FILTER (WHERE u.d_n > 0), 0) AS d_psus,
           count(DISTINCT u.stratum) FILTER (WHERE u.d_n > 0) AS d_strata,
           sum(u.r_y) AS r_ty, NULLIF(sum(u.r_x), 0) AS r_tx, sum(u.r_n)::BIGINT AS r_n,
           sum(u.r_x2) AS r_x2,
           COALESCE(sum(CASE WHEN u.psu IS NULL THEN u.r_n ELSE 1 END)
               FILTER (WHERE u.r_n > 0), 0) AS r_psus,
           count(DISTINCT u.stratum) FILTER (WHERE u.r_n > 0) AS r_strata,
           sum(u.u_y) AS u_ty, NULLIF(sum(u.u_x), 0) AS u_tx, sum(u.u_n)::BIGINT AS u_n,
           sum(u.u_x2) AS u_x2,
           COALESCE(sum(CASE WHEN u.psu IS NULL THEN u.u_n ELSE 1 END)
               FILTER (WHERE u.u_n > 0), 0) AS u_psus,
           count(DISTINCT u.stratum) FILTER (WHERE u.u_n > 0) AS u_strata
    FROM units u
    GROUP BY u.area_id, u.item_code, u.group_key
),
scores AS (
    -- per real PSU: z; per stratum's own-PSU respondents: their number (those answering: the
    -- others have z = 0 in every ratio, and SS_h does not depend on which zeros are counted),
    -- T_u and Σ z²
    SELECT u.area_id, u.item_code, u.group_key, u.stratum, u.psu, u.n_h,
           CASE WHEN u.psu IS NULL THEN u.d_n ELSE 1 END AS d_m,
           (u.d_y - d.d_ty / d.d_tx * u.d_x) / d.d_tx AS d_z,
           ((1 - d.d_ty / d.d_tx) ^ 2 * u.d_y2 + (d.d_ty / d.d_tx) ^ 2 * (u.d_x2 - u.d_y2))
               / d.d_tx ^ 2 AS d_q,
           (u.r_y - d.r_ty / d.r_tx * u.r_x) / d.r_tx AS r_z,
           ((1 - d.r_ty / d.r_tx) ^ 2 * u.r_y2 + (d.r_ty / d.r_tx) ^ 2 * (u.r_x2 - u.r_y2))
               / d.r_tx ^ 2 AS r_q,
           (u.u_y - d.u_ty / d.u_tx * u.u_x) / d.u_tx AS u_z,
           ((1 - d.u_ty / d.u_tx) ^ 2 * u.u_y2 + (d.u_ty / d.u_tx) ^ 2 * (u.u_x2 - u.u_y2))
               / d.u_tx ^ 2 AS u_q
    FROM units u
    JOIN domains d USING (area_id, item_code, group_key)
),
by_stratum AS (
    -- per stratum: m_r, T_r, M_r over real PSUs (var_pop is stable) and m_u, T_u, M_u over
    -- the respondents who are their own PSU
    SELECT area_id, item_code, group_key, stratum, any_value(n_h) AS n_h,
           count(*) FILTER (WHERE psu IS NOT NULL) AS m_r,
           COALESCE(sum(d_m) FILTER (WHERE psu IS NULL), 0) AS m_u,
           COALESCE(sum(d_z) FILTER (WHERE psu IS NOT NULL), 0) AS d_tr,
           COALESCE(var_pop(d_z) FILTER (WHERE psu IS NOT NULL), 0)
               * count(*) FILTER (WHERE psu IS NOT NULL) AS d_mr,
           COALESCE(sum(d_z) FILTER (WHERE psu IS NULL), 0) AS d_tu,
           COALESCE(sum(d_q) FILTER (WHERE psu IS NULL), 0) AS d_qu,
           COALESCE(sum(r_z) FILTER (WHERE psu IS NOT NULL), 0) AS r_tr,
           COALESCE(var_pop(r_z) FILTER (WHERE psu IS NOT NULL), 0)
               * count(*) FILTER (WHERE psu IS NOT NULL) AS r_mr,
           COALESCE(sum(r_z) FILTER (WHERE psu IS NULL), 0) AS r_tu,
           COALESCE(sum(r_q) FILTER (WHERE psu IS NULL), 0) AS r_qu,
           COALESCE(sum(u_z) FILTER (WHERE psu IS NOT NULL), 0) AS u_tr,
           COALESCE(var_pop(u_z) FILTER (WHERE psu IS NOT NULL), 0)
               * count(*) FILTER (WHERE psu IS NOT NULL) AS u_mr,
           COALESCE(sum(u_z) FILTER (WHERE psu IS NULL), 0) AS u_tu,
           COALESCE(sum(u_q) FILTER (WHERE psu IS NULL), 0) AS u_qu
    FROM scores
    GROUP BY area_id, item_code, group_key, stratum
),
pooled AS (
    -- m, T and M over all the stratum's touched PSUs (the parallel-variance combination)
    SELECT area_id, item_code, group_key, n_h, m_r + m_u AS m,
           CASE WHEN n_h > 1 THEN n_h / (n_h - 1.0) END AS f_h,
           d_tr + d_tu AS d_t,
           d_mr + (CASE WHEN m_u > 0 THEN d_qu - d_tu ^ 2 / m_u ELSE 0 END)
               + CASE WHEN m_r > 0 AND m_u > 0
                      THEN m_r * m_u / (m_r + m_u) * (d_tr / m_r - d_tu / m_u) ^ 2 ELSE 0 END
               AS d_mm,
           r_tr + r_tu AS r_t,
           r_mr + (CASE WHEN m_u > 0 THEN r_qu - r_tu ^ 2 / m_u ELSE 0 END)
               + CASE WHEN m_r > 0 AND m_u > 0
                      THEN m_r * m_u / (m_r + m_u) * (r_tr / m_r - r_tu / m_u) ^ 2 ELSE 0 END
               AS r_mm,
           u_tr + u_tu AS u_t,
           u_mr + (CASE WHEN m_u > 0 THEN u_qu - u_tu ^ 2 / m_u ELSE 0 END)
               + CASE WHEN m_r > 0 AND m_u > 0
                      THEN m_r * m_u / (m_r + m_u) * (u_tr / m_r - u_tu / m_u) ^ 2 ELSE 0 END
               AS u_mm
    FROM by_stratum
),
strata_terms AS (
    SELECT area_id, item_code, group_key,
           sum(f_h * (d_mm + m * (d_t / m - d_t / n_h) ^ 2 + (n_h - m) * (d_t / n_h) ^ 2)) AS d_v,
           sum(f_h * (r_mm + m * (r_t / m - r_t / n_h) ^ 2 + (n_h - m) * (r_t / n_h) ^ 2)) AS r_v,
           sum(f_h * (u_mm + m * (u_t / m - u_t / n_h) ^ 2 + (n_h - m) * (u_t / n_h) ^ 2)) AS u_v
    FROM pooled
    GROUP BY area_id, item_code, group_key
)
SELECT d.area_id AS region_id, d.item_code, d.group_value, f.has_design,
       d.d_ty / d.d_tx AS demand_estimate, COALESCE(p.d_n, d.d_n) AS demand_n,
       d.d_tx AS demand_sum_w, CASE WHEN f.w2_known THEN d.d_x2 END AS demand_sum_w2,
       d.d_psus AS demand_psus, d.d_strata AS demand_strata,
       CASE WHEN d.d_tx IS NOT NULL THEN COALESCE(v.d_v, 0) END AS demand_variance,
       d.r_ty / d.r_tx AS received_estimate, COALESCE(p.r_n, d.r_n) AS received_n,
       d.r_tx AS received_sum_w, CASE WHEN f.w2_known THEN d.r_x2 END AS received_sum_w2,
       d.r_psus AS received_psus, d.r_strata AS received_strata,
       CASE WHEN d.r_tx IS NOT NULL THEN COALESCE(v.r_v, 0) END AS received_variance,
       d.u_ty / d.u_tx AS unmet_estimate, COALESCE(p.u_n, d.u_n) AS unmet_n,
       d.u_tx AS unmet_sum_w, CASE WHEN f.w2_known THEN d.u_x2 END AS unmet_sum_w2,
       d.u_psus AS unmet_psus, d.u_strata AS unmet_strata,
       CASE WHEN d.u_tx IS NOT NULL THEN COALESCE(v.u_v, 0) END AS unmet_variance
FROM domains d
JOIN strata_terms v USING (area_id, item_code, group_key)
LEFT JOIN person_counts p USING (area_id, item_code, group_key)
CROSS JOIN design_flag f
ORDER BY d.area_id, d.item_code, d.group_value
