// name: evidence
// answers: The evidence behind one edge: each sentence that states it, with its
//   document, the document's date and the provenance (rule, confidence, offsets).
//   An edge keeps the sentences of its first documents (50 at most, in document order);
//   documents_stating counts every document that states it (documents-mentioning lists them).
// param: head (entity) the head of the edge, by any name or alias
// param: tail (entity) the tail of the edge, by any name or alias
// param: type (text = null) the relation type (SUPPORTS, TARGETS, BELONGS_TO, LEADS); all if omitted
// example: policygraph query evidence --param head="Lee Jae-myung" --param tail="Gyeonggi Province"
MATCH (a:Entity {id: $head})-[r]->(b:Entity {id: $tail})
WHERE $type IS NULL OR type(r) = toUpper($type)
UNWIND range(0, size(coalesce(r.evidence, [])) - 1) AS i
OPTIONAL MATCH (d:Document {doc_id: r.evidence_doc_ids[i]})
RETURN a.name AS head, type(r) AS relation, b.name AS tail, r.evidence_doc_ids[i] AS document,
       d.date AS date, r.evidence[i] AS sentence, r.provenance[i] AS provenance,
       size(r.doc_ids) AS documents_stating
ORDER BY relation, document, i
