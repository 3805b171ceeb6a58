// Launches the server as a desktop client does (command + args) and drives it with the official TypeScript SDK's
// stdio client: lists tools, calls one, then drops a plugin jar into the deploy folder and waits for
// notifications/tools/list_changed with its tool, and calls that. Prints one JSON line per step; exits 0 when every
// step held. Usage: SERVER=bin/proxmox-mcp DEPLOY=dir PLUGIN_JAR=file node stdio-client.mjs [args...]
import { copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

const step = (name, ok, extra = {}) => {
  console.log(JSON.stringify({ step: name, ok, ...extra }));
  if (!ok) throw new Error(`step failed: ${name}`);
};
const timeout = setTimeout(() => {
  console.log(JSON.stringify({ error: 'timeout' }));
  process.exit(1);
}, Number(process.env.TIMEOUT_MS ?? 90000));

const transport = new StdioClientTransport({
  command: process.env.SERVER,
  args: process.argv.slice(2),
  env: { ...process.env },
  stderr: 'inherit',
});
const client = new Client({ name: 'stdio-e2e', version: '1.0.0' }, { capabilities: {} });
let changed = null;
const appeared = new Promise((resolve) => { changed = resolve; });
client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  console.log(JSON.stringify({ event: 'list_changed', tools: names.length }));
  if (names.includes('proxmox_capacity_report')) changed(names);
});
let code = 0;
try {
  await client.connect(transport);
  step('initialized over stdio', client.getServerVersion()?.name === 'proxmox-mcp',
    { server: client.getServerVersion() });
  const { tools } = await client.listTools();
  step('lists the standard tools', tools.some((t) => t.name === 'proxmox_vm_list'), { tools: tools.length });
  const version = await client.callTool({ name: 'proxmox_system_version', arguments: {} });
  step('calls a tool', !version.isError && version.content[0].text.includes('Proxmox VE'),
    { text: version.content[0].text });
  copyFileSync(process.env.PLUGIN_JAR, join(process.env.DEPLOY, basename(process.env.PLUGIN_JAR)));
  const names = await appeared;
  step('a dropped plugin arrives with list_changed', names.includes('proxmox_capacity_report'));
  const report = await client.callTool({ name: 'proxmox_capacity_report', arguments: {} });
  step('calls the plugin\'s tool', !report.isError && report.content[0].text.includes('most room on'));
} catch (e) {
  console.log(JSON.stringify({ error: String(e) }));
  code = 1;
} finally {
  clearTimeout(timeout);
  await client.close();
}
process.exit(code);
