SELECT
  a.model,
  "p"."persona" AS "persona",
  SUM(a.credit) AS conversions,
  SUM(a.revenue_credit) AS revenue
FROM marts.fct_attribution AS a
INNER JOIN marts.fct_conversions AS c
  ON a.conversion_id = c.conversion_id
INNER JOIN marts.dim_persons AS p
  ON c.person_id = p.person_id
GROUP BY
  a.model,
  "p"."persona"
ORDER BY
  a.model,
  conversions DESC
