-- Person-level need × receipt per (region at a level, service): the four cells of the 2×2.
--
-- Over respondents in the area (and slice) who answered the service and whose `received` is
-- present: needs it and received it, needs it and did not, received it without needing it,
-- neither. Shares are weighted (Σw of the cell / Σw of the base); n is unweighted. Unsuppressed:
-- dashboard/disclosure.py (UNMET_CELLS) hides a cell resting on fewer than k respondents, and
-- every cell of a base smaller than k. Reads the per-area rollup (survey_cells, every respondent):
-- its sums at the threshold give two cells, the others are their base's remainder.
--
-- Parameters: $level, $within, $area_level, $pre, $post, $threshold, $age_group, $sex
-- (as in gaps.sql).
WITH
@include _areas
sums AS (
    -- per area and service: the base (received present), those who received, those needing it
    -- with received present, and those needing it who did not receive it (n and Σw each)
    SELECT c.area_id, c.service_code,
           sum(c.rn)::BIGINT AS base_n, sum(c.rsw) AS base_w,
           sum(c.gn)::BIGINT AS got_n, sum(c.rw) AS got_w,
           sum(c.un[$threshold])::BIGINT AS need_n,
           sum(c.uxw[$threshold]) AS need_w,
           sum(c.yn[$threshold])::BIGINT AS lack_n,
           sum(c.uyw[$threshold]) AS lack_w
    FROM survey_cells c
    JOIN areas a ON a.region_id = c.area_id
    WHERE c.group_name = '' AND
@include _cell_slice
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
       c.w / c.base_w AS share,
       NULL::BOOLEAN AS suppressed
FROM areas a
CROSS JOIN services s
CROSS JOIN kinds k
LEFT JOIN cells c
  ON c.area_id = a.region_id AND c.service_code = s.service_code AND c.cell = k.cell
ORDER BY a.region_id, s.service_code, k.cell_order
