// End-to-end client on the official MCP TypeScript SDK. Connects to a running Proxmox MCP Server in demo mode,
// exercises both system tools, the overview resource and the health-check prompt, and checks every answer.
// Usage: MCP_URL=http://127.0.0.1:8000/mcp MCP_TOKEN=... node sdk-client.mjs   (exit 0 = all checks passed)
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

const url = new URL(process.env.MCP_URL ?? 'http://127.0.0.1:8000/mcp');
const results = [];
let failed = 0;
async function check(name, fn) {
  try {
    const detail = await fn();
    results.push({ check: name, ok: true, ...(detail === undefined ? {} : { detail }) });
  } catch (e) {
    failed++;
    results.push({ check: name, ok: false, error: String(e?.stack ?? e) });
  }
}
const text = (r) => r.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');

const client = new Client({ name: 'proxmox-mcp-e2e', version: '1.0.0' }, { capabilities: {} });
const logs = [];
client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logs.push(n.params));
const transport = new StreamableHTTPClientTransport(url, {
  requestInit: { headers: process.env.MCP_TOKEN ? { Authorization: `Bearer ${process.env.MCP_TOKEN}` } : {} },
});

await check('connect', async () => {
  await client.connect(transport);
  assert.equal(client.getServerVersion().name, 'proxmox-mcp');
  assert.ok(transport.sessionId, 'the server assigns a session id');
  return { protocol: transport.protocolVersion, session: transport.sessionId };
});

await check('tools/list has both system tools with hints and schemas', async () => {
  const { tools } = await client.listTools();
  const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
  for (const name of ['proxmox_system_version', 'proxmox_test_connection']) {
    const t = byName[name];
    assert.ok(t, `${name} is listed`);
    assert.equal(t.annotations?.readOnlyHint, true, `${name} is read-only`);
    assert.equal(t.inputSchema.type, 'object');
    assert.equal(t.outputSchema?.type, 'object', `${name} has an output schema`);
    assert.ok(t.description.length > 40, `${name} has a description`);
  }
  return tools.map((t) => t.name);
});

await check('proxmox_system_version returns the simulated version', async () => {
  const r = await client.callTool({ name: 'proxmox_system_version', arguments: {} });
  assert.notEqual(r.isError, true, text(r));
  assert.equal(r.structuredContent.version, '9.1.1');
  assert.equal(r.structuredContent.release, '9.1');
  assert.match(text(r), /Proxmox VE 9\.1\.1/);
  return r.structuredContent;
});

await check('proxmox_system_version asks one node', async () => {
  const r = await client.callTool({ name: 'proxmox_system_version', arguments: { node: 'pve2' } });
  assert.notEqual(r.isError, true, text(r));
  assert.equal(r.structuredContent.node, 'pve2');
});

await check('proxmox_test_connection reports a healthy connection with progress', async () => {
  const progress = [];
  const r = await client.callTool({ name: 'proxmox_test_connection', arguments: {} }, undefined, {
    onprogress: (p) => progress.push(p),
  });
  assert.notEqual(r.isError, true, text(r));
  const s = r.structuredContent;
  assert.equal(s.ok, true, text(r));
  assert.equal(s.authMethod, 'token');
  assert.equal(s.principal, 'root@pam!mcp');
  assert.equal(s.tls, 'ca-file', 'demo mode verifies TLS against the simulator CA');
  assert.equal(s.pveCluster.name, 'demo');
  assert.equal(s.pveCluster.nodes, 3);
  assert.equal(s.pveCluster.nodesOnline, 3);
  assert.ok(s.latencyMs >= 0);
  assert.ok(s.privileges.includes('VM.PowerMgmt'));
  assert.ok(progress.length >= 3, `progress notifications arrive (got ${progress.length})`);
  return { latencyMs: s.latencyMs, progress: progress.length };
});

await check('invalid arguments are a tool error that says what to fix', async () => {
  const r = await client.callTool({ name: 'proxmox_system_version', arguments: { node: 'not a node!' } });
  assert.equal(r.isError, true);
  assert.match(text(r), /Invalid arguments for proxmox_system_version/);
  const extra = await client.callTool({ name: 'proxmox_system_version', arguments: { colour: 'red' } });
  assert.equal(extra.isError, true);
  assert.match(text(extra), /colour/);
  return [text(r), text(extra)];
});

await check('an unknown node is a tool error from Proxmox', async () => {
  const r = await client.callTool({ name: 'proxmox_system_version', arguments: { node: 'pve9' } });
  assert.equal(r.isError, true);
  assert.match(text(r), /not part of the cluster/);
  return text(r);
});

await check('unknown tools are refused', async () => {
  await assert.rejects(client.callTool({ name: 'proxmox_no_such_tool', arguments: {} }), /Unknown tool/);
});

await check('the cluster overview resource', async () => {
  const { resources } = await client.listResources();
  assert.ok(resources.some((r) => r.uri === 'proxmox://cluster/overview'));
  const r = await client.readResource({ uri: 'proxmox://cluster/overview' });
  const overview = JSON.parse(r.contents[0].text);
  assert.equal(overview.cluster.name, 'demo');
  assert.equal(overview.cluster.quorate, true);
  assert.equal(overview.nodes.length, 3);
  assert.ok(overview.guests.qemu.running >= 1);
  return overview.cluster;
});

await check('the health-check prompt', async () => {
  const { prompts } = await client.listPrompts();
  assert.ok(prompts.some((p) => p.name === 'proxmox_cluster_health_check'));
  const p = await client.getPrompt({ name: 'proxmox_cluster_health_check', arguments: { focus: 'pve2' } });
  assert.match(p.messages[0].content.text, /proxmox_test_connection/);
  assert.match(p.messages[0].content.text, /pve2/);
});

await check('logging/setLevel is accepted', async () => {
  await client.setLoggingLevel('debug');
});

await check('close the session', async () => {
  await transport.terminateSession();
  await client.close();
});

console.log(JSON.stringify({ url: url.href, failed, results }, null, 2));
process.exit(failed ? 1 : 0);
