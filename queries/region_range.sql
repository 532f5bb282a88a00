-- Where a region's subtree lies in region_order (pre..post), and the level of the root: the
-- ranges the rollup queries prune their scans with.
SELECT o.pre, o.post, (SELECT level FROM regions WHERE parent_id IS NULL LIMIT 1) AS root_level
FROM region_order o
WHERE o.region_id = $within
