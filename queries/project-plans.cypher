// question: Which named infrastructure and major projects does each plan mention, and of what kind are they?
// columns: project, kind, plan
MATCH (x:Project)-[:MENTIONED_IN]->(p:Plan)
WHERE NOT x:ProjectSection
RETURN DISTINCT x.prefLabel AS project, x.projectKind AS kind, p.title AS plan
ORDER BY project, plan
