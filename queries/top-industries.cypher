// name: top-industries
// answers: Industries ranked by how many actors support them, with the number of plans
//   that target each and some of its supporters (`query supporters` lists them all,
//   best documented first).
// param: limit (int = 20) at most this many industries
// param: sample (int = 10) supporters named per industry; supporter_count counts all of them
// example: policygraph query top-industries --param limit=10
//
// One pass counts the supporters of every industry. Plans are counted only for the
// industries that can still make the list (all those tied with the last place kept),
// and names read only for the industries listed: a big industry has thousands of
// supporters.
MATCH (i:Industry)
OPTIONAL MATCH (s:Entity)-[:SUPPORTS]->(i)
WITH i, count(s) AS supporter_count
ORDER BY supporter_count DESC
WITH collect(i) AS industries, collect(supporter_count) AS counts
UNWIND range(0, size(industries) - 1) AS k
WITH industries[k] AS i, counts[k] AS supporter_count,
     counts[CASE WHEN size(counts) < $limit THEN size(counts) - 1 ELSE $limit - 1 END] AS last_place
WHERE supporter_count >= last_place
OPTIONAL MATCH (p:Plan)-[:TARGETS]->(i)
WITH i, supporter_count, count(p) AS plan_count
WHERE supporter_count > 0 OR plan_count > 0
WITH i, supporter_count, plan_count
ORDER BY supporter_count DESC, plan_count DESC, i.name
LIMIT $limit
RETURN i.name AS industry, supporter_count, plan_count,
       [(s:Entity)-[:SUPPORTS]->(i) | s.name][0..$sample] AS supporters
ORDER BY supporter_count DESC, plan_count DESC, industry
