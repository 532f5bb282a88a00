-- Respondents in a slice (region subtree, age group, sex) and the grids they live in.
SELECT count(*) AS respondents,
       count(DISTINCT p.region_id) FILTER (WHERE r.level = 'grid') AS grids_covered
FROM region_closure c
JOIN respondents p ON p.region_id = c.descendant_id
JOIN regions r ON r.region_id = p.region_id
WHERE c.ancestor_id = $within
  AND ($age_group IS NULL OR p.age_group = $age_group)
  AND ($sex IS NULL OR p.sex = $sex)
