// name: actor
// answers: Everything known about an actor: its type, aliases and roles, and the
//   relations it takes part in (both directions), best documented first, each with
//   how many documents and evidence sentences state it, the first of those documents
//   with their dates, and the first sentences.
// param: actor (entity) the actor, by its name, any alias or its id
// param: sample (int = 5) documents and sentences shown per relation; the counts give all of them
// param: limit (int = 100) at most this many relations, the best documented
// example: policygraph query actor --param actor="Lee Jaemyung" --param sample=20
//
// A hub has thousands of relations, some stated by thousands of documents: each row
// carries counts and a sample, and only the sampled documents are looked up, by the
// doc_id index. `query evidence` lists every sentence behind one relation.
MATCH (a:Entity {id: $actor})
OPTIONAL MATCH (a)-[r]-(o:Entity)
WITH a, r, o, size(coalesce(r.doc_ids, [])) AS document_count
ORDER BY document_count DESC, type(r), o.name
LIMIT $limit
WITH a, r, o, document_count, coalesce(r.doc_ids, [])[0..$sample] AS shown
UNWIND CASE WHEN size(shown) = 0 THEN [null] ELSE shown END AS doc_id
OPTIONAL MATCH (d:Document {doc_id: doc_id})
WITH a, r, o, document_count, doc_id, d
ORDER BY doc_id
WITH a, r, o, document_count, collect(doc_id + ' (' + coalesce(d.date, '') + ')') AS documents
RETURN a.name AS actor, a.type AS type, a.aliases AS aliases, a.roles AS roles,
       CASE WHEN r IS NULL THEN null WHEN startNode(r) = a THEN 'out' ELSE 'in' END AS direction,
       type(r) AS relation, o.name AS other, o.type AS other_type,
       document_count, documents, size(coalesce(r.evidence, [])) AS evidence_count,
       coalesce(r.evidence, [])[0..$sample] AS evidence
ORDER BY document_count DESC, relation, direction, other
