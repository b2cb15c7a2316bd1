// name: timeline
// answers: An actor's timeline: the documents that mention it in date order (pages
//   without a full date last), and what each document says about it.
// param: actor (entity) the actor, by any name or alias
// example: policygraph query timeline --param actor="Lee Jae-myung"
MATCH (d:Document)-[:MENTIONS]->(a:Entity {id: $actor})
OPTIONAL MATCH (a)-[r]-(o:Entity)
WHERE d.doc_id IN r.doc_ids
WITH d, a, r, o
ORDER BY type(r), o.name
WITH d, collect(CASE WHEN startNode(r) = a THEN type(r) + ' -> ' + o.name
                     ELSE type(r) + ' <- ' + o.name END) AS statements
RETURN d.date AS date, d.doc_id AS document, d.title AS title, statements
ORDER BY CASE WHEN d.date IS NULL OR d.date = '' OR d.date STARTS WITH '--' THEN 1 ELSE 0 END,
         date, document
