-- Every region in tree order (each after its parent, siblings by id), with its depth and district.
-- region_order numbers the tree depth-first at import, so this is a sort on one integer.
SELECT r.region_id, r.name, r.name_en, r.level, r.parent_id, d.depth,
       c.ancestor_id AS district_id, r.elderly_population
FROM region_order o
JOIN regions r USING (region_id)
JOIN region_depths d USING (region_id)
LEFT JOIN region_closure c ON c.descendant_id = o.region_id AND c.ancestor_level = 'district'
ORDER BY o.pre
