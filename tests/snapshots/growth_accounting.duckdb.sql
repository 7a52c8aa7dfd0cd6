SELECT
  period_start,
  active,
  new,
  retained,
  resurrected,
  churned,
  quick_ratio
FROM marts.fct_growth_accounting
WHERE
  grain = 'week'
ORDER BY
  period_start NULLS FIRST
