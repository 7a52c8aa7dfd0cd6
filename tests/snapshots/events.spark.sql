SELECT
  event_id,
  person_id,
  session_id,
  event_name,
  event_ts,
  event_date,
  platform,
  account_id,
  revenue,
  properties
FROM marts.fct_events
WHERE
  event_name IN ('signed_up')
  AND event_ts >= CAST('2026-01-01 00:00:00' AS TIMESTAMP)
ORDER BY
  event_ts,
  event_id
LIMIT 5
