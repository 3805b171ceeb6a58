// An operator's day through the official MCP TypeScript SDK, against the demo cluster of a server started with
// MCP_DYNAMIC_TOOLSETS=true: the session starts with the discovery tools only and enables toolsets (list_changed
// brings their tools); then snapshot → change → rollback, backup → delete → restore, migrate, grow a disk, and a
// failed task found and read, with every destroy-class step confirmed by the user through elicitation.
// Prints one JSON line per step and exits 0 when every step held, 1 otherwise.
// Usage: BASE=http://127.0.0.1:8000 MCP_TOKEN=... node operator-client.mjs
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

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

const asked = [];
let changes = 0;
// A session has a budget of destroying calls per minute (safety.md); the later steps run in a second session.
async function connect() {
  const c = new Client({ name: 'operator', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  c.setRequestHandler(ElicitRequestSchema, async (request) => {
    asked.push(request.params.message);
    return { action: 'accept', content: { confirm: true } };
  });
  c.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
    changes++;
  });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${process.env.BASE}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${process.env.MCP_TOKEN}` } },
  }));
  return c;
}
let client = await connect();
const names = async () => (await client.listTools()).tools.map((t) => t.name).sort();
const call = async (name, args) => {
  const r = await client.callTool({ name, arguments: args });
  assert.ok(!r.isError, `${name} ${JSON.stringify(args)}: ${text(r)}`);
  return r;
};
const until = async (what, check, ms = 10000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

await step('a dynamic session starts with the discovery tools only', async () => {
  const tools = await names();
  assert.deepEqual(tools, ['proxmox_approval_status', 'proxmox_toolset_enable', 'proxmox_toolsets']);
  const sets = (await call('proxmox_toolsets', {})).structuredContent.toolsets;
  const byName = Object.fromEntries(sets.map((s) => [s.name, s]));
  for (const s of ['vm', 'ct', 'snapshot', 'backup', 'storage', 'tasks', 'cluster', 'system']) {
    assert.ok(byName[s], `toolset ${s} is listed`);
    assert.equal(byName[s].enabled, false);
  }
  assert.ok(byName.vm.tools.some((t) => t.startsWith('proxmox_vm_migrate: ')), 'tools carry their titles');
  const other = await client.callTool({ name: 'proxmox_vm_list', arguments: {} });
  assert.ok(other.isError && text(other).includes('proxmox_toolset_enable'), text(other));
  return { toolsets: sets.length };
});

await step('enabling toolsets sends list_changed and brings their tools, and only theirs', async () => {
  const before = changes;
  const r = await call('proxmox_toolset_enable', { toolsets: ['vm', 'snapshot'] });
  assert.equal(r.structuredContent.changed, true);
  await until('list_changed', async () => changes > before);
  const tools = await names();
  assert.ok(tools.includes('proxmox_vm_list') && tools.includes('proxmox_snapshot_rollback'));
  assert.ok(!tools.includes('proxmox_ct_list') && !tools.includes('proxmox_backup_create'));
  await call('proxmox_toolset_enable', { toolsets: ['ct', 'backup', 'storage', 'tasks'] });
  await until('the second list_changed', async () => changes > before + 1);
  assert.ok((await names()).includes('proxmox_backup_restore'));
  const unknown = await client.callTool({ name: 'proxmox_toolset_enable', arguments: { toolsets: ['nosuch'] } });
  assert.ok(unknown.isError && text(unknown).includes('No toolset nosuch'), text(unknown));
  return { tools: (await names()).length };
});

await step('snapshot, change, roll back (confirmed): the configuration is restored', async () => {
  await call('proxmox_snapshot_create', { vmid: 104, name: 'pre-upgrade', description: 'before the upgrade' });
  await call('proxmox_vm_config', { vmid: 104, cores: 6, memory_mb: 6144 });
  const dry = await call('proxmox_snapshot_rollback', { vmid: 104, name: 'pre-upgrade', dry_run: true });
  assert.match(dry.structuredContent.dry_run.summary, /cores 6 → 2/);
  const n = asked.length;
  const r = await call('proxmox_snapshot_rollback', { vmid: 104, name: 'pre-upgrade' });
  assert.equal(asked.length, n + 1, 'the user was asked');
  assert.match(asked[n], /Lost for good/);
  const info = (await call('proxmox_vm_get_info', { vmid: 104 })).structuredContent;
  assert.equal(info.config.cores, 2);
  return { restored: r.structuredContent.restored.map((c) => c.key) };
});

await step('back up, delete (confirmed), restore: the guest comes back with its configuration and disks', async () => {
  const before = (await call('proxmox_ct_get_info', { vmid: 204 })).structuredContent;
  const b = await call('proxmox_backup_create', { vmid: [204], storage: 'nfs-shared', notes: 'before delete' });
  const volid = b.structuredContent.guests[0].volid;
  assert.ok(volid.startsWith('nfs-shared:backup/'), volid);
  const n = asked.length;
  await call('proxmox_ct_delete', { vmid: 204 });
  assert.equal(asked.length, n + 1, 'the delete was confirmed');
  const gone = await client.callTool({ name: 'proxmox_ct_get_info', arguments: { vmid: 204 } });
  assert.ok(gone.isError);
  const r = await call('proxmox_backup_restore', { archive: volid, vmid: 204, node: 'pve3' });
  assert.equal(r.structuredContent.vmid, 204);
  const after = (await call('proxmox_ct_get_info', { vmid: 204 })).structuredContent;
  assert.equal(after.config.hostname, before.config.hostname);
  assert.equal(after.config.cores, before.config.cores);
  assert.deepEqual(after.disks.map((d) => d.size), before.disks.map((d) => d.size));
  return { volid };
});

await step('migrate a VM and grow its disk', async () => {
  const m = await call('proxmox_vm_migrate', { vmid: 101, target: 'pve3' });
  assert.equal(m.structuredContent.node, 'pve3');
  assert.equal(m.structuredContent.mode, 'online');
  const r = await call('proxmox_vm_resize', { vmid: 101, size: '+10G' });
  assert.equal(r.structuredContent.new_bytes - r.structuredContent.old_bytes, 10 * 2 ** 30);
  const info = (await call('proxmox_vm_get_info', { vmid: 101 })).structuredContent;
  assert.equal(info.node, 'pve3');
  return { disk: r.structuredContent.new_size };
});

await step('a model that lists, acts and lists again sees its change at once (the read cache)', async () => {
  const list = async () => (await call('proxmox_vm_list', { limit: 1000 })).structuredContent.vms;
  const before = await list();
  assert.equal(before.find((v) => v.vmid === 101).node, 'pve3', 'the migration shows');
  const stopped = before.find((v) => v.status === 'stopped');
  assert.ok(stopped, 'a stopped VM');
  await call('proxmox_vm_start', { vmid: stopped.vmid, allow_ha: true });
  const after = await list();
  assert.equal(after.find((v) => v.vmid === stopped.vmid).status, 'running');
  return { started: stopped.vmid };
});

await step('a failed task is found by proxmox_task_list and its log read', async () => {
  const d = await client.callTool({ name: 'proxmox_storage_download', arguments: {
    url: 'https://downloads.example.org/missing/tool.iso', node: 'pve2' } });
  assert.ok(d.isError && text(d).includes('404'), text(d));
  const list = await call('proxmox_task_list', { state: 'failed', type: 'download', limit: 5 });
  const task = list.structuredContent.tasks[0];
  assert.ok(task && task.exit_status.includes('404'), JSON.stringify(list.structuredContent));
  const log = await call('proxmox_task_log', { upid: task.upid });
  assert.ok(log.structuredContent.lines.some((l) => l.includes('downloading')), JSON.stringify(log.structuredContent));
  return { upid: task.upid };
});

await step('proxmox_api: an invalid call is refused in the contract\'s words, a valid one adds a firewall rule', async () => {
  await call('proxmox_toolset_enable', { toolsets: ['api'] });
  await until('the api tools', async () => (await names()).includes('proxmox_api'));
  const path = '/nodes/pve1/qemu/100/firewall/rules';
  const described = await call('proxmox_api_describe', { path, method: 'POST' });
  const post = described.structuredContent.methods[0];
  assert.equal(post.name, 'create_rule');
  assert.match(post.parameters.type, /one of in\|out/);
  const bad = await client.callTool({ name: 'proxmox_api', arguments: { method: 'POST', path,
    params: { type: 'sideways', action: 'ACCEPT' } } });
  assert.ok(bad.isError, text(bad));
  assert.match(text(bad), /Parameter verification failed[\s\S]*type: value 'sideways' does not have a value in the enumeration/);
  const n = asked.length;
  const added = await call('proxmox_api', { method: 'POST', path,
    params: { type: 'in', action: 'ACCEPT', proto: 'tcp', dport: '443', enable: 1, comment: 'https from the assistant' } });
  assert.equal(asked.length, n, 'a change-class call asks nobody');
  assert.match(added.structuredContent.permission, /VM\.Config\.Network on \/vms\/100/);
  const rules = (await call('proxmox_api', { method: 'GET', path })).structuredContent.data;
  const rule = rules.find((r) => r.comment === 'https from the assistant');
  assert.ok(rule && rule.dport === '443' && rule.action === 'ACCEPT', JSON.stringify(rules));
  const dry = await call('proxmox_api', { method: 'DELETE', path: `${path}/${rule.pos}`, dry_run: true });
  assert.equal(dry.structuredContent.dry_run.risk, 'destroy');
  assert.equal(dry.structuredContent.dry_run.needs_confirmation, true);
  await call('proxmox_api', { method: 'DELETE', path: `${path}/${rule.pos}` });
  assert.equal(asked.length, n + 1, 'the delete was confirmed by the user');
  const after = (await call('proxmox_api', { method: 'GET', path })).structuredContent.data;
  assert.ok(!after.some((r) => r.comment === 'https from the assistant'), JSON.stringify(after));
  return { pos: rule.pos };
});

await step('proxmox_metrics: a node\'s last hour as figures and as a PNG chart the client decodes', async () => {
  await call('proxmox_toolset_enable', { toolsets: ['metrics'] });
  await until('the metrics tools', async () => (await names()).includes('proxmox_metrics'));
  const r = await call('proxmox_metrics', { node: 'pve1', timeframe: 'hour' });
  const cpu = r.structuredContent.series.cpu_percent;
  assert.ok(cpu.min <= cpu.avg && cpu.avg <= cpu.max, JSON.stringify(cpu));
  const image = r.content.find((c) => c.type === 'image');
  assert.ok(image, 'an image content block');
  assert.equal(image.mimeType, 'image/png');
  const png = Buffer.from(image.data, 'base64');
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'the PNG signature');
  assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
  assert.equal(png.readUInt32BE(16), 800, 'its width');
  const top = await call('proxmox_cluster_top', { by: 'memory', limit: 3 });
  assert.equal(top.structuredContent.guests.length, 3);
  return { bytes: png.length, height: png.readUInt32BE(20) };
});

await step('pools: create one, move a guest in and out, delete it (confirmed)', async () => {
  await call('proxmox_toolset_enable', { toolsets: ['pool'] });
  await until('the pool tools', async () => (await names()).includes('proxmox_pool_delete'));
  await call('proxmox_pool_create', { poolid: 'staging', comment: 'pre-production' });
  const added = await call('proxmox_pool_members', { poolid: 'staging', add: [104] });
  assert.deepEqual(added.structuredContent.guests, [104]);
  const listed = await call('proxmox_pool_list', { poolid: 'staging' });
  assert.equal(listed.structuredContent.pools[0].guests[0].vmid, 104);
  const full = await client.callTool({ name: 'proxmox_pool_delete', arguments: { poolid: 'staging' } });
  assert.ok(full.isError && text(full).includes('is not empty'), text(full));
  await call('proxmox_pool_members', { poolid: 'staging', remove: [104] });
  const n = asked.length;
  await call('proxmox_pool_delete', { poolid: 'staging' });
  assert.equal(asked.length, n + 1, 'the delete was confirmed by the user');
  const pools = (await call('proxmox_pool_list', {})).structuredContent.pools.map((p) => p.poolid);
  assert.ok(!pools.includes('staging'), JSON.stringify(pools));
  return { pools };
});

await step('HA: a guest is put under HA, shows in the status, and is taken out again', async () => {
  await call('proxmox_toolset_enable', { toolsets: ['ha'] });
  await until('the HA tools', async () => (await names()).includes('proxmox_ha_set'));
  const before = (await call('proxmox_ha_status', {})).structuredContent;
  assert.equal(before.quorate, true);
  assert.ok(before.resources.some((r) => r.sid === 'vm:101' && r.group === 'prefer-pve1'), JSON.stringify(before));
  const dry = await call('proxmox_ha_set', { vmid: 103, group: 'prefer-pve1', dry_run: true });
  assert.equal(dry.structuredContent.dry_run.risk, 'power', 'HA may start it');
  await call('proxmox_ha_set', { vmid: 103, group: 'prefer-pve1' });
  const during = (await call('proxmox_ha_status', {})).structuredContent.resources;
  assert.ok(during.some((r) => r.vmid === 103 && r.group === 'prefer-pve1'), JSON.stringify(during));
  await call('proxmox_ha_remove', { vmid: 103 });
  const after = (await call('proxmox_ha_status', {})).structuredContent.resources;
  assert.ok(!after.some((r) => r.vmid === 103), JSON.stringify(after));
  return { resources: after.length };
});

await step('firewall: port 443 opened on VM 100, a lock-out refused, the rule deleted (confirmed)', async () => {
  await call('proxmox_toolset_enable', { toolsets: ['firewall'] });
  await until('the firewall tools', async () => (await names()).includes('proxmox_firewall_rule_add'));
  const added = await call('proxmox_firewall_rule_add', { vmid: 100, type: 'in', action: 'ACCEPT', proto: 'tcp',
    dport: '443', comment: 'https, firewall tools' });
  assert.equal(added.structuredContent.applies, 'IN ACCEPT tcp dport 443 from any');
  const rules = (await call('proxmox_firewall_rules', { vmid: 100 })).structuredContent.rules;
  const rule = rules.find((r) => r.comment === 'https, firewall tools');
  assert.ok(rule && rule.dport === '443', JSON.stringify(rules));
  const lock = await client.callTool({ name: 'proxmox_firewall_rule_add', arguments: { type: 'in', action: 'DROP' } });
  assert.ok(lock.isError && text(lock).includes('locked out'), text(lock));
  const n = asked.length;
  await call('proxmox_firewall_rule_delete', { vmid: 100, pos: rule.pos });
  assert.equal(asked.length, n + 1, 'the delete was confirmed by the user');
  const after = (await call('proxmox_firewall_rules', { vmid: 100 })).structuredContent.rules;
  assert.ok(!after.some((r) => r.comment === 'https, firewall tools'), JSON.stringify(after));
  return { pos: rule.pos };
});

await client.close();
client = await connect();

await step('access: a read-only colleague with an API token whose secret is shown once', async () => {
  await call('proxmox_toolset_enable', { toolsets: ['access'] });
  await until('the access tools', async () => (await names()).includes('proxmox_token_set'));
  await call('proxmox_user_set', { userid: 'colleague@pve', password: 'colleague-password-1', firstname: 'Col' });
  const granted = await call('proxmox_acl_set', { path: '/', role: 'PVEAuditor', user: 'colleague@pve' });
  assert.ok(granted.structuredContent.effective.includes('VM.Audit'), text(granted));
  assert.ok(!granted.structuredContent.effective.includes('VM.PowerMgmt'), text(granted));
  const token = await call('proxmox_token_set', { userid: 'colleague@pve', token: 'readonly', privsep: false });
  const secret = token.structuredContent.secret;
  assert.match(secret, /^[0-9a-f-]{36}$/);
  assert.ok(text(token).includes(secret) && text(token).includes('shown this once'), text(token));
  const listed = await call('proxmox_access_list', { kind: 'tokens', userid: 'colleague@pve' });
  assert.ok(!JSON.stringify(listed).includes(secret), 'a listing never shows a secret');
  const can = await call('proxmox_permissions', { authid: 'colleague@pve!readonly', path: '/vms/102',
    privilege: 'VM.PowerMgmt' });
  assert.equal(can.structuredContent.allowed, false);
  const n = asked.length;
  const refused = await client.callTool({ name: 'proxmox_access_delete', arguments: { kind: 'token',
    id: 'root@pam!mcp' } });
  assert.ok(refused.isError && text(refused).includes('the account this server uses'), text(refused));
  assert.equal(asked.length, n, 'a refused call asks nobody');
  return { tokenid: token.structuredContent.tokenid, secret };
});

await step('network: a bridge staged, its diff shown, applied (confirmed), a deletion reverted', async () => {
  await call('proxmox_toolset_enable', { toolsets: ['network'] });
  await until('the network tools', async () => (await names()).includes('proxmox_network_apply'));
  await call('proxmox_network_set', { node: 'pve3', iface: 'vmbr7', type: 'bridge', cidr: '192.168.77.3/24',
    comment: 'operator lab' });
  const pending = (await call('proxmox_network_list', { node: 'pve3' })).structuredContent;
  assert.ok(pending.pending && pending.changes.includes('+iface vmbr7 inet static'), JSON.stringify(pending));
  const n = asked.length;
  const applied = await call('proxmox_network_apply', { node: 'pve3' });
  assert.equal(applied.structuredContent.applied, true, text(applied));
  assert.equal(asked.length, n + 1, 'applying was confirmed by the user');
  assert.ok(asked[n].includes('cuts pve3 off the network'), asked[n]);
  const after = (await call('proxmox_network_list', { node: 'pve3', type: 'bridge' })).structuredContent;
  const bridge = after.interfaces.find((i) => i.iface === 'vmbr7');
  assert.ok(!after.pending && bridge && bridge.active, JSON.stringify(after));
  await call('proxmox_network_delete', { node: 'pve3', iface: 'vmbr7' });
  await call('proxmox_network_apply', { node: 'pve3', revert: true });
  const kept = (await call('proxmox_network_list', { node: 'pve3' })).structuredContent;
  assert.ok(!kept.pending && kept.interfaces.some((i) => i.iface === 'vmbr7'), JSON.stringify(kept));
  const sdn = await call('proxmox_sdn_list', {});
  assert.ok(sdn.structuredContent.zones.some((z) => z.zone === 'lab'), text(sdn));
});

await step('cluster extras: the log, replication with the failing job, Ceph with the down OSD, an HA rule', async () => {
  await call('proxmox_toolset_enable', { toolsets: ['cluster', 'ha'] });
  await until('the cluster tools', async () => (await names()).includes('proxmox_ceph_status'));
  const log = (await call('proxmox_cluster_log', { limit: 10 })).structuredContent.entries;
  assert.ok(log.length > 0 && log.length <= 10, JSON.stringify(log));
  const repl = (await call('proxmox_replication_list', {})).structuredContent;
  assert.equal(repl.failing, 1, JSON.stringify(repl));
  assert.ok(repl.jobs.find((j) => j.id === '201-0').error.includes('replicate feature'), JSON.stringify(repl));
  const ceph = (await call('proxmox_ceph_status', {})).structuredContent;
  assert.ok(ceph.health === 'HEALTH_WARN' && ceph.osds.down.includes('osd.4 on pve3'), JSON.stringify(ceph));
  await call('proxmox_ha_rule_set', { rule: 'apart', type: 'resource-affinity', vmids: [101, 108],
    affinity: 'negative' });
  const rules = (await call('proxmox_ha_status', {})).structuredContent.rules;
  assert.ok(rules.some((r) => r.rule === 'apart' && r.affinity === 'negative'), JSON.stringify(rules));
  await call('proxmox_ha_rule_set', { rule: 'apart', delete: true });
});

await step('firewall objects: an IP set blocks addresses on VM 100, a security group is used, a rule is moved', async () => {
  await call('proxmox_toolset_enable', { toolsets: ['firewall'] });
  await until('the firewall tools', async () => (await names()).includes('proxmox_firewall_object_set'));
  await call('proxmox_firewall_object_set', { kind: 'ipset', name: 'blocked', vmid: 100,
    add: ['198.51.100.0/24'] });
  const drop = await call('proxmox_firewall_rule_add', { vmid: 100, type: 'in', action: 'DROP',
    source: '+blocked', comment: 'blocked networks' });
  assert.equal(drop.structuredContent.applies, 'IN DROP from +blocked');
  await call('proxmox_firewall_rule_add', { vmid: 100, type: 'group', action: 'webserver', pos: 1 });
  const moved = await call('proxmox_firewall_rule_update', { vmid: 100, pos: 0, moveto: 2 });
  assert.equal(moved.structuredContent.pos, 1, text(moved));
  const objects = (await call('proxmox_firewall_objects', { vmid: 100 })).structuredContent;
  assert.ok(objects.ipsets.some((s) => s.name === 'blocked' && s.entries.includes('198.51.100.0/24')),
    JSON.stringify(objects));
  const rules = (await call('proxmox_firewall_rules', { vmid: 100 })).structuredContent.rules;
  assert.deepEqual(rules.slice(0, 2).map((r) => r.applies), ['GROUP webserver', 'IN DROP from +blocked']);
});

await client.close();
process.exit(failed === 0 ? 0 : 1);
