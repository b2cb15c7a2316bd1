// name: plans-targeting
// answers: Which plans target an industry or a region. For a province, plans that
//   target one of its cities count too (the city is shown under `via`).
// param: target (entity: Industry|Province|City|Organization) the industry or region, by any name or alias
// example: policygraph query plans-targeting --param target="Gyeonggi Province"
MATCH (p:Plan)-[r:TARGETS]->(x:Entity)
WHERE x.id = $target OR (x)-[:BELONGS_TO]->(:Entity {id: $target})
OPTIONAL MATCH (s:Entity)-[:SUPPORTS]->(p)
WITH p, r, x, collect(DISTINCT s.name) AS supporters
RETURN p.name AS plan, CASE WHEN x.id = $target THEN null ELSE x.name END AS via,
       supporters, r.doc_ids AS documents, r.evidence AS evidence
ORDER BY plan, via
