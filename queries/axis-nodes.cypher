// question: Which cities does each development axis, belt or corridor of each plan connect, and which transport corridor does the axis follow?
// columns: plan, axis, corridor, city
MATCH (a:DevelopmentAxis)-[:IN_PLAN]->(p:Plan)
MATCH (a)-[:NODE_CITY]->(c)
OPTIONAL MATCH (a)-[:ON_CORRIDOR]->(cor)
RETURN p.title AS plan, a.prefLabel AS axis, cor.prefLabel AS corridor, c.prefLabel AS city
ORDER BY plan, axis, city
