// question: Which numeric targets does each plan set, for which year, against which baseline?
// columns: plan, indicator, year, value, unit, baseline_year, baseline_value
MATCH (t:Target)-[:IN_PLAN]->(p:Plan)
MATCH (t)-[:INDICATOR]->(i)
RETURN p.title AS plan, i.prefLabel AS indicator, t.year AS year, t.valueText AS value, t.unit AS unit,
       t.baselineYear AS baseline_year, t.baselineValueText AS baseline_value
ORDER BY plan, indicator, year
