// question: How many tasks does each line of succession lead and support (an agency counted with the bodies it replaced)?
// columns: agency, predecessors, plans, lead_tasks, support_tasks
MATCH (a:Agency)-[:SUCCEEDED_BY*0..]->(current)
WHERE NOT (current)-[:SUCCEEDED_BY]->()
CALL (a) {
  MATCH (t)-[:LEAD_AGENCY]->(a) MATCH (t)-[:IN_PLAN]->(p) RETURN t AS lt, null AS st, p
  UNION
  MATCH (t)-[:SUPPORT_AGENCY]->(a) MATCH (t)-[:IN_PLAN]->(p) RETURN null AS lt, t AS st, p
}
WITH current, count(DISTINCT p) AS plans, count(DISTINCT lt) AS lead_tasks, count(DISTINCT st) AS support_tasks
OPTIONAL MATCH (o)-[:SUCCEEDED_BY*1..]->(current)
WHERE (o)<-[:LEAD_AGENCY|SUPPORT_AGENCY]-()
WITH current, plans, lead_tasks, support_tasks, collect(DISTINCT o.prefLabel) AS names
RETURN current.prefLabel AS agency,
       reduce(s = '', x IN names | s + CASE WHEN s = '' THEN '' ELSE '；' END + x) AS predecessors,
       plans, lead_tasks, support_tasks
ORDER BY lead_tasks DESC, support_tasks DESC, agency
