// Watches the tool list of a running server with the official MCP TypeScript SDK: prints one JSON line when
// connected and one per notifications/tools/list_changed (with the tools listed afterwards), and exits 0
// after EXPECT notifications, or 1 after TIMEOUT_MS.
// Usage: MCP_URL=http://127.0.0.1:8000/mcp EXPECT=2 node watch-tools.mjs
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

const expect = Number(process.env.EXPECT ?? 2);
const timeout = setTimeout(() => {
  console.log(JSON.stringify({ event: 'timeout' }));
  process.exit(1);
}, Number(process.env.TIMEOUT_MS ?? 60000));
const client = new Client({ name: 'watch-tools', version: '1.0.0' }, { capabilities: {} });
let seen = 0;
client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
  const { tools } = await client.listTools();
  console.log(JSON.stringify({ event: 'list_changed', tools: tools.map((t) => t.name) }));
  if (++seen >= expect) {
    clearTimeout(timeout);
    await client.close();
    process.exit(0);
  }
});
await client.connect(new StreamableHTTPClientTransport(new URL(process.env.MCP_URL), {
  requestInit: { headers: process.env.MCP_TOKEN ? { Authorization: `Bearer ${process.env.MCP_TOKEN}` } : {} },
}));
const { tools } = await client.listTools();
console.log(JSON.stringify({ event: 'connected', tools: tools.map((t) => t.name) }));
