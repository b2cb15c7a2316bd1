// name: entities
// answers: Entities whose name or an alias contains a text, in any case and with or
//   without spaces, hyphens and dots ("jae myung" finds "Lee Jae-myung"), optionally of
//   one type: a way to find the exact name to pass to the other queries.
// param: contains (text = "") part of a name or alias; every entity if empty
// param: type (text = null) only this entity type, e.g. Person, Industry, Plan
// param: limit (int = 100) at most this many entities
// example: policygraph query entities --param contains=smart --param type=Plan
//
// The text is folded once, as the names are in each entity's `keys` (the separators
// below are graph/statements.py's KEY_SEPARATORS), so each entity costs one list scan
// and no case folding: on 100,000 articles' 55,000 entities, 55 ms became 24 (15 with
// no text). policygraph runs this statement one type at a time, matching only that
// type's label, and stops once it has `limit` rows (queries/entities.py): the first page
// then reads one type's entities, not all of them. The rows are the same.
WITH reduce(s = toLower($contains),
            c IN [' ', '-', '.', ',', "'", '’', '‘', '"', '“', '”', '(', ')', '/', '&', ':', '_', '·'] |
            replace(s, c, '')) AS folded,
     toLower($type) AS wanted
MATCH (n:Entity)
WHERE (wanted IS NULL OR toLower(n.type) = wanted)
  AND (folded = '' OR any(k IN coalesce(n.keys, []) WHERE k CONTAINS folded))
WITH n, n.type AS type, n.name AS name
ORDER BY type, name
LIMIT $limit
RETURN n.id AS id, name, type, n.aliases AS aliases, n.roles AS roles
