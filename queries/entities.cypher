// name: entities
// answers: Entities whose name or an alias contains a text (any case), optionally of
//   one type: a way to find the exact name to pass to the other queries.
// param: contains (text = "") part of a name or alias; every entity if empty
// param: type (text = null) only this entity type, e.g. Person, Industry, Plan
// param: limit (int = 100) at most this many entities
// example: policygraph query entities --param contains=smart --param type=Plan
MATCH (n:Entity)
WHERE ($type IS NULL OR toLower(n.type) = toLower($type))
  AND (toLower(n.name) CONTAINS toLower($contains)
       OR any(x IN coalesce(n.aliases, []) WHERE toLower(x) CONTAINS toLower($contains)))
RETURN n.id AS id, n.name AS name, n.type AS type, n.aliases AS aliases, n.roles AS roles
ORDER BY type, name
LIMIT $limit
