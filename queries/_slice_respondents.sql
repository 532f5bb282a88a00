-- Fragment (`@include _slice_respondents`): the respondents of a slice, living in $within's
-- subtree, of $age_group and $sex when given (NULL: all).
slice_respondents AS (
    SELECT p.*
    FROM region_closure c
    JOIN respondents p ON p.region_id = c.descendant_id
    WHERE c.ancestor_id = $within
      AND ($age_group IS NULL OR p.age_group = $age_group)
      AND ($sex IS NULL OR p.sex = $sex)
),
