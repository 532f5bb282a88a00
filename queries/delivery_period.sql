-- First and last delivery date in the data: the default period of every delivery figure.
SELECT min(delivered_on) AS first_day, max(delivered_on) AS last_day FROM deliveries
