-- Rows per stored table.
SELECT
    (SELECT count(*) FROM regions) AS regions,
    (SELECT count(*) FROM regions WHERE level = 'district') AS districts,
    (SELECT count(*) FROM regions WHERE level = 'grid') AS grids,
    (SELECT count(*) FROM services) AS services,
    (SELECT count(*) FROM respondents) AS respondents,
    (SELECT count(*) FROM needs) AS needs,
    (SELECT count(*) FROM stations) AS stations,
    (SELECT count(*) FROM deliveries) AS deliveries,
    (SELECT count(*) FROM catchments) AS catchments,
    (SELECT count(*) FROM targets) AS targets,
    (SELECT count(*) FROM boundaries) AS boundaries
