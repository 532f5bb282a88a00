-- Variance inputs for the three survey ratios of queries/gaps.sql, per (area, item), read from
-- the per-PSU rollup built at import (survey_psu_cells): what dashboard/data.py::gap_intervals
-- turns into 95% intervals and reliability flags. queries/gap_variance_people.sql computes the
-- same from the respondents (and serves group breakdowns, and categories when some respondents
-- are their own PSU); the two are tested to agree.
--
-- Parameters: $level, $within, $area_level, $pre, $post, $by, $threshold, $age_group, $sex, as
-- in gaps.sql (no groups; no suppression here: dashboard/disclosure.py is applied by the caller).
-- The variance itself is the final step shared with gap_variance_people.sql
-- (queries/_gap_variance_final.sql); this query only sums the rollup's cells per PSU.
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
WITH
@include _areas
@include _items
cells AS (
    -- per cell: Σ w·y, Σ w·x, Σ (w·y)², Σ (w·x)² and the answers in the base of each ratio, at
    -- threshold $threshold (the rollup holds each threshold's sums as a list indexed by T)
    SELECT c.area_id, si.item_code, c.stratum_key AS stratum, c.psu_key AS psu,
           CASE WHEN s.psus = 1 THEN s.respondents ELSE s.psus END AS n_h,
           c.dw[$threshold] AS d_y,
           c.sw AS d_x,
           c.dw_sq[$threshold] AS d_y2,
           c.sw_sq AS d_x2,
           c.n AS d_n,
           c.rw AS r_y, c.rsw AS r_x, c.rw_sq AS r_y2, c.rsw_sq AS r_x2, c.rn AS r_n,
           c.uyw[$threshold] AS u_y,
           c.uxw[$threshold] AS u_x,
           c.uyw_sq[$threshold] AS u_y2,
           c.uxw_sq[$threshold] AS u_x2,
           c.un[$threshold] AS u_n
    FROM survey_psu_cells c
    JOIN areas a ON a.region_id = c.area_id
    JOIN service_item si ON si.service_code = c.service_code
    JOIN survey_strata s ON s.stratum_key = c.stratum_key
    WHERE
@include _cell_slice
),
units AS (
    -- (stratum, psu) per real PSU; the respondents who are their own PSU summed per stratum
    SELECT area_id, item_code, '-' AS group_key, NULL::VARCHAR AS group_value, stratum, psu,
           any_value(n_h) AS n_h,
           sum(d_y) AS d_y, sum(d_x) AS d_x, sum(d_y2) AS d_y2, sum(d_x2) AS d_x2,
           sum(d_n) AS d_n,
           sum(r_y) AS r_y, sum(r_x) AS r_x, sum(r_y2) AS r_y2, sum(r_x2) AS r_x2,
           sum(r_n) AS r_n,
           sum(u_y) AS u_y, sum(u_x) AS u_x, sum(u_y2) AS u_y2, sum(u_x2) AS u_x2,
           sum(u_n) AS u_n
    FROM cells
    GROUP BY area_id, item_code, stratum, psu
),
person_counts AS (
    -- a category's n counts people (services: one answer each, n as summed above)
    SELECT c.area_id, c.category AS item_code, '-' AS group_key,
           sum(c.n)::BIGINT AS d_n,
           COALESCE(sum(c.n) FILTER (WHERE c.rec_base), 0)::BIGINT AS r_n,
           COALESCE(sum(c.n) FILTER (WHERE c.max_need_rec >= $threshold), 0)::BIGINT AS u_n
    FROM category_people c
    JOIN areas a ON a.region_id = c.area_id
    WHERE $by = 'category'
      AND c.group_name = '' AND
@include _cell_slice
    GROUP BY ALL
),
design_flag AS (
    -- Σ (w·x)² of a category's base is per person: the answer cells do not hold it
    SELECT has_design, $by = 'service' AS w2_known FROM survey_design
),
@include _gap_variance_final
