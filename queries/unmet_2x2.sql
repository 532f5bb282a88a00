-- Person-level need × receipt per (region at a level, service): the four cells of the 2×2.
--
-- Over respondents in the area (and slice) who answered the service and whose `received` is
-- present: needs it and received it, needs it and did not, received it without needing it,
-- neither. Shares are weighted (Σw of the cell / Σw of the base); n is unweighted. A cell resting
-- on fewer than $min_n respondents is suppressed (share missing, suppressed true), and so is every
-- cell of a base smaller than $min_n.
--
-- Parameters: $level, $within, $threshold, $min_n, $age_group, $sex (as in gaps.sql).
WITH areas AS (
    SELECT r.region_id, r.name AS region_name, r.level
    FROM regions r
    JOIN region_closure w ON w.descendant_id = r.region_id AND w.ancestor_id = $within
    WHERE CASE WHEN $level = 'city' THEN r.parent_id IS NULL ELSE r.level = $level END
),
answers AS (
    SELECT c.ancestor_id AS area_id, n.service_code, p.weight AS w,
           CASE WHEN n.need >= $threshold AND n.received THEN 'need_received'
                WHEN n.need >= $threshold THEN 'need_not_received'
                WHEN n.received THEN 'received_without_need'
                ELSE 'neither' END AS cell
    FROM areas a
    JOIN region_closure c ON c.ancestor_id = a.region_id
    JOIN respondents p ON p.region_id = c.descendant_id
    JOIN needs n ON n.respondent_id = p.respondent_id
    WHERE n.need IS NOT NULL AND n.received IS NOT NULL
      AND ($age_group IS NULL OR p.age_group = $age_group)
      AND ($sex IS NULL OR p.sex = $sex)
),
cells AS (
    SELECT area_id, service_code, cell, count(*) AS n, sum(w) AS w
    FROM answers GROUP BY ALL
),
bases AS (
    SELECT area_id, service_code, sum(n)::BIGINT AS base_n, sum(w) AS base_w FROM cells GROUP BY ALL
),
kinds(cell, cell_order) AS (
    VALUES ('need_received', 1), ('need_not_received', 2), ('received_without_need', 3),
           ('neither', 4)
)
SELECT a.region_id, a.region_name, a.level, s.service_code, s.category, k.cell,
       COALESCE(c.n, 0) AS n,
       COALESCE(b.base_n, 0) AS base_n,
       CASE WHEN COALESCE(b.base_n, 0) >= $min_n AND COALESCE(c.n, 0) >= $min_n
            THEN c.w / b.base_w END AS share,
       NOT (COALESCE(b.base_n, 0) >= $min_n AND COALESCE(c.n, 0) >= $min_n) AS suppressed
FROM areas a
CROSS JOIN services s
CROSS JOIN kinds k
LEFT JOIN bases b ON b.area_id = a.region_id AND b.service_code = s.service_code
LEFT JOIN cells c
  ON c.area_id = a.region_id AND c.service_code = s.service_code AND c.cell = k.cell
ORDER BY a.region_id, s.service_code, k.cell_order
