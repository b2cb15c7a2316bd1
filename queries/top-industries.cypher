// name: top-industries
// answers: Industries ranked by how many actors support them, with the number of plans
//   that target each and some of its supporters (`query supporters` lists them all,
//   best documented first).
// param: limit (int = 20) at most this many industries
// param: sample (int = 10) supporters named per industry; supporter_count counts all of them
// example: policygraph query top-industries --param limit=10
//
// The counts are kept on the industries after every write (graph/counts.py): counting
// the edges here took 75 ms on 100,000 articles, whose industries have 580,000
// supporters. Names are read only for the industries listed, and only `sample` of them.
MATCH (i:Industry)
WHERE i.supporter_count > 0 OR i.plan_count > 0
WITH i
ORDER BY i.supporter_count DESC, i.plan_count DESC, i.name
LIMIT $limit
OPTIONAL MATCH (s:Entity)-[:SUPPORTS]->(i)
WITH i, collect(s)[0..$sample] AS sampled
RETURN i.name AS industry, i.supporter_count AS supporter_count, i.plan_count AS plan_count,
       [s IN sampled | s.name] AS supporters
ORDER BY supporter_count DESC, plan_count DESC, industry
