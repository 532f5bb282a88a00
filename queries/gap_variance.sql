-- Variance inputs for the three survey ratios of queries/gaps.sql, per (area, item), read from
-- the per-PSU rollup built at import (survey_psu_cells): what dashboard/data.py::gap_intervals
-- turns into 95% intervals and reliability flags. queries/gap_variance_people.sql computes the
-- same from the respondents (and serves group breakdowns, and categories when some respondents
-- are their own PSU); the two are tested to agree.
--
-- Parameters: $level, $within, $area_level, $pre, $post, $by, $threshold, $age_group, $sex, as
-- in gaps.sql (no groups; no suppression here: the caller applies $min_n).
--
-- The ratios, R = Σ w·y / Σ w·x over the respondents of a domain:
--   demand    y = needs,                  x = answered
--   received  y = received,               x = answered with received present
--   unmet     y = needs and not received, x = needs with received present
-- Design, PSUs and the variance are those of gap_variance_people.sql (Taylor linearisation,
-- ultimate clusters, domains keeping every PSU of the design): v(R) = Σ_h n_h/(n_h − 1) SS_h,
-- SS_h = Σ_{j=1..n_h} (z_hj − z̄_h)², z_hj = Σ_{i ∈ PSU hj, in the domain} w_i (y_i − R x_i) / X.
-- Per stratum, the PSUs touching the domain are
--   * real PSUs (psu_key set): z_hj from the PSU's sums; m_r of them, T_r = Σ z, M_r = Σ (z − T_r/m_r)²;
--   * respondents who are their own PSU (psu_key NULL; services only, one answer each): with y
--     and x 0/1 and y ⇒ x, Σ z² = ((1 − R)² Σ_y w² + R² (Σ_x w² − Σ_y w²)) / X², so their m_u,
--     T_u and M_u = Σ z² − T_u²/m_u come from the cells' Σw and Σw².
-- Pooled: m = m_r + m_u, T = T_r + T_u, M = M_r + M_u + (m_r m_u / m)(T_r/m_r − T_u/m_u)², and
-- SS_h = M + m (T/m − z̄_h)² + (n_h − m) z̄_h², z̄_h = T/n_h (the n_h − m untouched PSUs are zeros).
WITH areas AS (
    SELECT r.region_id
    FROM regions r
    JOIN region_closure w ON w.descendant_id = r.region_id AND w.ancestor_id = $within
    WHERE CASE WHEN $level = 'city' THEN r.parent_id IS NULL ELSE r.level = $level END
),
service_item AS (
    SELECT service_code, CASE WHEN $by = 'category' THEN category ELSE service_code END AS item_code
    FROM services
),
cells AS (
    -- per cell: Σ w·y, Σ w·x, Σ (w·y)², Σ (w·x)² and the answers in the base of each ratio, at
    -- threshold $threshold (1–5: the rollup holds every threshold's sums in its own column)
    SELECT c.area_id, si.item_code, c.stratum_key AS stratum, c.psu_key AS psu,
           CASE WHEN s.psus = 1 THEN s.respondents ELSE s.psus END AS n_h,
           CASE $threshold WHEN 1 THEN c.dw1 WHEN 2 THEN c.dw2 WHEN 3 THEN c.dw3
                WHEN 4 THEN c.dw4 ELSE c.dw5 END AS d_y,
           c.sw AS d_x,
           CASE $threshold WHEN 1 THEN c.dw1_sq WHEN 2 THEN c.dw2_sq WHEN 3 THEN c.dw3_sq
                WHEN 4 THEN c.dw4_sq ELSE c.dw5_sq END AS d_y2,
           c.sw_sq AS d_x2,
           c.n AS d_n,
           c.rw AS r_y, c.rsw AS r_x, c.rw_sq AS r_y2, c.rsw_sq AS r_x2, c.rn AS r_n,
           CASE $threshold WHEN 1 THEN c.uyw1 WHEN 2 THEN c.uyw2 WHEN 3 THEN c.uyw3
                WHEN 4 THEN c.uyw4 ELSE c.uyw5 END AS u_y,
           CASE $threshold WHEN 1 THEN c.uxw1 WHEN 2 THEN c.uxw2 WHEN 3 THEN c.uxw3
                WHEN 4 THEN c.uxw4 ELSE c.uxw5 END AS u_x,
           CASE $threshold WHEN 1 THEN c.uyw1_sq WHEN 2 THEN c.uyw2_sq WHEN 3 THEN c.uyw3_sq
                WHEN 4 THEN c.uyw4_sq ELSE c.uyw5_sq END AS u_y2,
           CASE $threshold WHEN 1 THEN c.uxw1_sq WHEN 2 THEN c.uxw2_sq WHEN 3 THEN c.uxw3_sq
                WHEN 4 THEN c.uxw4_sq ELSE c.uxw5_sq END AS u_x2,
           CASE $threshold WHEN 1 THEN c.un1 WHEN 2 THEN c.un2 WHEN 3 THEN c.un3
                WHEN 4 THEN c.un4 ELSE c.un5 END AS u_n
    FROM survey_psu_cells c
    JOIN areas a ON a.region_id = c.area_id
    JOIN service_item si ON si.service_code = c.service_code
    JOIN survey_strata s ON s.stratum_key = c.stratum_key
    WHERE c.area_level = $area_level AND c.area_pre BETWEEN $pre AND $post
      AND ($age_group IS NULL OR c.age_group = $age_group)
      AND ($sex IS NULL OR c.sex = $sex)
),
units AS (
    -- (stratum, psu) per real PSU; the respondents who are their own PSU summed per stratum
    SELECT area_id, item_code, stratum, psu, any_value(n_h) AS n_h,
           sum(d_y) AS d_y, sum(d_x) AS d_x, sum(d_y2) AS d_y2, sum(d_x2) AS d_x2,
           sum(d_n) AS d_n,
           sum(r_y) AS r_y, sum(r_x) AS r_x, sum(r_y2) AS r_y2, sum(r_x2) AS r_x2,
           sum(r_n) AS r_n,
           sum(u_y) AS u_y, sum(u_x) AS u_x, sum(u_y2) AS u_y2, sum(u_x2) AS u_x2,
           sum(u_n) AS u_n
    FROM cells
    GROUP BY area_id, item_code, stratum, psu
),
people AS (
    -- a category's n counts people (services: one answer each, n as summed above)
    SELECT p.area_id, p.category AS item_code,
           sum(p.n)::BIGINT AS d_n,
           COALESCE(sum(p.n) FILTER (WHERE p.rec_base), 0)::BIGINT AS r_n,
           COALESCE(sum(p.n) FILTER (WHERE p.max_need_rec >= $threshold), 0)::BIGINT AS u_n
    FROM category_people p
    JOIN areas a ON a.region_id = p.area_id
    WHERE $by = 'category'
      AND p.area_level = $area_level AND p.area_pre BETWEEN $pre AND $post
      AND p.group_name = ''
      AND ($age_group IS NULL OR p.age_group = $age_group)
      AND ($sex IS NULL OR p.sex = $sex)
    GROUP BY ALL
),
domains AS (
    SELECT u.area_id, u.item_code,
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
    GROUP BY u.area_id, u.item_code
),
scores AS (
    -- per real PSU: z; per stratum's own-PSU respondents: their number (those answering: the
    -- others have z = 0 in every ratio, and SS_h does not depend on which zeros are counted),
    -- T_u and Σ z²
    SELECT u.area_id, u.item_code, u.stratum, u.psu, u.n_h,
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
    JOIN domains d USING (area_id, item_code)
),
by_stratum AS (
    -- per stratum: m_r, T_r, M_r over real PSUs (var_pop is stable) and m_u, T_u, M_u over
    -- the respondents who are their own PSU
    SELECT area_id, item_code, stratum, any_value(n_h) AS n_h,
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
    GROUP BY area_id, item_code, stratum
),
pooled AS (
    -- m, T and M over all the stratum's touched PSUs (the parallel-variance combination)
    SELECT area_id, item_code, n_h, m_r + m_u AS m,
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
    SELECT area_id, item_code,
           sum(f_h * (d_mm + m * (d_t / m - d_t / n_h) ^ 2 + (n_h - m) * (d_t / n_h) ^ 2)) AS d_v,
           sum(f_h * (r_mm + m * (r_t / m - r_t / n_h) ^ 2 + (n_h - m) * (r_t / n_h) ^ 2)) AS r_v,
           sum(f_h * (u_mm + m * (u_t / m - u_t / n_h) ^ 2 + (n_h - m) * (u_t / n_h) ^ 2)) AS u_v
    FROM pooled
    GROUP BY area_id, item_code
)
SELECT d.area_id AS region_id, d.item_code, NULL::VARCHAR AS group_value, f.has_design,
       d.d_ty / d.d_tx AS demand_estimate, COALESCE(p.d_n, d.d_n) AS demand_n,
       d.d_tx AS demand_sum_w, CASE WHEN $by = 'service' THEN d.d_x2 END AS demand_sum_w2,
       d.d_psus AS demand_psus, d.d_strata AS demand_strata,
       CASE WHEN d.d_tx IS NOT NULL THEN COALESCE(v.d_v, 0) END AS demand_variance,
       d.r_ty / d.r_tx AS received_estimate, COALESCE(p.r_n, d.r_n) AS received_n,
       d.r_tx AS received_sum_w, CASE WHEN $by = 'service' THEN d.r_x2 END AS received_sum_w2,
       d.r_psus AS received_psus, d.r_strata AS received_strata,
       CASE WHEN d.r_tx IS NOT NULL THEN COALESCE(v.r_v, 0) END AS received_variance,
       d.u_ty / d.u_tx AS unmet_estimate, COALESCE(p.u_n, d.u_n) AS unmet_n,
       d.u_tx AS unmet_sum_w, CASE WHEN $by = 'service' THEN d.u_x2 END AS unmet_sum_w2,
       d.u_psus AS unmet_psus, d.u_strata AS unmet_strata,
       CASE WHEN d.u_tx IS NOT NULL THEN COALESCE(v.u_v, 0) END AS unmet_variance
FROM domains d
JOIN strata_terms v USING (area_id, item_code)
LEFT JOIN people p USING (area_id, item_code)
CROSS JOIN survey_design f
ORDER BY d.area_id, d.item_code
