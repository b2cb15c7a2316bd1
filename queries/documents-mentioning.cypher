// name: documents-mentioning
// answers: The documents that mention an entity, newest first, with how often and in
//   which spellings.
// param: entity (entity) the entity, by any name or alias
// example: policygraph query documents-mentioning --param entity=MOTIE
MATCH (d:Document)-[m:MENTIONS]->(n:Entity {id: $entity})
RETURN d.doc_id AS document, d.title AS title, d.date AS date, d.source AS source,
       m.count AS mentions, m.surfaces AS surfaces
ORDER BY date DESC, document
