-- Variance inputs for the three survey ratios of queries/gaps.sql, per (area, item, group): what
-- dashboard/data.py::gap_intervals turns into 95% intervals and reliability flags.
--
-- Parameters: $level, $within, $by, $group, $threshold, $age_group, $sex, exactly as in gaps.sql
-- (the same areas, items, answers and groups; no suppression here: dashboard/disclosure.py is
-- applied by the caller). The variance is the final step shared with gap_variance.sql
-- (queries/_gap_variance_final.sql): this query keys every PSU, a respondent who is its own
-- PSU included, and sums each PSU's w·y and w·x.
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
WITH
@include _areas
@include _items
design_flag AS (
    SELECT COALESCE(bool_or(stratum IS NOT NULL OR psu IS NOT NULL), false) AS has_design,
           true AS w2_known
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
@include _answers
design_answers AS (
    SELECT a.*,
           -- the PSU is (psu, unit): unit is the respondent when it is its own PSU (no psu, or
           -- a single-PSU stratum: the PSU was taken with certainty, its respondents are units)
           s.stratum_key AS stratum,
           CASE WHEN s.psus > 1 THEN a.respondent_psu END AS psu,
           CASE WHEN s.psus = 1 OR a.respondent_psu IS NULL THEN a.respondent_id END AS unit,
           CASE WHEN s.psus = 1 THEN s.respondents ELSE s.psus END AS n_h
    FROM answers a
    JOIN strata s ON s.stratum_key = COALESCE(a.respondent_stratum, '')
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
    FROM design_answers
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
    FROM design_answers
    WHERE $by = 'category'
    GROUP BY area_id, item_code, group_value, respondent_id
),
units AS (
    -- per domain and PSU: the PSU is (psu, unit), keyed as one never-NULL psu (a respondent who
    -- is its own PSU is a PSU like any other here, so the final step's pooled own-PSU terms stay
    -- zero); Σ (w·y)² is only read for pooled own-PSU respondents, hence NULL
    SELECT area_id, item_code, COALESCE('v' || group_value, '-') AS group_key,
           any_value(group_value) AS group_value, stratum,
           COALESCE('p' || psu, 'u' || unit) AS psu, any_value(n_h) AS n_h,
           sum(d_y) AS d_y, sum(d_x) AS d_x, NULL::DOUBLE AS d_y2, sum(d_x * d_x) AS d_x2,
           count(*) FILTER (WHERE d_x > 0) AS d_n,
           sum(r_y) AS r_y, sum(r_x) AS r_x, NULL::DOUBLE AS r_y2, sum(r_x * r_x) AS r_x2,
           count(*) FILTER (WHERE r_x > 0) AS r_n,
           sum(u_y) AS u_y, sum(u_x) AS u_x, NULL::DOUBLE AS u_y2, sum(u_x * u_x) AS u_x2,
           count(*) FILTER (WHERE u_x > 0) AS u_n
    FROM per_person
    GROUP BY area_id, item_code, group_key, stratum, psu, unit
),
person_counts AS (
    -- units count people already
    SELECT area_id, item_code, group_key, NULL::BIGINT AS d_n, NULL::BIGINT AS r_n,
           NULL::BIGINT AS u_n
    FROM units WHERE false
),
@include _gap_variance_final

