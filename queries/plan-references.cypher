// question: Which documents does each plan cite or implement?
// columns: plan, relation, target
MATCH (p:Plan)-[:APPLIES]->(t)
RETURN p.title AS plan, 'implements' AS relation, t.title AS target
UNION
MATCH (p:Plan)-[:CITES]->(t)
WHERE NOT (p)-[:APPLIES]->(t)
RETURN p.title AS plan, 'cites' AS relation, t.title AS target
