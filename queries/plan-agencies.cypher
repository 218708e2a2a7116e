// question: Which agencies does each plan involve, and in which role (issuer, lead, support)?
// columns: plan, agency, role
// Collective phrases (相关市政府, 省直有关部门) are not agencies and are left out; task-agencies keeps them.
MATCH (p:Plan)
CALL (p) {
  MATCH (p)-[:PASSED_BY]->(a) RETURN a, 'issuer' AS role
  UNION
  MATCH (t)-[:IN_PLAN]->(p) MATCH (t)-[:LEAD_AGENCY]->(a) RETURN a, 'lead' AS role
  UNION
  MATCH (t)-[:IN_PLAN]->(p) MATCH (t)-[:SUPPORT_AGENCY]->(a) RETURN a, 'support' AS role
}
WITH p, a, role WHERE a:Agency
RETURN DISTINCT p.title AS plan, a.prefLabel AS agency, role
ORDER BY plan, role, agency
