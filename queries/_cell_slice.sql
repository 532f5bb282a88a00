-- Fragment (`@include _cell_slice`, in the WHERE clause over a rollup aliased c): the rollup rows
-- of the areas asked for ($area_level, $within's range $pre..$post, for zone-map pruning; the
-- query still joins the exact areas) and of the slice's age group and sex (NULL: all).
      c.area_level = $area_level AND c.area_pre BETWEEN $pre AND $post
      AND ($age_group IS NULL OR c.age_group = $age_group)
      AND ($sex IS NULL OR c.sex = $sex)
