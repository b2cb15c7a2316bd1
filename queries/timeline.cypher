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
// of the actor (which took minutes for a hub).
MATCH (d:Document)-[:MENTIONS]->(a:Entity {id: $actor})
WITH a, d, d.date IS NULL OR d.date = '' OR d.date STARTS WITH '--' AS undated
WHERE $since = '' OR undated OR d.date >= $since
WITH a, d, undated
ORDER BY undated, d.date, d.doc_id
LIMIT $limit
OPTIONAL MATCH (d)-[:MENTIONS]->(o:Entity)-[r]-(a)
WHERE o <> a AND d.doc_id IN r.doc_ids
WITH a, d, undated, r, o
ORDER BY type(r), o.name
WITH d, undated, collect(CASE WHEN startNode(r) = a THEN type(r) + ' -> ' + o.name
                              ELSE type(r) + ' <- ' + o.name END) AS statements
RETURN d.date AS date, d.doc_id AS document, d.title AS title, statements
ORDER BY undated, date, document
