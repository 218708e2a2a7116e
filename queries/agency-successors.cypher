// question: Which agencies were renamed, merged or abolished, into which successor, in which year?
// columns: agency, successor, year
MATCH (e:ChangeEvent)-[:ORIGINAL_ORGANIZATION]->(a)
MATCH (e)-[:RESULTING_ORGANIZATION]->(b)
RETURN a.prefLabel AS agency, b.prefLabel AS successor, e.year AS year
ORDER BY agency, successor
