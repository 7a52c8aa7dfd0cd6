SELECT
  model,
  channel,
  conversions,
  revenue,
  spend,
  cac,
  roas
FROM marts.agg_channel_performance
WHERE
  model = 'linear'
ORDER BY
  model NULLS FIRST,
  conversions DESC
