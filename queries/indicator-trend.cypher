// question: How does the same indicator move across plans and years (indicators set by more than one plan)?
// columns: indicator, plan, year, value, unit
MATCH (x:Target)-[:INDICATOR]->(i)
MATCH (x)-[:IN_PLAN]->(pp)
WITH i, count(DISTINCT pp) AS n
WHERE n > 1
MATCH (t:Target)-[:INDICATOR]->(i)
MATCH (t)-[:IN_PLAN]->(p:Plan)
CALL (t) {
  WITH t WHERE t.valueText IS NOT NULL AND t.year IS NOT NULL RETURN t.valueText AS value, t.year AS year
  UNION ALL
  WITH t WHERE t.baselineValueText IS NOT NULL AND t.baselineYear IS NOT NULL
  RETURN t.baselineValueText AS value, t.baselineYear AS year
}
RETURN i.prefLabel AS indicator, p.title AS plan, year, value, t.unit AS unit
ORDER BY indicator, year, plan
