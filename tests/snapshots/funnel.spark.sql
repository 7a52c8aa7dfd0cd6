WITH matched AS (
  SELECT
    e.person_id,
    e.event_id,
    e.event_ts,
    (
      event_name = 'signed_up'
      AND GET_JSON_OBJECT(properties, '$.signup_type') IN (
        GET_JSON_OBJECT('{"v": "invited"}', '$.v'),
        GET_JSON_OBJECT('{"v": "organic"}', '$.v')
      )
    ) AS is_step_1,
    (
      event_name = 'workflow_started'
      AND GET_JSON_OBJECT(properties, '$.template') IS NULL
    ) AS is_step_2,
    (
      event_name = 'workflow_saved'
    ) AS is_step_3
  FROM marts.fct_events AS e
  INNER JOIN VALUES
    ('signed_up'),
    ('workflow_saved'),
    ('workflow_started') AS step_names(step_event)
    ON e.event_name = step_names.step_event
), entry_bounds AS (
  SELECT
    person_id,
    MIN(event_ts) AS first_entry_at,
    MAX(event_ts) AS last_entry_at
  FROM matched
  WHERE
    is_step_1
    AND event_ts >= CAST('2026-01-01 00:00:00' AS TIMESTAMP)
    AND event_ts < CAST('2026-12-31 00:00:00' AS TIMESTAMP)
  GROUP BY
    person_id
), scoped AS (
  SELECT
    m.person_id,
    m.event_id,
    m.event_ts,
    m.is_step_1,
    m.is_step_2,
    m.is_step_3
  FROM matched AS m
  INNER JOIN entry_bounds AS e
    ON m.person_id = e.person_id
  WHERE
    m.event_ts >= e.first_entry_at
    AND TIMESTAMPDIFF(MICROSECOND, e.last_entry_at, m.event_ts) <= 604800000000
), counted AS (
  SELECT
    person_id,
    event_id,
    event_ts,
    is_step_1,
    is_step_2,
    is_step_3,
    SUM(CASE WHEN is_step_2 THEN 1 ELSE 0 END) OVER (
      PARTITION BY person_id
      ORDER BY event_ts NULLS LAST, event_id NULLS LAST
      rows BETWEEN UNBOUNDED preceding AND CURRENT ROW
    ) AS step_2_count,
    SUM(CASE WHEN is_step_3 THEN 1 ELSE 0 END) OVER (
      PARTITION BY person_id
      ORDER BY event_ts NULLS LAST, event_id NULLS LAST
      rows BETWEEN UNBOUNDED preceding AND CURRENT ROW
    ) AS step_3_count
  FROM scoped
  WHERE
    is_step_1 OR is_step_2 OR is_step_3
), chained AS (
  SELECT
    s1.person_id,
    s1.event_id AS entry_event_id,
    s1.event_ts AS step_1_at,
    s2.event_ts AS step_2_candidate_at,
    s3.event_ts AS step_3_candidate_at
  FROM counted AS s1
  LEFT JOIN counted AS s2
    ON s1.person_id = s2.person_id
    AND (
      s1.step_2_count + 1
    ) = s2.step_2_count
    AND s2.is_step_2
  LEFT JOIN counted AS s3
    ON s2.person_id = s3.person_id
    AND (
      s2.step_3_count + 1
    ) = s3.step_3_count
    AND s3.is_step_3
  WHERE
    s1.is_step_1
    AND s1.event_ts >= CAST('2026-01-01 00:00:00' AS TIMESTAMP)
    AND s1.event_ts < CAST('2026-12-31 00:00:00' AS TIMESTAMP)
), windowed AS (
  SELECT
    person_id,
    entry_event_id,
    step_1_at,
    CASE
      WHEN TIMESTAMPDIFF(MICROSECOND, step_1_at, step_2_candidate_at) <= 604800000000
      THEN step_2_candidate_at
    END AS step_2_at,
    CASE
      WHEN TIMESTAMPDIFF(MICROSECOND, step_1_at, step_3_candidate_at) <= 604800000000
      THEN step_3_candidate_at
    END AS step_3_at
  FROM chained
), scored AS (
  SELECT
    person_id,
    step_1_at,
    step_2_at,
    step_3_at,
    1 + CASE WHEN NOT step_2_at IS NULL THEN 1 ELSE 0 END + CASE WHEN NOT step_3_at IS NULL THEN 1 ELSE 0 END AS furthest_step,
    ROW_NUMBER() OVER (
      PARTITION BY person_id
      ORDER BY 1 + CASE WHEN NOT step_2_at IS NULL THEN 1 ELSE 0 END + CASE WHEN NOT step_3_at IS NULL THEN 1 ELSE 0 END DESC, step_1_at NULLS LAST, entry_event_id NULLS LAST
    ) AS entry_rank
  FROM windowed
), best AS (
  SELECT
    person_id,
    furthest_step,
    step_1_at,
    step_2_at,
    step_3_at
  FROM scored
  WHERE
    entry_rank = 1
), reached AS (
  SELECT
    `p`.`persona` AS `persona`,
    step_numbers.step_index,
    CASE step_numbers.step_index
      WHEN 2
      THEN TIMESTAMPDIFF(MICROSECOND, b.step_1_at, b.step_2_at) / 1000000.0
      WHEN 3
      THEN TIMESTAMPDIFF(MICROSECOND, b.step_2_at, b.step_3_at) / 1000000.0
    END AS seconds_from_previous
  FROM best AS b
  CROSS JOIN VALUES
    (1),
    (2),
    (3) AS step_numbers(step_index)
  INNER JOIN marts.dim_persons AS p
    ON b.person_id = p.person_id
  WHERE
    step_numbers.step_index <= b.furthest_step
)
SELECT
  `persona`,
  step_index,
  COUNT(*) AS persons,
  PERCENTILE(seconds_from_previous, 0.5) AS median_seconds_from_previous
FROM reached
GROUP BY
  `persona`,
  step_index
ORDER BY
  `persona`,
  step_index
