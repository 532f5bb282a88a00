-- Respondent-level inputs of the study's Tables 1, 4 and 5 (regression of QoL; correlation of
-- QoL with demand and with services received), for a slice. One row per respondent.
--
-- PRIVACY: these rows stay on the server. They are read by dashboard.stats.tables, which returns
-- only aggregate tables; no screen, download or report prints them.
--
-- Parameters
--   $within       a region_id: respondents living in its subtree
--   $age_group    NULL or an age group;  $sex  NULL, 'M' or 'F'
--   $threshold    need threshold T: a respondent needs a service when need >= T
--
-- need_count / received_count: services needed (need >= T) / received, over all services;
-- need_answered / received_answered: how many of those questions the respondent answered.
-- Per service (bit = its position in catalog order, see queries/service_bits.sql; the first 62
-- services): *_answered_bits has the bit set when the question was answered, need_bits when
-- need >= T, received_bits when received.
WITH svc AS (
    SELECT service_code,
           row_number() OVER (ORDER BY sort_order NULLS LAST, service_code) - 1 AS bit
    FROM services
),
people AS (
    SELECT p.respondent_id, p.qol_total, p.adl_total, p.chronic_disease, p.education,
           p.income_band, p.payment_form, p.age, p.sex, p.has_spouse, p.weight, p.stratum, p.psu
    FROM region_closure c
    JOIN respondents p ON p.region_id = c.descendant_id
    WHERE c.ancestor_id = $within
      AND ($age_group IS NULL OR p.age_group = $age_group)
      AND ($sex IS NULL OR p.sex = $sex)
),
flags AS (
    SELECT n.respondent_id,
           count(n.need) AS need_answered,
           count(*) FILTER (WHERE n.need >= $threshold) AS need_count,
           count(n.received) AS received_answered,
           count(*) FILTER (WHERE n.received) AS received_count,
           bit_or(1::BIGINT << s.bit) FILTER (WHERE n.need IS NOT NULL AND s.bit < 62)
               AS need_answered_bits,
           bit_or(1::BIGINT << s.bit) FILTER (WHERE n.need >= $threshold AND s.bit < 62)
               AS need_bits,
           bit_or(1::BIGINT << s.bit) FILTER (WHERE n.received IS NOT NULL AND s.bit < 62)
               AS received_answered_bits,
           bit_or(1::BIGINT << s.bit) FILTER (WHERE n.received AND s.bit < 62) AS received_bits
    FROM people p
    JOIN needs n ON n.respondent_id = p.respondent_id
    JOIN svc s ON s.service_code = n.service_code
    GROUP BY n.respondent_id
)
SELECT p.qol_total, p.adl_total, p.chronic_disease, p.education, p.income_band, p.payment_form,
       p.age, p.sex, p.has_spouse, p.weight, p.stratum, p.psu,
       COALESCE(f.need_answered, 0) AS need_answered,
       COALESCE(f.need_count, 0) AS need_count,
       COALESCE(f.received_answered, 0) AS received_answered,
       COALESCE(f.received_count, 0) AS received_count,
       COALESCE(f.need_answered_bits, 0) AS need_answered_bits,
       COALESCE(f.need_bits, 0) AS need_bits,
       COALESCE(f.received_answered_bits, 0) AS received_answered_bits,
       COALESCE(f.received_bits, 0) AS received_bits
FROM people p
LEFT JOIN flags f ON f.respondent_id = p.respondent_id
ORDER BY p.respondent_id
