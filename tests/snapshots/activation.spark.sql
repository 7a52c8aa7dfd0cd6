SELECT
  `p`.`persona` AS `persona`,
  COUNT(*) AS signups,
  COUNT(CASE WHEN a.is_window_complete THEN 1 END) AS signups_window_complete,
  COUNT(CASE WHEN a.is_window_complete AND a.is_activated THEN 1 END) AS activated,
  PERCENTILE(CASE WHEN a.is_activated THEN a.hours_to_activation END, 0.5) AS median_hours_to_activation,
  COUNT(CASE WHEN a.time_to_value_bucket = 'within_window' THEN 1 END) AS n_within_window,
  COUNT(CASE WHEN a.time_to_value_bucket = 'within_3_days' THEN 1 END) AS n_within_3_days,
  COUNT(CASE WHEN a.time_to_value_bucket = 'later' THEN 1 END) AS n_later,
  COUNT(CASE WHEN a.time_to_value_bucket = 'never' THEN 1 END) AS n_never
FROM marts.fct_activation AS a
INNER JOIN marts.dim_persons AS p
  ON a.person_id = p.person_id
GROUP BY
  `p`.`persona`
ORDER BY
  `p`.`persona`
