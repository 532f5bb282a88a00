-- SF-36 domain profile: weighted mean of each domain score (0–100, higher is better) and of the
-- QoL total (sum of the raw scales, 35–145), per group of a covariate, for a slice.
--
-- Parameters
--   $group        'age_group', 'sex' or 'adl_level' (NULL: one row for everybody)
--   $within       a region_id: respondents living in its subtree
--   $age_group    NULL or an age group;  $sex  NULL, 'M' or 'F'
--
-- n counts respondents with a QoL total (every domain scored); means are over those.
-- Unsuppressed: dashboard/disclosure.py (DOMAIN_PROFILE) hides the means of small groups and sets
-- `suppressed`.
WITH
@include _slice_respondents
scored AS (
    SELECT CASE $group
               WHEN 'age_group' THEN p.age_group
               WHEN 'sex' THEN p.sex
               WHEN 'adl_level' THEN p.adl_level
           END AS group_value,
           p.weight AS w, p.pf, p.rp, p.bp, p.gh, p.vt, p.sf, p.re, p.mh, p.qol_total
    FROM slice_respondents p
    WHERE p.qol_total IS NOT NULL
),
groups AS (
    SELECT group_value, count(*) AS respondents_n,
           sum(w * pf) / sum(w) AS pf, sum(w * rp) / sum(w) AS rp, sum(w * bp) / sum(w) AS bp,
           sum(w * gh) / sum(w) AS gh, sum(w * vt) / sum(w) AS vt, sum(w * sf) / sum(w) AS sf,
           sum(w * re) / sum(w) AS re, sum(w * mh) / sum(w) AS mh,
           sum(w * qol_total) / sum(w) AS qol_total
    FROM scored
    GROUP BY group_value
)
SELECT group_value, respondents_n, NULL::BOOLEAN AS suppressed,
       pf, rp, bp, gh, vt, sf, re, mh, qol_total
FROM groups
ORDER BY CASE group_value
             WHEN '<60' THEN 0 WHEN 'normal' THEN 1 WHEN 'mild' THEN 2 WHEN 'moderate' THEN 3
             WHEN 'severe' THEN 4 WHEN 'M' THEN 1 WHEN 'F' THEN 2
         END NULLS LAST, group_value NULLS LAST
