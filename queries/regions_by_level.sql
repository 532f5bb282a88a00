-- How many regions of each level the dataset has, with boundaries and respondents.
SELECT r.level,
       count(*) AS regions,
       count(b.region_id) AS with_boundary,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM respondents p WHERE p.region_id = r.region_id))
           AS with_respondents
FROM regions r
LEFT JOIN boundaries b USING (region_id)
GROUP BY r.level, r.level_rank
ORDER BY r.level_rank
