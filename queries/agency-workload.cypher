// question: How many tasks does each agency lead and support, in how many plans?
// columns: agency, plans, lead_tasks, support_tasks
MATCH (a:Agency)
CALL (a) {
  MATCH (t)-[:LEAD_AGENCY]->(a) MATCH (t)-[:IN_PLAN]->(p) RETURN t AS lt, null AS st, p
  UNION
  MATCH (t)-[:SUPPORT_AGENCY]->(a) MATCH (t)-[:IN_PLAN]->(p) RETURN null AS lt, t AS st, p
}
WITH a.prefLabel AS agency, count(DISTINCT p) AS plans, count(DISTINCT lt) AS lead_tasks, count(DISTINCT st) AS support_tasks
RETURN agency, plans, lead_tasks, support_tasks
ORDER BY lead_tasks DESC, support_tasks DESC, agency
