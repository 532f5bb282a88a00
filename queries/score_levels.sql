-- Distribution of a scored level over the respondents of a slice: the QoL grade (Zhang Lei 2004
-- cut-offs on the SF-36 raw-scale total) or the ADL level (the study's bands, 40 = moderate).
--
-- Parameters
--   $scale        'qol_grade' or 'adl_level'
--   $within       a region_id: respondents living in its subtree
--   $age_group    NULL or an age group;  $sex  NULL, 'M' or 'F'
--
-- share is weighted by design weights over the respondents with a score; n is unweighted.
-- Levels come in the scale's order; levels nobody has are listed with n = 0. Unsuppressed:
-- dashboard/disclosure.py (SCORE_LEVELS) hides the share of small levels and sets `suppressed`.
WITH
@include _slice_respondents
levels AS (
    SELECT * FROM (VALUES
        ('qol_grade', 'poor', 1), ('qol_grade', 'medium', 2), ('qol_grade', 'good', 3),
        ('adl_level', 'normal', 1), ('adl_level', 'mild', 2), ('adl_level', 'moderate', 3),
        ('adl_level', 'severe', 4)
    ) AS t(scale, level, rank)
    WHERE scale = $scale
),
scored AS (
    SELECT CASE $scale WHEN 'qol_grade' THEN p.qol_grade WHEN 'adl_level' THEN p.adl_level END
               AS level,
           p.weight AS w
    FROM slice_respondents p
),
counts AS (
    SELECT level, count(*) AS respondents_n, sum(w) AS w
    FROM scored WHERE level IS NOT NULL GROUP BY level
),
total AS (SELECT sum(w) AS w, sum(respondents_n)::BIGINT AS n FROM counts)
SELECT l.level,
       COALESCE(c.respondents_n, 0) AS respondents_n,
       COALESCE(c.w, 0) / t.w AS share,
       NULL::BOOLEAN AS suppressed,
       t.n AS scored_n
FROM levels l
CROSS JOIN total t
LEFT JOIN counts c ON c.level = l.level
ORDER BY l.rank
