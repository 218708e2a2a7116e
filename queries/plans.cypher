// question: Which plans does the graph hold, and who issued each, when, under which document number?
// columns: plan, title, issuer, date, doc_no
MATCH (p:Plan)
OPTIONAL MATCH (p)-[:PASSED_BY]->(a)
RETURN p.title AS plan, p.noticeTitle AS title, a.prefLabel AS issuer, p.date_document AS date, p.id_local AS doc_no
ORDER BY date, plan, issuer
