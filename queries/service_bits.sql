-- Each service's bit in the per-service flags of queries/quality_inputs.sql (catalog order).
SELECT service_code, category,
       row_number() OVER (ORDER BY sort_order NULLS LAST, service_code) - 1 AS bit
FROM services
ORDER BY bit
