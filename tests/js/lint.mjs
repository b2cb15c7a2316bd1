// Neo4j's own Cypher parser and semantic checker over a batch of queries.
//
// stdin:  {"schema": DbSchema, "queries": [{"name", "query", "parameters"?}]}
//         or just the array of queries (then no labels, types or properties are known).
// stdout: [{"name", "diagnostics": [{"severity", "message", "line", "column", "offset"}], "ignored": [message]}]
//
// `parameters` lists the $names the caller supplies with the query: any other
// $name is an error. Functions and procedures are checked against the built-in
// registry of a real Neo4j that the package ships with its test data (Cypher 5
// dialect); plugin namespaces (APOC, GDS) are left out, so using them is an error.
//
// One known false positive is dropped (and listed under "ignored"): a property
// read inside another node's pattern map, as `r.head` in `MATCH (a:Entity {id: r.head})`,
// is checked as a property of that node (a) even when its own variable (r) is a
// map, e.g. a row of UNWIND $rows. It is dropped only when the variable before
// the dot is, per the linter's own symbol table, not a node or relationship.
import { readFileSync } from 'node:fs';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const PLUGIN_NAMESPACES = ['apoc', 'gds', 'genai'];
const REGISTRY = './node_modules/@neo4j-cypher/language-support/dist/esm/project/language-support/src/tests/testData.js';

async function builtIns() {
  const { testData } = await import(new URL(REGISTRY, import.meta.url));
  const functions = {};
  const procedures = {};
  for (const [version, registry] of Object.entries(testData.mockSchema.functions)) {
    functions[version] = Object.fromEntries(Object.entries(registry).filter(([, fn]) => fn.isBuiltIn));
  }
  for (const [version, registry] of Object.entries(testData.mockSchema.procedures)) {
    procedures[version] = Object.fromEntries(
      Object.entries(registry).filter(([name]) => !PLUGIN_NAMESPACES.includes(name.split('.')[0])));
  }
  return { functions, procedures };
}

const input = JSON.parse(readFileSync(0, 'utf8'));
const queries = Array.isArray(input) ? input : input.queries;
const schema = { ...(Array.isArray(input) ? {} : input.schema), ...(await builtIns()), defaultLanguage: 'CYPHER 5' };

const PROPERTY_MISSING = " is not present in the database. Make sure you didn't misspell it";

function mapPropertyFalsePositive(d, query, symbolTables) {
  if (!d.message.includes(PROPERTY_MISSING) || !d.offsets) return false;
  const owner = /([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*$/.exec(query.slice(0, d.offsets.start));
  if (!owner) return false;
  const symbol = symbolTables.flat().find((s) => s.variable === owner[1]);
  return Boolean(symbol) && !symbol.types.every((t) => t === 'Node' || t === 'Relationship');
}

const out = queries.map(({ name, query, parameters }) => {
  const { diagnostics, symbolTables } = lintCypherQuery(query, { ...schema, parameters: parameters ?? {} });
  const ignored = diagnostics.filter((d) => mapPropertyFalsePositive(d, query, symbolTables));
  const kept = diagnostics.filter((d) => !ignored.includes(d));
  return {
    name,
    ignored: ignored.map((d) => d.message),
    diagnostics: kept.map((d) => ({
      severity: SEVERITY[d.severity] ?? String(d.severity),
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      offset: d.offsets?.start ?? null,
    })),
  };
});
process.stdout.write(JSON.stringify(out) + '\n');
