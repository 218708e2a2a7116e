// question: Which names did structure find that no reference table knows, in which documents, how often?
// columns: name, kind, documents, mentions
MATCH (x:Unresolved)<-[:OBJECT]-(e:Evidence)-[:WAS_DERIVED_FROM]->(d)
WITH x.prefLabel AS name, CASE WHEN x:Place THEN 'place' ELSE 'agency' END AS kind, e, d
WITH name, kind, collect(DISTINCT d.fileName) AS files, count(DISTINCT e) AS mentions
RETURN name, kind, reduce(s = '', f IN files | s + CASE WHEN s = '' THEN '' ELSE '；' END + f) AS documents, mentions
ORDER BY mentions DESC, kind, name
