// question: Which plans does the graph hold, and who issued each, when, under which document number, of what kind, published when?
// columns: plan, title, issuer, date, doc_no, kind, published
MATCH (p:Plan)
OPTIONAL MATCH (p)-[:PASSED_BY]->(a)
OPTIONAL MATCH (p)-[:DOCUMENT_KIND]->(k)
RETURN p.title AS plan, p.noticeTitle AS title, a.prefLabel AS issuer, p.date_document AS date, p.id_local AS doc_no,
       k.notation AS kind, p.date_publication AS published
ORDER BY date, plan, issuer
