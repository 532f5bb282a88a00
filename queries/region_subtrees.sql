-- Every region in the subtrees of $roots (a list of region ids; themselves included), and the
-- district each root lies in: what an account granted those regions may look at (data.caller_scope).
SELECT c.descendant_id AS region_id, c.ancestor_id AS root_id, d.ancestor_id AS district_id
FROM region_closure c
LEFT JOIN region_closure d ON d.descendant_id = c.ancestor_id AND d.ancestor_level = 'district'
WHERE list_contains($roots, c.ancestor_id)
ORDER BY c.descendant_id
