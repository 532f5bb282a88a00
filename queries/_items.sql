-- Fragment (`@include _items`): the items figures are given for ($by 'service': each service;
-- 'category': each category, its figures summed over its services before dividing), and each
-- service's item.
items AS (
    SELECT DISTINCT CASE WHEN $by = 'category' THEN category ELSE service_code END AS item_code,
           category
    FROM services
),
service_item AS (
    SELECT service_code, CASE WHEN $by = 'category' THEN category ELSE service_code END AS item_code
    FROM services
),
