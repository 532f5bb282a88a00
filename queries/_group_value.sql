-- Fragment (`@include _group_value`, in the SELECT list over respondents p): the value of the
-- covariate $group (data.GROUP_COLUMNS; NULL when $group is NULL), as text. The rollup route
-- stores the same values (dashboard/ingest/rollups.py GROUP_SQL).
           CASE $group
               WHEN 'age_group' THEN p.age_group
               WHEN 'sex' THEN p.sex
               WHEN 'education' THEN p.education
               WHEN 'income_band' THEN p.income_band
               WHEN 'payment_form' THEN p.payment_form
               WHEN 'living_arrangement' THEN p.living_arrangement
               WHEN 'occupation' THEN p.occupation
               WHEN 'has_spouse' THEN CAST(p.has_spouse AS VARCHAR)
               WHEN 'chronic_disease' THEN CAST(p.chronic_disease AS VARCHAR)
               WHEN 'psych_problem' THEN CAST(p.psych_problem AS VARCHAR)
               WHEN 'adl_level' THEN p.adl_level
               WHEN 'qol_grade' THEN p.qol_grade
           END AS group_value
