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
  model,
  conversions DESC
