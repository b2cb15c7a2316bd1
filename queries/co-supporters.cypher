// name: co-supporters
// answers: Actors that support the same industries: for one actor, who else supports
//   industries it supports; without an actor, every such pair. Most shared first.
// param: actor (entity = null) only pairs with this actor, by any name or alias
// param: min_shared (int = 1) only pairs that share at least this many industries
// example: policygraph query co-supporters --param actor="Gyeonggi Province"
MATCH (a:Entity)-[:SUPPORTS]->(i:Industry)<-[:SUPPORTS]-(b:Entity)
WHERE a <> b AND ($actor IS NULL AND a.id < b.id OR a.id = $actor)
WITH a, b, collect(DISTINCT i.name) AS industries
WHERE size(industries) >= $min_shared
RETURN a.name AS actor, b.name AS co_supporter, b.type AS co_supporter_type,
       size(industries) AS shared, industries
ORDER BY shared DESC, actor, co_supporter
