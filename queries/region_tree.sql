-- Every region in tree order (each after its parent, siblings by id), with its depth and district.
WITH paths AS (
    SELECT c.descendant_id AS region_id,
           string_agg(c.ancestor_id, '/' ORDER BY c.depth DESC) AS path,
           max(c.depth) AS depth,
           max(CASE WHEN c.ancestor_level = 'district' THEN c.ancestor_id END) AS district_id
    FROM region_closure c
    GROUP BY c.descendant_id
)
SELECT r.region_id, r.name, r.name_en, r.level, r.parent_id, p.depth, p.district_id,
       r.elderly_population
FROM regions r
JOIN paths p USING (region_id)
ORDER BY p.path
