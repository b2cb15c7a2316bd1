// name: leaders
// answers: Who leads what: governors, mayors, ministers and other heads, the office they
//   lead, the roles the documents give them, and the first and last dates of the
//   documents that state it (pages without a year are left out of the dates).
// param: role (text = null) only people with this role, e.g. Governor, Mayor, Minister
// param: office_type (text = null) only offices of this type, e.g. City, Province, Ministry
// example: policygraph query leaders --param role=Mayor
MATCH (p:Person)-[r:LEADS]->(o:Entity)
WHERE ($role IS NULL OR any(x IN coalesce(p.roles, []) WHERE toLower(x) = toLower($role)))
  AND ($office_type IS NULL OR toLower(o.type) = toLower($office_type))
UNWIND r.doc_ids AS doc_id
OPTIONAL MATCH (d:Document {doc_id: doc_id})
WITH p, r, o, doc_id,
     CASE WHEN d.date IS NULL OR d.date = '' OR d.date STARTS WITH '--' THEN null ELSE d.date END AS date,
     [h IN coalesce(p.role_history, []) WHERE split(h, '|')[2] = doc_id | split(h, '|')[0]] AS stated
WITH p, o, collect(stated) AS stated, min(date) AS first_date, max(date) AS last_date,
     collect(doc_id) AS documents
RETURN p.name AS leader, o.name AS office, o.type AS office_type,
       reduce(acc = [], x IN stated | acc + [y IN x WHERE NOT y IN acc]) AS roles,
       first_date, last_date, documents
ORDER BY office_type, office, leader
