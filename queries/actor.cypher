// name: actor
// answers: Everything known about an actor: its type, aliases and roles, and every
//   relation it takes part in (both directions), each with the documents that state
//   it and the evidence sentences.
// param: actor (entity) the actor, by its name, any alias or its id
// example: policygraph query actor --param actor="Lee Jaemyung"
MATCH (a:Entity {id: $actor})
OPTIONAL MATCH (a)-[r]-(o:Entity)
OPTIONAL MATCH (d:Document)
WHERE d.doc_id IN r.doc_ids
WITH a, r, o, d
ORDER BY d.doc_id
WITH a, r, o, collect(d.doc_id + ' (' + coalesce(d.date, '') + ')') AS documents
RETURN a.name AS actor, a.type AS type, a.aliases AS aliases, a.roles AS roles,
       CASE WHEN r IS NULL THEN null WHEN startNode(r) = a THEN 'out' ELSE 'in' END AS direction,
       type(r) AS relation, o.name AS other, o.type AS other_type,
       documents, r.evidence AS evidence
ORDER BY relation, direction, other
