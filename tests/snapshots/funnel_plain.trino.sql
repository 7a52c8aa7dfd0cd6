WITH matched AS (
  SELECT
    e.person_id,
    e.event_id,
    e.event_ts,
    (
      event_name = 'signed_up'
    ) AS is_step_1,
    (
      event_name = 'workflow_saved'
    ) AS is_step_2
  FROM marts.fct_events AS e
  INNER JOIN (VALUES
    ('signed_up'),
    ('workflow_saved')) AS step_names(step_event)
    ON e.event_name = step_names.step_event
), entry_bounds AS (
  SELECT
    person_id,
    MIN(event_ts) AS first_entry_at,
    MAX(event_ts) AS last_entry_at
  FROM matched
  WHERE
    is_step_1
  GROUP BY
    person_id
), scoped AS (
  SELECT
    m.person_id,
    m.event_id,
    m.event_ts,
    m.is_step_1,
    m.is_step_2
  FROM matched AS m
  INNER JOIN entry_bounds AS e
    ON m.person_id = e.person_id
  WHERE
    m.event_ts >= e.first_entry_at
    AND DATE_DIFF('MICROSECOND', e.last_entry_at, m.event_ts) <= 86400000000
), counted AS (
  SELECT
    person_id,
    event_id,
    event_ts,
    is_step_1,
    is_step_2,
    SUM(CASE WHEN is_step_2 THEN 1 ELSE 0 END) OVER (
      PARTITION BY person_id
      ORDER BY event_ts, event_id
      rows BETWEEN UNBOUNDED preceding AND CURRENT ROW
    ) AS step_2_count
  FROM scoped
  WHERE
    is_step_1 OR is_step_2
), chained AS (
  SELECT
    s1.person_id,
    s1.event_id AS entry_event_id,
    s1.event_ts AS step_1_at,
    s2.event_ts AS step_2_candidate_at
  FROM counted AS s1
  LEFT JOIN counted AS s2
    ON s1.person_id = s2.person_id
    AND (
      s1.step_2_count + 1
    ) = s2.step_2_count
    AND s2.is_step_2
  WHERE
    s1.is_step_1
), windowed AS (
  SELECT
    person_id,
    entry_event_id,
    step_1_at,
    CASE
      WHEN DATE_DIFF('MICROSECOND', step_1_at, step_2_candidate_at) <= 86400000000
      THEN step_2_candidate_at
    END AS step_2_at
  FROM chained
), scored AS (
  SELECT
    person_id,
    step_1_at,
    step_2_at,
    1 + CASE WHEN NOT step_2_at IS NULL THEN 1 ELSE 0 END AS furthest_step,
    ROW_NUMBER() OVER (
      PARTITION BY person_id
      ORDER BY 1 + CASE WHEN NOT step_2_at IS NULL THEN 1 ELSE 0 END DESC, step_1_at, entry_event_id
    ) AS entry_rank
  FROM windowed
), best AS (
  SELECT
    person_id,
    furthest_step,
    step_1_at,
    step_2_at
  FROM scored
  WHERE
    entry_rank = 1
), reached AS (
  SELECT
    step_numbers.step_index,
    CASE step_numbers.step_index
      WHEN 2
      THEN CAST(DATE_DIFF('MICROSECOND', b.step_1_at, b.step_2_at) AS DOUBLE) / 1000000.0
    END AS seconds_from_previous
  FROM best AS b
  CROSS JOIN (VALUES
    (1),
    (2)) AS step_numbers(step_index)
  WHERE
    step_numbers.step_index <= b.furthest_step
)
SELECT
  step_index,
  COUNT(*) AS persons,
  APPROX_PERCENTILE(seconds_from_previous, 0.5) AS median_seconds_from_previous
FROM reached
GROUP BY
  step_index
ORDER BY
  step_index
