-- First and last interview date (NULL when the survey has no dates).
SELECT min(surveyed_on) AS first_day, max(surveyed_on) AS last_day FROM respondents
