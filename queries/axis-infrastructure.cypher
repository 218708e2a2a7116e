// question: Which infrastructure (railways, expressways, waterways, corridors) does each development axis follow?
// columns: plan, axis, infrastructure
MATCH (a:DevelopmentAxis)-[:IN_PLAN]->(p:Plan)
MATCH (a)-[:FOLLOWS_INFRASTRUCTURE]->(i)
RETURN p.title AS plan, a.prefLabel AS axis, i.prefLabel AS infrastructure
ORDER BY plan, axis, infrastructure
