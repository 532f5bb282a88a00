-- How many respondents have each covariate recorded (a group breakdown needs it present).
SELECT count(age_group) AS age_group, count(sex) AS sex, count(education) AS education,
       count(income_band) AS income_band, count(payment_form) AS payment_form,
       count(living_arrangement) AS living_arrangement, count(occupation) AS occupation,
       count(has_spouse) AS has_spouse, count(chronic_disease) AS chronic_disease,
       count(psych_problem) AS psych_problem, count(adl_level) AS adl_level,
       count(qol_grade) AS qol_grade
FROM respondents
