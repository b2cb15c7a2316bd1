// name: co-supporters
// answers: Who else supports the industries an actor supports, most shared industries
//   first, with how many they share and some of those industries. An actor is
//   needed: listing every pair in the graph grows with the square of a big industry's
//   supporters; for who clusters with whom across the whole graph, run `policygraph
//   analyze communities`.
// param: actor (entity) the actor, by any name or alias; for the whole graph run policygraph analyze communities
// param: min_shared (int = 1) only co-supporters that share at least this many industries
// param: limit (int = 20) at most this many co-supporters
// param: sample (int = 10) shared industries named per co-supporter; `shared` counts all of them
// example: policygraph query co-supporters --param actor="Gyeonggi Province"
//
// The shared industries are counted first (a ministry shares with thousands of actors)
// and named only for the rows kept; the work grows with the supporters of the actor's
// industries, never with pairs of them.
MATCH (:Entity {id: $actor})-[:SUPPORTS]->(i:Industry)<-[:SUPPORTS]-(b)
WITH b, count(i) AS shared
WHERE shared >= $min_shared AND b.id <> $actor
WITH b, shared
ORDER BY shared DESC, b.name
LIMIT $limit
MATCH (a:Entity {id: $actor})
RETURN a.name AS actor, b.name AS co_supporter, b.type AS co_supporter_type, shared,
       [(a)-[:SUPPORTS]->(i:Industry)<-[:SUPPORTS]-(b) | i.name][0..$sample] AS industries
ORDER BY shared DESC, co_supporter
