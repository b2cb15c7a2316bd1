// name: top-industries
// answers: Industries ranked by how many actors support them, with the supporters and
//   the number of plans that target each industry.
// param: limit (int = 20) at most this many industries
// example: policygraph query top-industries --param limit=10
MATCH (i:Industry)
OPTIONAL MATCH (s:Entity)-[:SUPPORTS]->(i)
WITH i, collect(DISTINCT s.name) AS supporters
OPTIONAL MATCH (p:Plan)-[:TARGETS]->(i)
WITH i, supporters, count(DISTINCT p) AS plans
WHERE size(supporters) > 0 OR plans > 0
RETURN i.name AS industry, size(supporters) AS supporter_count, plans AS plan_count, supporters
ORDER BY supporter_count DESC, plan_count DESC, industry
LIMIT $limit
