// question: Which named projects recur across plans, in how many and which ones?
// columns: project, kind, n_plans, plans
MATCH (x:Project)-[:MENTIONED_IN]->(p:Plan)
WHERE NOT x:ProjectSection
WITH x.prefLabel AS project, x.projectKind AS kind, count(DISTINCT p) AS n_plans, collect(DISTINCT p.title) AS titles
RETURN project, kind, n_plans, reduce(s = '', x IN titles | s + CASE WHEN s = '' THEN '' ELSE '；' END + x) AS plans
ORDER BY n_plans DESC, project
