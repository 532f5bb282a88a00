-- Display names of services in a language ('en' uses name_en where given).
SELECT service_code,
       CASE WHEN $lang = 'en' THEN COALESCE(name_en, name, service_code)
            ELSE COALESCE(name, name_en, service_code) END AS label
FROM services
ORDER BY sort_order NULLS LAST, service_code
