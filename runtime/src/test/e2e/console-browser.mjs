// Drives the admin console in a real browser (Debian's Chromium through playwright-core) while an MCP client
// (the official TypeScript SDK) watches the tool list: signs in, switches a tool bundle off, checks that the
// client's tools/list lost its tools, switches it on again and checks they are back. Prints one JSON line per
// step and exits 0 when every step held, 1 otherwise.
// Usage: BASE=http://127.0.0.1:8000 MCP_TOKEN=... CONSOLE_PASSWORD=... BUNDLE=io.pvemcp.tools.storage
//        TOOL=proxmox_storage_list SHOTS=dir node console-browser.mjs
import { chromium } from 'playwright-core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const base = process.env.BASE;
const bundle = process.env.BUNDLE;
const tool = process.env.TOOL;
const shots = process.env.SHOTS ?? '.';
const step = (name, ok, extra = {}) => {
  console.log(JSON.stringify({ step: name, ok, ...extra }));
  if (!ok) throw new Error(`step failed: ${name}`);
};
const client = new Client({ name: 'console-browser-test', version: '1.0.0' }, { capabilities: {} });
await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
  requestInit: { headers: { Authorization: `Bearer ${process.env.MCP_TOKEN}` } },
}));
const toolNames = async () => (await client.listTools()).tools.map((t) => t.name);
const waitForTools = async (predicate) => {
  for (let i = 0; i < 50; i++) {
    const names = await toolNames();
    if (predicate(names)) return names;
    await new Promise((r) => setTimeout(r, 100));
  }
  return toolNames();
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let code = 0;
try {
  const page = await (await browser.newContext()).newPage();
  step('mcp client sees the tool', (await toolNames()).includes(tool));

  await page.goto(`${base}/system/console/mcp-tools`);
  step('the console asks for a sign-in', page.url().includes('/console/login'), { url: page.url() });
  await page.fill('#password', 'wrong password, surely');
  await page.click('button[type=submit]');
  step('a wrong password is refused', (await page.textContent('.problem'))?.includes('Wrong password'));
  await page.fill('#password', process.env.CONSOLE_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL('**/system/console/mcp-tools**');
  const heading = page.locator(`h3[data-bundle="${bundle}"]`);
  step('the MCP tools page lists the bundle', await heading.count() === 1);
  await page.screenshot({ path: `${shots}/console-before.png`, fullPage: false });

  await heading.locator('button', { hasText: 'Switch bundle off' }).click();
  await page.waitForURL('**/mcp-tools?done=**');
  step('the page confirms the switch', (await page.textContent('.notice'))?.includes(`${bundle} switched off`));
  let names = await waitForTools((n) => !n.includes(tool));
  step('the MCP client no longer lists the bundle\'s tools', !names.includes(tool) && names.length > 0,
    { tools: names.length });
  await page.screenshot({ path: `${shots}/console-off.png`, fullPage: false });

  await page.locator(`h3[data-bundle="${bundle}"] button`, { hasText: 'Switch bundle on' }).click();
  await page.waitForURL('**/mcp-tools?done=**');
  names = await waitForTools((n) => n.includes(tool));
  step('after switching it on the tools are back', names.includes(tool));

  await page.goto(`${base}/system/console/bundles`);
  step('the Felix web console pages are served too', (await page.title()).length > 0 && page.url().endsWith('/bundles'),
    { title: await page.title() });
} catch (e) {
  console.log(JSON.stringify({ error: String(e) }));
  code = 1;
} finally {
  await browser.close();
  await client.close();
}
process.exit(code);
