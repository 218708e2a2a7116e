// question: Which places does each plan cover (its 规划范围)?
// columns: plan, city
MATCH (p:Plan)-[:PLAN_SCOPE]->(c)
RETURN p.title AS plan, c.prefLabel AS city
ORDER BY plan, city
