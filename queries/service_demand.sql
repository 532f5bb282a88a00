-- The study's Table 2: how demand is distributed over the service items, for a slice.
--
-- Parameters
--   $within       a region_id: respondents living in its subtree
--   $age_group    NULL or an age group;  $sex  NULL, 'M' or 'F'
--   $threshold    need threshold T: a respondent needs a service when need >= T
--
-- Per service: respondents_n who answered its need question (unweighted), demand_n of them at
-- need >= T (unweighted), demand_rate (weighted share of those who answered: the contract's
-- demand_rate), and the weighted share of each answer 1 (no need) … 5 (strong need).
-- Unsuppressed: dashboard/disclosure.py (SERVICE_DEMAND) hides the figures of small cells and
-- sets `suppressed`.
WITH
@include _slice_respondents
answers AS (
    SELECT n.service_code, n.need, p.weight AS w
    FROM slice_respondents p
    JOIN needs n ON n.respondent_id = p.respondent_id
    WHERE n.need IS NOT NULL
),
per_service AS (
    SELECT service_code, count(*) AS respondents_n,
           count(*) FILTER (WHERE need >= $threshold) AS demand_n,
           sum(w) AS w,
           COALESCE(sum(w) FILTER (WHERE need >= $threshold), 0) AS w_need,
           COALESCE(sum(w) FILTER (WHERE need = 1), 0) AS w1,
           COALESCE(sum(w) FILTER (WHERE need = 2), 0) AS w2,
           COALESCE(sum(w) FILTER (WHERE need = 3), 0) AS w3,
           COALESCE(sum(w) FILTER (WHERE need = 4), 0) AS w4,
           COALESCE(sum(w) FILTER (WHERE need = 5), 0) AS w5
    FROM answers
    GROUP BY service_code
)
SELECT s.service_code AS item_code, s.category,
       COALESCE(a.respondents_n, 0) AS respondents_n,
       COALESCE(a.demand_n, 0) AS demand_n,
       NULL::BOOLEAN AS suppressed,
       a.w_need / a.w AS demand_rate,
       a.w1 / a.w AS share_1,
       a.w2 / a.w AS share_2,
       a.w3 / a.w AS share_3,
       a.w4 / a.w AS share_4,
       a.w5 / a.w AS share_5
FROM services s
LEFT JOIN per_service a ON a.service_code = s.service_code
ORDER BY s.sort_order NULLS LAST, s.service_code
