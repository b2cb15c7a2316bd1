// name: supporters
// answers: Who supports an industry (or a plan, or an organisation): every actor with a
//   SUPPORTS edge to it, with the documents and evidence sentences.
// param: target (entity) the industry, plan or organisation, by any name or alias
// example: policygraph query supporters --param target=semiconductors
MATCH (s:Entity)-[r:SUPPORTS]->(t:Entity {id: $target})
RETURN s.name AS supporter, s.type AS type, s.roles AS roles, r.doc_ids AS documents,
       r.evidence AS evidence
ORDER BY size(r.doc_ids) DESC, supporter
