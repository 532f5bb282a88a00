-- Person-level need × receipt per (region at a level, service): the four cells of the 2×2.
--
-- Over respondents in the area (and slice) who answered the service and whose `received` is
-- present: needs it and received it, needs it and did not, received it without needing it,
-- neither. Shares are weighted (Σw of the cell / Σw of the base); n is unweighted. A cell resting
-- on fewer than $min_n respondents is suppressed (share missing, suppressed true), and so is every
-- cell of a base smaller than $min_n. Reads the per-area rollup (survey_cells, every respondent):
-- its sums at the threshold give two cells, the others are their base's remainder.
--
-- Parameters: $level, $within, $area_level, $pre, $post, $threshold, $min_n, $age_group, $sex
-- (as in gaps.sql).
WITH areas AS (
    SELECT r.region_id, r.name AS region_name, r.level
    FROM regions r
    JOIN region_closure w ON w.descendant_id = r.region_id AND w.ancestor_id = $within
    WHERE CASE WHEN $level = 'city' THEN r.parent_id IS NULL ELSE r.level = $level END
),
sums AS (
    -- per area and service: the base (received present), those who received, those needing it
    -- with received present, and those needing it who did not receive it (n and Σw each)
    SELECT c.area_id, c.service_code,
           sum(c.rn)::BIGINT AS base_n, sum(c.rsw) AS base_w,
           sum(c.gn)::BIGINT AS got_n, sum(c.rw) AS got_w,
           sum(CASE $threshold WHEN 1 THEN c.un1 WHEN 2 THEN c.un2 WHEN 3 THEN c.un3
                   WHEN 4 THEN c.un4 ELSE c.un5 END)::BIGINT AS need_n,
           sum(CASE $threshold WHEN 1 THEN c.uxw1 WHEN 2 THEN c.uxw2 WHEN 3 THEN c.uxw3
                   WHEN 4 THEN c.uxw4 ELSE c.uxw5 END) AS need_w,
           sum(CASE $threshold WHEN 1 THEN c.yn1 WHEN 2 THEN c.yn2 WHEN 3 THEN c.yn3
                   WHEN 4 THEN c.yn4 ELSE c.yn5 END)::BIGINT AS lack_n,
           sum(CASE $threshold WHEN 1 THEN c.uyw1 WHEN 2 THEN c.uyw2 WHEN 3 THEN c.uyw3
                   WHEN 4 THEN c.uyw4 ELSE c.uyw5 END) AS lack_w
    FROM survey_cells c
    JOIN areas a ON a.region_id = c.area_id
    WHERE c.area_level = $area_level AND c.area_pre BETWEEN $pre AND $post
      AND c.group_name = ''
      AND ($age_group IS NULL OR c.age_group = $age_group)
      AND ($sex IS NULL OR c.sex = $sex)
    GROUP BY ALL
),
cells AS (
    SELECT area_id, service_code, base_n, base_w, cell, n, w
    FROM sums,
    LATERAL (VALUES
        ('need_received', need_n - lack_n, need_w - lack_w),
        ('need_not_received', lack_n, lack_w),
        ('received_without_need', got_n - (need_n - lack_n), got_w - (need_w - lack_w)),
        ('neither', base_n - got_n - lack_n, base_w - got_w - lack_w)
    ) AS t(cell, n, w)
    WHERE base_n > 0
),
kinds(cell, cell_order) AS (
    VALUES ('need_received', 1), ('need_not_received', 2), ('received_without_need', 3),
           ('neither', 4)
)
SELECT a.region_id, a.region_name, a.level, s.service_code, s.category, k.cell,
       COALESCE(c.n, 0) AS n,
       COALESCE(c.base_n, 0) AS base_n,
       CASE WHEN COALESCE(c.base_n, 0) >= $min_n AND COALESCE(c.n, 0) >= $min_n
            THEN c.w / c.base_w END AS share,
       NOT (COALESCE(c.base_n, 0) >= $min_n AND COALESCE(c.n, 0) >= $min_n) AS suppressed
FROM areas a
CROSS JOIN services s
CROSS JOIN kinds k
LEFT JOIN cells c
  ON c.area_id = a.region_id AND c.service_code = s.service_code AND c.cell = k.cell
ORDER BY a.region_id, s.service_code, k.cell_order
