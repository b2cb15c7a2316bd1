// name: plans-targeting
// answers: Which plans target an industry or a region. For a province, plans that
//   target one of its cities count too (the city is shown under `via`).
// param: target (entity: Industry|Province|City|Organization) the industry or region, by any name or alias
// example: policygraph query plans-targeting --param target="Gyeonggi Province"
//
// It starts from the target's index and walks out (a WHERE ... OR ... over every
// plan is 150 times slower on 10,000 entities).
MATCH (t:Entity {id: $target})
OPTIONAL MATCH (x:Entity)-[:BELONGS_TO]->(t)
WITH t, [t] + collect(x) AS places
UNWIND places AS place
MATCH (p:Plan)-[r:TARGETS]->(place)
OPTIONAL MATCH (s:Entity)-[:SUPPORTS]->(p)
WITH t, p, r, place, collect(DISTINCT s.name) AS supporters
RETURN p.name AS plan, CASE WHEN place = t THEN null ELSE place.name END AS via, supporters,
       r.doc_ids AS documents, r.evidence AS evidence
ORDER BY plan, via
