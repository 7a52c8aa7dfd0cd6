SELECT
  "p"."persona" AS "persona",
  COUNT(*) AS persons,
  COUNT(l.revenue_d7) AS observed_d7,
  AVG(l.revenue_d7) AS avg_revenue_d7,
  COUNT(l.revenue_d30) AS observed_d30,
  AVG(l.revenue_d30) AS avg_revenue_d30,
  COUNT(l.revenue_d90) AS observed_d90,
  AVG(l.revenue_d90) AS avg_revenue_d90
FROM marts.fct_ltv AS l
INNER JOIN marts.dim_persons AS p
  ON l.person_id = p.person_id
GROUP BY
  "p"."persona"
ORDER BY
  "p"."persona"
