// question: Which agencies lead or support each numbered task of each plan?
// columns: plan, task_no, task, agency, role
MATCH (t:Task)-[:IN_PLAN]->(p:Plan)
MATCH (t)-[r:LEAD_AGENCY|SUPPORT_AGENCY]->(a)
RETURN p.title AS plan, t.taskNumber AS task_no, t.description AS task, a.prefLabel AS agency,
       CASE type(r) WHEN 'LEAD_AGENCY' THEN 'lead' ELSE 'support' END AS role
ORDER BY plan, task_no, role, agency
