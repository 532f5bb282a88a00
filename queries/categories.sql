-- Service categories in catalog order.
SELECT category FROM services GROUP BY category ORDER BY min(sort_order) NULLS LAST, category
