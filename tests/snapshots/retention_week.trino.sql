WITH members AS (
  SELECT
    "p"."acquisition_channel" AS "acquisition_channel",
    c.person_id,
    CAST(DATE_TRUNC('WEEK', c.cohort_date) AS DATE) AS cohort_start
  FROM intermediate.int_persons_cohorted AS c
  INNER JOIN marts.dim_persons AS p
    ON c.person_id = p.person_id
), activity AS (
  SELECT
    "m"."acquisition_channel",
    m.person_id,
    m.cohort_start,
    CAST(CAST(DATE_DIFF('DAY', m.cohort_start, a.period_start) AS DOUBLE) / 7 AS INTEGER) AS period_number
  FROM members AS m
  INNER JOIN intermediate.int_person_periods_active AS a
    ON m.person_id = a.person_id
  WHERE
    a.grain = 'week' AND a.is_active AND a.period_start >= m.cohort_start
), flagged AS (
  SELECT
    "acquisition_channel",
    cohort_start,
    period_number,
    CASE
      WHEN period_number = MAX(period_number) OVER (PARTITION BY person_id)
      THEN 1
      ELSE 0
    END AS is_last
  FROM activity
)
SELECT
  *
FROM (
  SELECT
    "acquisition_channel",
    cohort_start,
    CAST(NULL AS INTEGER) AS period_number,
    COUNT(*) AS cohort_size,
    CAST(NULL AS BIGINT) AS active_persons,
    CAST(NULL AS BIGINT) AS last_active_persons
  FROM members
  GROUP BY
    "acquisition_channel",
    cohort_start
  UNION ALL
  SELECT
    "acquisition_channel",
    cohort_start,
    period_number,
    CAST(NULL AS BIGINT) AS cohort_size,
    COUNT(*) AS active_persons,
    SUM(is_last) AS last_active_persons
  FROM flagged
  GROUP BY
    "acquisition_channel",
    cohort_start,
    period_number
) AS cells
