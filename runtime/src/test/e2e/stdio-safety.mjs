// Destroy-class calls over stdio, as desktop clients launch the server (the official TypeScript SDK's stdio client):
// a client whose user says yes when asked deletes a VM; one that cannot ask is refused, because stdio runs no admin
// console where a person could approve the call. Prints one JSON line per step; exits 0 when every step held.
// Usage: SERVER=bin/proxmox-mcp node stdio-safety.mjs stdio --demo
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

let failed = 0;
async function step(name, fn) {
  try {
    const detail = await fn();
    console.log(JSON.stringify({ step: name, ok: true, ...(detail === undefined ? {} : { detail }) }));
  } catch (e) {
    failed++;
    console.log(JSON.stringify({ step: name, ok: false, error: String(e?.stack ?? e) }));
  }
}
const text = (r) => r.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');
async function launch(asks) {
  const client = new Client({ name: asks ? 'stdio-asks' : 'stdio-cannot-ask', version: '1.0.0' },
    { capabilities: asks ? { elicitation: {} } : {} });
  const asked = [];
  if (asks) {
    client.setRequestHandler(ElicitRequestSchema, async (r) => {
      asked.push(r.params.message);
      return { action: 'accept', content: { confirm: true } };
    });
  }
  await client.connect(new StdioClientTransport({ command: process.env.SERVER, args: process.argv.slice(2),
    env: { ...process.env }, stderr: 'inherit' }));
  return { client, asked };
}

const cannot = await launch(false);
await step('over stdio, a client that cannot ask is refused and nothing happens', async () => {
  const r = await cannot.client.callTool({ name: 'proxmox_vm_delete', arguments: { vmid: 102 } });
  assert.ok(r.isError);
  assert.match(text(r), /no admin console runs on this server/);
  const info = await cannot.client.callTool({ name: 'proxmox_vm_get_info', arguments: { vmid: 102 } });
  assert.ok(!info.isError, 'VM 102 is still there');
});
await cannot.client.close();

const asks = await launch(true);
await step('over stdio, a client that asks its user deletes the VM after a yes', async () => {
  const r = await asks.client.callTool({ name: 'proxmox_vm_delete', arguments: { vmid: 102 } });
  assert.ok(!r.isError, text(r));
  assert.equal(r.structuredContent.deleted, true);
  assert.equal(asks.asked.length, 1);
  assert.match(asks.asked[0], /Delete VM 102/);
});
await asks.client.close();
process.exit(failed === 0 ? 0 : 1);
