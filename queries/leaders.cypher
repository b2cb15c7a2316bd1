// name: leaders
// answers: Who leads what: governors, mayors, ministers and other heads, the office they
//   lead, the roles the documents give the person (in any office), and how many
//   documents state it, with the first of those documents and their dates; best
//   documented first.
// param: role (text = null) only people with this role, e.g. Governor, Mayor, Minister
// param: office_type (text = null) only offices of this type, e.g. City, Province, Ministry
// param: sample (int = 3) documents shown per row, with their dates; document_count gives all of them
// param: limit (int = 100) at most this many rows
// example: policygraph query leaders --param role=Mayor
//
// A governor's LEADS edge is stated by thousands of documents on a big graph: rows rank
// by the edge's doc_count (kept with its doc_ids, graph/counts.py) and only the sampled
// documents are looked up. `query evidence --param head=... --param tail=...` gives
// every sentence with its document's date.
//
// Ranking all 40,000 LEADS edges of a 100,000-article graph reads each edge's doc_count
// (40 ms on FalkorDB). Each person keeps lead_doc_count, the best of its edges'
// (graph/counts.py): the `limit` best people set a floor no row of the answer is below,
// and only the edges of people at or above it are ranked. An office type may rule out a
// person's best edge, so with one the floor is 0 and every edge is ranked.
MATCH (p:Person)
WHERE p.lead_doc_count IS NOT NULL
  AND ($role IS NULL OR any(x IN coalesce(p.roles, []) WHERE toLower(x) = toLower($role)))
WITH p
ORDER BY p.lead_doc_count DESC
LIMIT $limit
WITH CASE WHEN $office_type IS NULL THEN min(p.lead_doc_count) ELSE 0 END AS floor
MATCH (p:Person)-[r:LEADS]->(o)
WHERE p.lead_doc_count >= floor
  AND ($role IS NULL OR any(x IN coalesce(p.roles, []) WHERE toLower(x) = toLower($role)))
  AND ($office_type IS NULL OR toLower(o.type) = toLower($office_type))
WITH p, r, o
ORDER BY r.doc_count DESC, o.type, o.name, p.name
LIMIT $limit
WITH p, o, r.doc_count AS document_count, coalesce(r.doc_ids, [])[0..$sample] AS shown
UNWIND CASE WHEN size(shown) = 0 THEN [null] ELSE shown END AS doc_id
OPTIONAL MATCH (d:Document {doc_id: doc_id})
WITH p, o, document_count, doc_id, d
ORDER BY doc_id
WITH p, o, document_count, collect(doc_id + ' (' + coalesce(d.date, '') + ')') AS documents
RETURN p.name AS leader, o.name AS office, o.type AS office_type, coalesce(p.roles, []) AS roles,
       document_count, documents
ORDER BY document_count DESC, office_type, office, leader
