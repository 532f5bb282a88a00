-- Variance inputs for the three survey ratios of queries/gaps.sql, per (area, item, group): what
-- dashboard/data.py::gap_intervals turns into 95% intervals and reliability flags.
--
-- Parameters: $level, $within, $by, $group, $threshold, $age_group, $sex, exactly as in gaps.sql
-- (the same areas, items, answers and groups; no suppression here: the caller applies $min_n).
--
-- The ratios, R = Σ w·y / Σ w·x over the respondents of a domain (per respondent and item; for a
-- category y and x count its services):
--   demand    y = needs,                  x = answered
--   received  y = received,               x = answered with received present
--   unmet     y = needs and not received, x = needs with received present
--
-- Design. Strata and PSUs are those of the whole dataset (every respondent, before any slice):
--   * stratum/psu both missing for everyone (no design): one stratum, each respondent its own PSU
--     (the with-replacement approximation); has_design is false and the caller uses Kish's
--     effective n, (Σw)²/Σw²;
--   * otherwise the respondents without a stratum form one stratum, a respondent without a psu
--     is a PSU of its own, and PSUs are nested in strata (psu labels repeat across strata);
--   * a stratum with a single PSU takes that PSU as selected with certainty: its respondents
--     become the PSUs of the stratum (samplics SinglePSUEst.certainty without SSUs).
--
-- Variance (Taylor linearisation, ultimate clusters, with replacement):
--   v(R) = Σ_h n_h/(n_h − 1) Σ_{j=1..n_h} (z_hj − z̄_h)²,   z̄_h = Σ_j z_hj / n_h,
--   z_hj = Σ_{i ∈ PSU hj, i in the domain} w_i (y_i − R x_i) / Σ_{i in the domain} w_i x_i
-- Domain estimation: respondents outside the domain contribute zeros to their PSU, so n_h counts
-- every PSU of stratum h in the dataset, not only those touching the domain (and a stratum the
-- domain does not touch contributes zero). Only the m_h PSUs touching the domain have z_hj ≠ 0;
-- with T_h their sum and M_h = Σ (z_hj − T_h/m_h)² over them, the stratum's sum of squares is
-- M_h + m_h (T_h/m_h − z̄_h)² + (n_h − m_h) z̄_h² (every term ≥ 0: no cancellation). Strata with
-- n_h = 1 (a single respondent) contribute nothing.
--
-- Per ratio (prefix demand_, received_, unmet_): estimate; n (unweighted respondents in the
-- base, x > 0); sum_w = Σ w·x and sum_w2 = Σ (w·x)² over the base (for a service, Σw and Σw²);
-- psus and strata (those holding base respondents: df = psus − strata); variance.
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
design_flag AS (
    SELECT COALESCE(bool_or(stratum IS NOT NULL OR psu IS NOT NULL), false) AS has_design
    FROM respondents
),
strata AS MATERIALIZED (
    -- per stratum of the whole dataset ('': the respondents without one; an empty cell is
    -- never a stratum): its PSUs, counting each respondent without a psu as a PSU of its own,
    -- and its respondents
    SELECT COALESCE(stratum, '') AS stratum_key,
           count(DISTINCT psu) + count(*) FILTER (WHERE psu IS NULL) AS psus,
           count(*) AS respondents
    FROM respondents
    GROUP BY stratum_key
),
answers AS (
    SELECT c.ancestor_id AS area_id, si.item_code, p.respondent_id, p.weight AS w,
           -- the PSU is (psu, unit): unit is the respondent when it is its own PSU (no psu, or
           -- a single-PSU stratum: the PSU was taken with certainty, its respondents are units)
           s.stratum_key AS stratum,
           CASE WHEN s.psus > 1 THEN p.psu END AS psu,
           CASE WHEN s.psus = 1 OR p.psu IS NULL THEN p.respondent_id END AS unit,
           CASE WHEN s.psus = 1 THEN s.respondents ELSE s.psus END AS n_h,
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
    JOIN strata s ON s.stratum_key = COALESCE(p.stratum, '')
    JOIN needs n ON n.respondent_id = p.respondent_id
    JOIN service_item si ON si.service_code = n.service_code
    WHERE n.need IS NOT NULL
      AND ($age_group IS NULL OR p.age_group = $age_group)
      AND ($sex IS NULL OR p.sex = $sex)
),
per_person AS (
    -- one row per respondent and item with w·y and w·x of each ratio. A service has one answer
    -- per respondent, read as it is (no grouping: the query's largest saving); a category sums
    -- its services' answers per respondent.
    SELECT area_id, item_code, group_value, stratum, psu, unit, n_h,
           CASE WHEN needs THEN w ELSE 0 END AS d_y,
           w AS d_x,
           CASE WHEN received THEN w ELSE 0 END AS r_y,
           CASE WHEN received IS NOT NULL THEN w ELSE 0 END AS r_x,
           CASE WHEN needs AND NOT received THEN w ELSE 0 END AS u_y,
           CASE WHEN needs AND received IS NOT NULL THEN w ELSE 0 END AS u_x
    FROM answers
    WHERE $by = 'service'
    UNION ALL
    SELECT area_id, item_code, group_value,
           any_value(stratum), any_value(psu), any_value(unit), any_value(n_h),
           COALESCE(sum(w) FILTER (WHERE needs), 0),
           sum(w),
           COALESCE(sum(w) FILTER (WHERE received), 0),
           COALESCE(sum(w) FILTER (WHERE received IS NOT NULL), 0),
           COALESCE(sum(w) FILTER (WHERE needs AND NOT received), 0),
           COALESCE(sum(w) FILTER (WHERE needs AND received IS NOT NULL), 0)
    FROM answers
    WHERE $by = 'category'
    GROUP BY area_id, item_code, group_value, respondent_id
),
psu_sums AS (
    SELECT area_id, item_code, COALESCE('v' || group_value, '-') AS group_key,
           any_value(group_value) AS group_value, stratum, psu, unit, any_value(n_h) AS n_h,
           sum(d_y) AS d_y, sum(d_x) AS d_x, count(*) FILTER (WHERE d_x > 0) AS d_n,
           sum(d_x * d_x) AS d_x2,
           sum(r_y) AS r_y, sum(r_x) AS r_x, count(*) FILTER (WHERE r_x > 0) AS r_n,
           sum(r_x * r_x) AS r_x2,
           sum(u_y) AS u_y, sum(u_x) AS u_x, count(*) FILTER (WHERE u_x > 0) AS u_n,
           sum(u_x * u_x) AS u_x2
    FROM per_person
    GROUP BY area_id, item_code, group_key, stratum, psu, unit
),
domains AS (
    -- per domain: the ratio's totals, n, Σw, Σw², and the PSUs and strata holding its base
    SELECT area_id, item_code, group_key, any_value(group_value) AS group_value,
           sum(d_y) AS d_ty, NULLIF(sum(d_x), 0) AS d_tx, sum(d_n)::BIGINT AS d_n,
           sum(d_x2) AS d_x2,
           count(*) FILTER (WHERE d_n > 0) AS d_psus,
           count(DISTINCT stratum) FILTER (WHERE d_n > 0) AS d_strata,
           sum(r_y) AS r_ty, NULLIF(sum(r_x), 0) AS r_tx, sum(r_n)::BIGINT AS r_n,
           sum(r_x2) AS r_x2,
           count(*) FILTER (WHERE r_n > 0) AS r_psus,
           count(DISTINCT stratum) FILTER (WHERE r_n > 0) AS r_strata,
           sum(u_y) AS u_ty, NULLIF(sum(u_x), 0) AS u_tx, sum(u_n)::BIGINT AS u_n,
           sum(u_x2) AS u_x2,
           count(*) FILTER (WHERE u_n > 0) AS u_psus,
           count(DISTINCT stratum) FILTER (WHERE u_n > 0) AS u_strata
    FROM psu_sums
    GROUP BY area_id, item_code, group_key
),
scores AS (
    -- z_hj of each PSU touching the domain
    SELECT s.area_id, s.item_code, s.group_key, s.stratum, s.n_h,
           (s.d_y - d.d_ty / d.d_tx * s.d_x) / d.d_tx AS d_z,
           (s.r_y - d.r_ty / d.r_tx * s.r_x) / d.r_tx AS r_z,
           (s.u_y - d.u_ty / d.u_tx * s.u_x) / d.u_tx AS u_z
    FROM psu_sums s
    JOIN domains d USING (area_id, item_code, group_key)
),
by_stratum AS (
    -- per domain and stratum: m_h touched PSUs, T_h = Σ z_hj, and M_h = Σ (z_hj − T_h/m_h)²
    -- over them (var_pop is computed stably)
    SELECT area_id, item_code, group_key, stratum, any_value(n_h) AS n_h, count(*) AS m_h,
           sum(d_z) AS d_t, var_pop(d_z) * count(*) AS d_m,
           sum(r_z) AS r_t, var_pop(r_z) * count(*) AS r_m,
           sum(u_z) AS u_t, var_pop(u_z) * count(*) AS u_m
    FROM scores
    GROUP BY area_id, item_code, group_key, stratum
),
strata_terms AS (
    -- n_h/(n_h − 1) Σ_{j=1..n_h} (z_hj − z̄_h)², the n_h − m_h untouched PSUs being zeros:
    -- Σ = M_h + m_h (T_h/m_h − z̄_h)² + (n_h − m_h) z̄_h², z̄_h = T_h/n_h (no cancellation)
    SELECT area_id, item_code, group_key,
           sum(f_h * (d_m + m_h * (d_t / m_h - d_t / n_h) ^ 2 + (n_h - m_h) * (d_t / n_h) ^ 2))
               AS d_v,
           sum(f_h * (r_m + m_h * (r_t / m_h - r_t / n_h) ^ 2 + (n_h - m_h) * (r_t / n_h) ^ 2))
               AS r_v,
           sum(f_h * (u_m + m_h * (u_t / m_h - u_t / n_h) ^ 2 + (n_h - m_h) * (u_t / n_h) ^ 2))
               AS u_v
    FROM (SELECT *, CASE WHEN n_h > 1 THEN n_h / (n_h - 1.0) END AS f_h FROM by_stratum)
    GROUP BY area_id, item_code, group_key
)
SELECT d.area_id AS region_id, d.item_code, d.group_value, f.has_design,
       d.d_ty / d.d_tx AS demand_estimate, d.d_n AS demand_n,
       d.d_tx AS demand_sum_w, d.d_x2 AS demand_sum_w2,
       d.d_psus AS demand_psus, d.d_strata AS demand_strata,
       CASE WHEN d.d_tx IS NOT NULL THEN COALESCE(v.d_v, 0) END AS demand_variance,
       d.r_ty / d.r_tx AS received_estimate, d.r_n AS received_n,
       d.r_tx AS received_sum_w, d.r_x2 AS received_sum_w2,
       d.r_psus AS received_psus, d.r_strata AS received_strata,
       CASE WHEN d.r_tx IS NOT NULL THEN COALESCE(v.r_v, 0) END AS received_variance,
       d.u_ty / d.u_tx AS unmet_estimate, d.u_n AS unmet_n,
       d.u_tx AS unmet_sum_w, d.u_x2 AS unmet_sum_w2,
       d.u_psus AS unmet_psus, d.u_strata AS unmet_strata,
       CASE WHEN d.u_tx IS NOT NULL THEN COALESCE(v.u_v, 0) END AS unmet_variance
FROM domains d
JOIN strata_terms v USING (area_id, item_code, group_key)
CROSS JOIN design_flag f
ORDER BY d.area_id, d.item_code, d.group_value
