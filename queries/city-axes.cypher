// question: Which cities sit on the most development axes, across how many plans?
// columns: city, n_axes, n_plans, axes
MATCH (a:DevelopmentAxis)-[:IN_PLAN]->(p:Plan)
MATCH (a)-[:NODE_CITY]->(c)
WITH c.prefLabel AS city, count(DISTINCT a) AS n_axes, count(DISTINCT p) AS n_plans, collect(DISTINCT a.prefLabel) AS names
RETURN city, n_axes, n_plans, reduce(s = '', x IN names | s + CASE WHEN s = '' THEN '' ELSE '；' END + x) AS axes
ORDER BY n_axes DESC, n_plans DESC, city
