-- Respondents in a slice (region subtree, age group, sex) and the grids they live in.
WITH
@include _slice_respondents
counted AS (
    SELECT count(*) AS respondents,
           count(DISTINCT p.region_id) FILTER (WHERE r.level = 'grid') AS grids_covered
    FROM slice_respondents p
    JOIN regions r ON r.region_id = p.region_id
)
SELECT respondents, grids_covered FROM counted
