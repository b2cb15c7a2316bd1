// name: paths
// answers: How two actors are connected: every shortest chain of SUPPORTS, TARGETS,
//   BELONGS_TO and LEADS edges between them (either direction, at most 6 steps),
//   written out with the direction of each edge.
// param: from (entity) one actor, by any name or alias
// param: to (entity) the other actor, by any name or alias
// param: limit (int = 100) at most this many paths
// example: policygraph query paths --param from="Kim Bo-ra" --param to=semiconductors
//
// policygraph itself gives these rows by a bidirectional search, one step per
// statement (queries/paths.py): FalkorDB's undirected allShortestPaths takes minutes
// between distant actors on a big graph. Pasted into Neo4j, this text gives the same rows.
MATCH (a:Entity {id: $from})
MATCH (b:Entity {id: $to})
WITH a, b
MATCH p = allShortestPaths((a)-[:SUPPORTS|TARGETS|BELONGS_TO|LEADS*..6]-(b))
WITH p, nodes(p) AS ns, relationships(p) AS rs
RETURN length(p) AS hops,
       reduce(s = ns[0].name, i IN range(0, size(rs) - 1) |
              s + CASE WHEN startNode(rs[i]) = ns[i] THEN ' -' + type(rs[i]) + '-> '
                       ELSE ' <-' + type(rs[i]) + '- ' END + ns[i + 1].name) AS path,
       [n IN ns | n.id] AS ids
ORDER BY path
LIMIT $limit
