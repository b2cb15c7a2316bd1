// name: timeline
// answers: An actor's timeline: the documents that mention it in date order (pages
//   without a full date last), and what each document says about it.
// param: actor (entity) the actor, by any name or alias
// param: since (text = "") only documents dated on or after this day (YYYY-MM-DD), and undated ones
// param: limit (int = 100) at most this many documents, the earliest first
// example: policygraph query timeline --param actor="Lee Jae-myung" --param since=2022-01-01
//
// A province is mentioned by most of a big corpus (84,000 of 100,000 articles): the
// documents are ordered and cut first, and each kept document's statements are found
// through the entities it mentions, never by testing every document against every edge
// of the actor (which took minutes for a hub). Each direction is matched on its own: an
// undirected pattern between a mentioned entity and a hub walked all of the hub's edges
// for every document (200 ms for a province on 100,000 articles, 25-50 ms this way).
MATCH (d:Document)-[:MENTIONS]->(a:Entity {id: $actor})
WITH a, d, d.date IS NULL OR d.date = '' OR d.date STARTS WITH '--' AS undated
WHERE $since = '' OR undated OR d.date >= $since
WITH a, d, undated
ORDER BY undated, d.date, d.doc_id
LIMIT $limit
OPTIONAL MATCH (d)-[:MENTIONS]->(o:Entity)
WHERE o <> a
OPTIONAL MATCH (o)-[r]->(a)
WHERE d.doc_id IN r.doc_ids
WITH a, d, undated, o, o.name AS name, collect(r) AS into
OPTIONAL MATCH (a)-[r]->(o)
WHERE d.doc_id IN r.doc_ids
WITH d, undated, name, into, collect(r) AS out
// [type, name, text] per statement: sorted by type and name as rows, then collected
WITH d, undated, [x IN into | [type(x), name, type(x) + ' <- ' + name]] +
                 [x IN out | [type(x), name, type(x) + ' -> ' + name]] AS found
WITH d, undated, collect(found) AS found
WITH d, undated, reduce(acc = [], x IN found | acc + x) AS found
UNWIND CASE WHEN size(found) = 0 THEN [null] ELSE found END AS s
WITH d, undated, s
ORDER BY s[0], s[1], s[2]
WITH d, undated, collect(s[2]) AS statements
RETURN d.date AS date, d.doc_id AS document, d.title AS title, statements
ORDER BY undated, date, document
