// MCP sessions through a load balancer in front of replicas, as the official TypeScript SDK client sees them.
// Phase 1: SESSIONS clients connect through the balancer (new sessions spread over the replicas) and each makes
// ROUNDS rounds of tools/list and a tool call in its session: every request must reach the replica that owns the
// session. Then the script prints READY and waits for a line on standard input (the test kills a replica).
// Phase 2: every client calls again; a client whose replica went away gets HTTP 404 for its session and, as the
// spec asks, starts a new session (a new initialize), which the balancer sends to a replica that runs.
// Usage: MCP_URL=... MCP_TOKEN=... node replicas-client.mjs   (prints one JSON line of counts; exit 0 when all held)
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const url = new URL(process.env.MCP_URL);
const sessions = Number(process.env.SESSIONS ?? 6);
const rounds = Number(process.env.ROUNDS ?? 3);
const headers = { Authorization: `Bearer ${process.env.MCP_TOKEN}` };
const counts = { sessions: 0, requestsOk: 0, requestsFailed: 0, afterKill: { sameSession: 0, got404: 0,
  newSession: 0, failed: 0 }, errors: [] };

async function connect() {
  const client = new Client({ name: 'replicas-client', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
  await client.connect(transport);
  return { client, transport };
}

async function work(c) {
  const tools = await c.client.listTools();
  if (!tools.tools.some((t) => t.name === 'proxmox_cluster_nodes')) throw new Error('no proxmox_cluster_nodes');
  const r = await c.client.callTool({ name: 'proxmox_cluster_nodes', arguments: {} });
  if (r.isError) throw new Error(`the call failed: ${JSON.stringify(r.content)}`);
}

const is404 = (e) => e?.code === 404 || /\b404\b/.test(String(e?.message ?? e));

const clients = [];
for (let i = 0; i < sessions; i++) {
  const c = await connect();
  clients.push(c);
  counts.sessions++;
}
for (let r = 0; r < rounds; r++) {
  for (const c of clients) {
    try {
      await work(c);
      counts.requestsOk++;
    } catch (e) {
      counts.requestsFailed++;
      counts.errors.push(String(e?.message ?? e));
    }
  }
}
console.log('READY');
const stdin = createInterface({ input: process.stdin });
await new Promise((resolve) => stdin.once('line', resolve));
stdin.close();

for (const c of clients) {
  try {
    await work(c);
    counts.afterKill.sameSession++;
  } catch (e) {
    if (!is404(e)) {
      counts.afterKill.failed++;
      counts.errors.push(`after the kill: ${String(e?.message ?? e)}`);
      continue;
    }
    counts.afterKill.got404++;
    try {
      await c.client.close().catch(() => {});
      const fresh = await connect();
      await work(fresh);
      counts.afterKill.newSession++;
      await fresh.client.close();
    } catch (e2) {
      counts.afterKill.failed++;
      counts.errors.push(`new session: ${String(e2?.message ?? e2)}`);
    }
  }
}
for (const c of clients) await c.client.close().catch(() => {});
console.log(JSON.stringify(counts));
process.exit(counts.requestsFailed === 0 && counts.afterKill.failed === 0 ? 0 : 1);
