WITH members AS (
  SELECT
    c.person_id,
    CAST(DATE_TRUNC('MONTH', c.cohort_date) AS DATE) AS cohort_start
  FROM intermediate.int_persons_cohorted AS c
), activity AS (
  SELECT
    m.person_id,
    m.cohort_start,
    12 * (
      YEAR(a.period_start) - YEAR(m.cohort_start)
    ) + (
      MONTH(a.period_start) - MONTH(m.cohort_start)
    ) AS period_number
  FROM members AS m
  INNER JOIN intermediate.int_person_periods_active AS a
    ON m.person_id = a.person_id
  WHERE
    a.grain = 'month' AND a.is_active AND a.period_start >= m.cohort_start
), flagged AS (
  SELECT
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
    cohort_start,
    CAST(NULL AS INT) AS period_number,
    COUNT(*) AS cohort_size,
    CAST(NULL AS BIGINT) AS active_persons,
    CAST(NULL AS BIGINT) AS last_active_persons
  FROM members
  GROUP BY
    cohort_start
  UNION ALL
  SELECT
    cohort_start,
    period_number,
    CAST(NULL AS BIGINT) AS cohort_size,
    COUNT(*) AS active_persons,
    SUM(is_last) AS last_active_persons
  FROM flagged
  GROUP BY
    cohort_start,
    period_number
) AS cells
