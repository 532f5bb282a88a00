-- Every region and the region it lies in (NULL: the root): the tree the differencing rule sums
-- atoms up (queries/disclosure_atoms.sql, dashboard/disclosure.py `cells`).
SELECT region_id, parent_id FROM regions ORDER BY region_id
