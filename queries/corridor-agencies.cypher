// question: Which agencies lead or support work on each transport corridor, in which plan?
// columns: corridor, agency, role, plan
// Collective phrases (相关市政府, 省直有关部门) are not agencies and are left out; task-agencies keeps them.
MATCH (t:Task)-[:CONCERNS_CORRIDOR]->(c)
MATCH (t)-[:IN_PLAN]->(p:Plan)
MATCH (t)-[r:LEAD_AGENCY|SUPPORT_AGENCY]->(a:Agency)
RETURN DISTINCT c.prefLabel AS corridor, a.prefLabel AS agency,
       CASE type(r) WHEN 'LEAD_AGENCY' THEN 'lead' ELSE 'support' END AS role, p.title AS plan
ORDER BY corridor, plan, role, agency
