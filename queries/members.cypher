// name: members
// answers: The members of an alliance, organisation or province (every BELONGS_TO edge
//   into it), with who leads each member.
// param: group (entity) the alliance, organisation, province or plan, by any name or alias
// example: policygraph query members --param group="Future Smart Belt Alliance"
MATCH (m:Entity)-[r:BELONGS_TO]->(g:Entity {id: $group})
OPTIONAL MATCH (leader:Person)-[:LEADS]->(m)
WITH m, r, collect(leader.name) AS leaders
RETURN m.name AS member, m.type AS type, leaders, r.doc_ids AS documents, r.evidence AS evidence
ORDER BY type, member
