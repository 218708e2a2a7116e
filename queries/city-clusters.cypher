// question: Which city clusters and groups does each plan define, with which member places?
// columns: plan, cluster, city
MATCH (c:CityCluster)-[:IN_PLAN]->(p:Plan)
MATCH (c)-[:MEMBER]->(m)
RETURN p.title AS plan, c.prefLabel AS cluster, m.prefLabel AS city
ORDER BY plan, cluster, city
