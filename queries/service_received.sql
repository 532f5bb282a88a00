-- The study's Table 3: the services respondents actually received from a station, for a slice.
--
-- Parameters
--   $within       a region_id: respondents living in its subtree
--   $age_group    NULL or an age group;  $sex  NULL, 'M' or 'F'
--
-- Per service: received_n who answered whether they received it (unweighted), receivers_n who
-- did (unweighted), and received_rate (weighted share of those who answered: the contract's
-- received_rate, the study's "provision rate"). Unsuppressed: dashboard/disclosure.py
-- (SERVICE_RECEIVED) hides the rate of small cells and sets `suppressed`.
WITH
@include _slice_respondents
answers AS (
    SELECT n.service_code, n.received, p.weight AS w
    FROM slice_respondents p
    JOIN needs n ON n.respondent_id = p.respondent_id
    WHERE n.received IS NOT NULL
),
per_service AS (
    SELECT service_code, count(*) AS received_n,
           count(*) FILTER (WHERE received) AS receivers_n,
           sum(w) AS w,
           COALESCE(sum(w) FILTER (WHERE received), 0) AS w_received
    FROM answers
    GROUP BY service_code
)
SELECT s.service_code AS item_code, s.category,
       COALESCE(a.received_n, 0) AS received_n,
       COALESCE(a.receivers_n, 0) AS receivers_n,
       NULL::BOOLEAN AS suppressed,
       a.w_received / a.w AS received_rate
FROM services s
LEFT JOIN per_service a ON a.service_code = s.service_code
ORDER BY s.sort_order NULLS LAST, s.service_code
