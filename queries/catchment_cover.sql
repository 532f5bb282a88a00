-- How each station's catchment is made of cells the differencing rule knows (disclosure.py):
-- the largest regions whose every respondent lives in the catchment (their subtrees, disjoint),
-- and how many of the catchment's respondents those hold. A catchment's survey figures may be
-- published only when they are a sum of publishable cells: every cover region open, and every
-- respondent of the catchment inside one (otherwise some live in a region whose subtree the
-- catchment splits, a part no published figure is about).
--
-- One row per station and cover region (region_id NULL: no cover), with the catchment's
-- respondents and those inside its cover.
WITH
per_region AS (
    SELECT region_id, count(*) AS n FROM respondents GROUP BY region_id
),
subtree AS (
    SELECT c.ancestor_id AS region_id, sum(p.n) AS n
    FROM per_region p JOIN region_closure c ON c.descendant_id = p.region_id
    GROUP BY c.ancestor_id
),
inside AS (
    -- per station and region: its subtree's respondents that live in the catchment
    SELECT m.station_id, c.ancestor_id AS region_id, sum(p.n) AS n
    FROM catchment_regions m
    JOIN per_region p ON p.region_id = m.region_id
    JOIN region_closure c ON c.descendant_id = m.region_id
    GROUP BY ALL
),
whole AS (
    SELECT i.station_id, i.region_id, i.n
    FROM inside i JOIN subtree t ON t.region_id = i.region_id AND t.n = i.n
),
cover AS (
    SELECT w.station_id, w.region_id, w.n
    FROM whole w
    JOIN regions r ON r.region_id = w.region_id
    WHERE NOT EXISTS (
        SELECT 1 FROM whole up WHERE up.station_id = w.station_id AND up.region_id = r.parent_id
    )
),
totals AS (
    SELECT m.station_id, sum(p.n) AS n
    FROM catchment_regions m JOIN per_region p ON p.region_id = m.region_id
    GROUP BY m.station_id
)
SELECT s.station_id, c.region_id,
       COALESCE(t.n, 0)::BIGINT AS respondents,
       COALESCE(sum(c.n) OVER (PARTITION BY s.station_id), 0)::BIGINT AS covered
FROM stations s
LEFT JOIN cover c ON c.station_id = s.station_id
LEFT JOIN totals t ON t.station_id = s.station_id
ORDER BY s.station_id, c.region_id
