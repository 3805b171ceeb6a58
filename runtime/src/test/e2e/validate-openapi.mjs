// Fetches the server's OpenAPI document and checks it with an independent validator (npm
// @seriousme/openapi-schema-validator: the official OpenAPI JSON schemas), then resolves every internal $ref.
// Prints one JSON line; exits 0 when valid. Usage: MCP_BASE=http://127.0.0.1:8000 MCP_TOKEN=... node validate-openapi.mjs
import { Validator } from '@seriousme/openapi-schema-validator';

const res = await fetch(`${process.env.MCP_BASE}/api/v1/openapi.json`, {
  headers: { Authorization: `Bearer ${process.env.MCP_TOKEN}` },
});
const doc = await res.json();
const validator = new Validator();
const result = await validator.validate(doc);
let resolved = false;
let problem = null;
if (result.valid) {
  try {
    validator.resolveRefs();
    resolved = true;
  } catch (e) {
    problem = String(e);
  }
}
const operations = Object.values(doc.paths ?? {}).flatMap((p) => Object.values(p)).map((o) => o.operationId);
console.log(JSON.stringify({ status: res.status, valid: result.valid, version: validator.version, resolved, problem,
  operations, errors: result.errors ?? null }));
process.exit(result.valid && resolved ? 0 : 1);
