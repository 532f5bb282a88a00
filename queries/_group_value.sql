-- Fragment (`@include _group_value`, in a SELECT over respondents aliased p): the respondent's
-- value of the covariate $group, as text (NULL: not recorded, or no $group). The names are
-- data.GROUP_COLUMNS; the rollups store the same values (rollups.GROUP_SQL).
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
END
