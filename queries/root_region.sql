-- The top region (the one with no parent): the whole dataset.
SELECT region_id, name, name_en, level FROM regions WHERE parent_id IS NULL
