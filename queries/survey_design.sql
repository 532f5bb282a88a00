-- Whether the survey has a sampling design, and how many respondents are a PSU of their own (no
-- psu, or the only PSU of their stratum).
SELECT has_design, unit_respondents FROM survey_design
