-- Per base, which cells of the stored pattern (queries/pattern_cells.sql) are open: packed bits,
-- one per cell in order (numpy.packbits), for floor $k and covariate $grp ('' for none).
SELECT base, bits
FROM pattern_open
WHERE k = $k AND grp = $grp
ORDER BY b
