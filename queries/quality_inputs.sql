-- Respondent-level inputs of the study's Tables 1, 4 and 5 (regression of QoL; correlation of
-- QoL with demand and with services received), for a slice. One row per respondent.
--
-- PRIVACY: these rows stay on the server. They are read by dashboard.stats.tables, which returns
-- only aggregate tables; no screen, download or report prints them.
--
-- Parameters
--   $within       a region_id: respondents living in its subtree
--   $age_group    NULL or an age group;  $sex  NULL, 'M' or 'F'
--   $threshold    need threshold T (1–5): a respondent needs a service when need >= T
--
-- need_count / received_count: services needed (need >= T) / received, over all services;
-- need_answered / received_answered: how many of those questions the respondent answered.
-- Per service (bit = its position in catalog order, see queries/service_bits.sql; the first 62
-- services): *_answered_bits has the bit set when the question was answered, need_bits when
-- need >= T, received_bits when received. respondent_flags holds them, summed once at import
-- (dashboard/ingest/rollups.py), with the need columns for every threshold (lists indexed by T).
WITH
@include _slice_respondents
inputs AS (
    SELECT p.respondent_id, p.qol_total, p.adl_total, p.chronic_disease, p.education,
           p.income_band, p.payment_form, p.age, p.sex, p.has_spouse, p.weight, p.stratum, p.psu,
           COALESCE(f.need_answered, 0) AS need_answered,
           COALESCE(f.need_count[$threshold], 0) AS need_count,
           COALESCE(f.received_answered, 0) AS received_answered,
           COALESCE(f.received_count, 0) AS received_count,
           COALESCE(f.need_answered_bits, 0) AS need_answered_bits,
           COALESCE(f.need_bits[$threshold], 0) AS need_bits,
           COALESCE(f.received_answered_bits, 0) AS received_answered_bits,
           COALESCE(f.received_bits, 0) AS received_bits
    FROM slice_respondents p
    LEFT JOIN respondent_flags f ON f.respondent_id = p.respondent_id
)
SELECT * EXCLUDE (respondent_id) FROM inputs ORDER BY respondent_id
