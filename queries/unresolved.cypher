// question: Which names did structure find that no reference table or corpus document resolves, in which documents, how often?
// columns: name, kind, documents, mentions
CALL () {
  MATCH (x:Unresolved) RETURN x, x.prefLabel AS name, CASE WHEN x:Place THEN 'place' ELSE 'agency' END AS kind
  UNION
  MATCH (x:ExternalDocument) RETURN x, x.title AS name, 'document' AS kind
}
MATCH (x)<-[:OBJECT]-(e:Evidence)-[:WAS_DERIVED_FROM]->(d)
WITH name, kind, collect(DISTINCT d.fileName) AS files, count(DISTINCT e) AS mentions
RETURN name, kind, reduce(s = '', f IN files | s + CASE WHEN s = '' THEN '' ELSE '；' END + f) AS documents, mentions
ORDER BY mentions DESC, kind, name
