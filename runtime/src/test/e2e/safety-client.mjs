// The safety gates as real users meet them, with the official MCP TypeScript SDK and Debian's Chromium: a client
// whose user says yes when asked (elicitation), one whose user says no, and one that cannot ask, whose calls a
// person approves or rejects in the admin console. Dry runs change nothing; protected and HA guests are refused.
// Prints one JSON line per step and exits 0 when every step held, 1 otherwise.
// Usage: BASE=http://127.0.0.1:8000 MCP_TOKEN=... CONSOLE_PASSWORD=... SHOTS=dir node safety-client.mjs
// Expects the demo cluster and a server started with MCP_PROTECTED_TAGS=legacy.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const base = process.env.BASE;
const shots = process.env.SHOTS ?? '.';
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

/** A client; answer(message) is what its user says when asked, or null for a client that cannot ask. */
async function connect(name, answer) {
  const client = new Client({ name, version: '1.0.0' }, { capabilities: answer ? { elicitation: {} } : {} });
  const asked = [];
  if (answer) {
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return answer(request.params);
    });
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${process.env.MCP_TOKEN}` } },
  }));
  return { client, asked };
}
const call = (c, name, args) => c.client.callTool({ name, arguments: args });
const state = async (c) => {
  const vms = (await call(c, 'proxmox_vm_list', { templates: 'include', limit: 200 })).structuredContent.vms;
  const cts = (await call(c, 'proxmox_ct_list', { limit: 200 })).structuredContent.containers;
  return JSON.stringify([...vms, ...cts].map((g) => [g.vmid, g.node, g.status, g.name ?? g.hostname, g.tags]));
};
const exists = async (c, vmid) => !(await call(c, 'proxmox_vm_get_info', { vmid })).isError;

const yes = await connect('says-yes', () => ({ action: 'accept', content: { confirm: true } }));
const no = await connect('says-no', () => ({ action: 'decline' }));
const cannot = await connect('cannot-ask', null);

await step('changing tools take dry_run, the ones that stop or delete allow_ha; reads take neither', async () => {
  const { tools } = await yes.client.listTools();
  const by = Object.fromEntries(tools.map((t) => [t.name, t]));
  assert.ok(by.proxmox_vm_delete.inputSchema.properties.dry_run);
  assert.ok(by.proxmox_vm_delete.inputSchema.properties.allow_ha);
  assert.ok(by.proxmox_vm_create.inputSchema.properties.dry_run);
  assert.equal(by.proxmox_vm_create.inputSchema.properties.allow_ha, undefined);
  assert.equal(by.proxmox_vm_list.inputSchema.properties.dry_run, undefined);
  assert.equal(by.proxmox_vm_delete.annotations.destructiveHint, true);
  assert.equal(by.proxmox_vm_start.annotations.destructiveHint, false);
  assert.ok(by.proxmox_approval_status, 'proxmox_approval_status is listed');
});

await step('dry runs answer with the plan and change nothing', async () => {
  const before = await state(yes);
  const plans = [];
  for (const [name, args] of [['proxmox_vm_delete', { vmid: 103 }], ['proxmox_vm_stop', { vmid: 104 }],
    ['proxmox_vm_start', { vmid: 102 }], ['proxmox_ct_delete', { vmid: 204 }], ['proxmox_ct_shutdown', { vmid: 200 }],
    ['proxmox_vm_create', { name: 'dry-web', cores: 2 }], ['proxmox_ct_create', { hostname: 'dry-ct',
      template: 'debian-13-standard', password: 'not shown anywhere' }]]) {
    const r = await call(yes, name, { ...args, dry_run: true });
    assert.ok(!r.isError, `${name}: ${text(r)}`);
    const plan = r.structuredContent.dry_run;
    assert.ok(plan.summary && plan.requests.length > 0, `${name} plans requests: ${JSON.stringify(plan)}`);
    assert.ok(!JSON.stringify(r).includes('not shown anywhere'), 'no password in a preview');
    plans.push({ tool: name, summary: plan.summary, confirm: plan.needs_confirmation });
  }
  assert.equal(yes.asked.length, 0, 'a dry run asks nobody');
  assert.equal(await state(yes), before, 'the cluster is as it was');
  assert.ok(plans.find((p) => p.tool === 'proxmox_vm_delete').confirm);
  assert.ok(!plans.find((p) => p.tool === 'proxmox_vm_start').confirm);
  return plans;
});

await step('a user who says yes: the VM is deleted after the question', async () => {
  const r = await call(yes, 'proxmox_vm_delete', { vmid: 102 });
  assert.ok(!r.isError, text(r));
  assert.equal(r.structuredContent.deleted, true);
  assert.equal(yes.asked.length, 1);
  assert.match(yes.asked[0], /Delete VM 102 \(build01\) on pve2/);
  assert.match(yes.asked[0], /cannot be undone/);
  assert.equal(await exists(yes, 102), false);
  return yes.asked[0];
});

await step('a user who says no: nothing happens and the result says so', async () => {
  const r = await call(no, 'proxmox_vm_delete', { vmid: 103 });
  assert.ok(r.isError);
  assert.match(text(r), /declined .* nothing was done/);
  assert.equal(no.asked.length, 1);
  assert.equal(await exists(no, 103), true);
});

await step('operator-protected and HA guests are refused before anyone is asked', async () => {
  const asked = yes.asked.length;
  const legacy = await call(yes, 'proxmox_vm_delete', { vmid: 106, stop_first: true });
  assert.ok(legacy.isError);
  assert.match(text(legacy), /protected by the operator .*tag legacy/);
  const ha = await call(yes, 'proxmox_vm_stop', { vmid: 108 });
  assert.ok(ha.isError);
  assert.match(text(ha), /managed by HA .*allow_ha: true/);
  assert.equal(yes.asked.length, asked, 'nobody was asked');
  assert.equal((await call(yes, 'proxmox_vm_get_info', { vmid: 108 })).structuredContent.status, 'running');
  const allowed = await call(yes, 'proxmox_vm_stop', { vmid: 108, allow_ha: true });
  assert.ok(!allowed.isError, text(allowed));
  assert.equal(yes.asked.length, asked + 1);
  assert.match(yes.asked.at(-1), /HA-managed \(started\)/);
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await (await browser.newContext()).newPage();
const held = async (vmid) => {
  const r = await call(cannot, 'proxmox_vm_delete', { vmid });
  assert.ok(r.isError, 'a held call is not a success');
  const id = text(r).match(/Approval id (ap-[0-9a-f-]+)/)?.[1];
  assert.ok(id, text(r));
  return id;
};
const outcome = async (id, want) => {
  for (let i = 0; i < 100; i++) {
    const r = await call(cannot, 'proxmox_approval_status', { approval_id: id });
    assert.ok(!r.isError, text(r));
    if (r.structuredContent.state === want) return r.structuredContent;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`approval ${id} never became ${want}`);
};
const decide = async (id, button) => {
  await page.goto(`${base}/system/console/mcp-approvals`);
  if (page.url().includes('/console/login')) {
    await page.fill('#password', process.env.CONSOLE_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL('**/system/console/mcp-approvals**');
  }
  const row = page.locator(`tr[data-approval="${id}"]`);
  assert.equal(await row.count(), 1, `the page lists ${id}`);
  assert.match(await row.textContent(), /Delete VM/);
  await page.screenshot({ path: `${shots}/approvals-${button.toLowerCase()}.png`, fullPage: false });
  await row.locator('button', { hasText: button }).click();
  await page.waitForURL('**/mcp-approvals?done=**');
  return page.textContent('.notice');
};

try {
  await step('a client that cannot ask: the call waits until a person approves it in the console', async () => {
    const id = await held(103);
    assert.equal(await exists(cannot, 103), true, 'nothing happened yet');
    const status = await call(cannot, 'proxmox_approval_status', { approval_id: id });
    assert.equal(status.structuredContent.state, 'pending');
    const notice = await decide(id, 'Approve');
    assert.match(notice, /approved/);
    const done = await outcome(id, 'done');
    assert.match(done.decided_by, /console user/);
    assert.equal(await exists(cannot, 103), false);
    return done;
  });

  await step('a call a person rejects in the console does nothing', async () => {
    const id = await held(107);
    assert.match(await decide(id, 'Reject'), /rejected/);
    await outcome(id, 'rejected');
    assert.equal(await exists(cannot, 107), true);
    const again = await call(cannot, 'proxmox_vm_delete', { vmid: 107 });
    assert.match(text(again), /was rejected by console user/);
  });

  await step('the model cannot approve: there is no tool to approve with',
    async () => {
      const { tools } = await cannot.client.listTools();
      assert.ok(!tools.some((t) => /approve/.test(t.name)), tools.map((t) => t.name).join(','));
    });
} finally {
  await browser.close();
}
for (const c of [yes, no, cannot]) await c.client.close();
process.exit(failed === 0 ? 0 : 1);
