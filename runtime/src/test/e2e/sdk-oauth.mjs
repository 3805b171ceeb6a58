// The MCP authorization flow as the official TypeScript SDK's OAuth client runs it: the server's 401 and protected
// resource metadata lead the client to the identity provider; it signs its user in there (authorization code with
// PKCE; the login form is filled in here as a person would in a browser), exchanges the code for a token and calls
// the server with it. The client is pre-registered at the provider (OIDC_CLIENT_ID, a public client).
// Usage: MCP_URL=... OIDC_CLIENT_ID=mcp-cli OIDC_USER=alice OIDC_PASSWORD=... node sdk-oauth.mjs (exit 0: signed in)
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';

const url = new URL(process.env.MCP_URL);
const redirectUrl = 'http://127.0.0.1/callback';
const steps = [];
const store = {};

/** The login as a person does it in a browser: the provider's form, filled in and sent, its cookies kept. */
async function signIn(authorizationUrl) {
  const cookies = new Map();
  const jar = (res) => {
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  steps.push(`authorization request: ${authorizationUrl.origin}${authorizationUrl.pathname}`
    + ` (scope ${authorizationUrl.searchParams.get('scope')}, resource ${authorizationUrl.searchParams.get('resource')},`
    + ` PKCE ${authorizationUrl.searchParams.get('code_challenge_method')})`);
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  jar(page);
  if (page.status !== 200) {
    throw new Error(`the provider answered the authorization request with ${page.status} ${page.headers.get('location') ?? ''}`);
  }
  const html = await page.text();
  const action = html.match(/<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/)?.[1]?.replaceAll('&amp;', '&');
  assert.ok(action, 'the provider shows its login form');
  const sent = await fetch(action, {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie() },
    body: new URLSearchParams({ username: process.env.OIDC_USER, password: process.env.OIDC_PASSWORD }),
  });
  const location = sent.headers.get('location');
  assert.equal(sent.status, 302, `the login form redirects back to the client (got ${sent.status})`);
  const back = new URL(location);
  assert.equal(`${back.origin}${back.pathname}`, redirectUrl);
  if (back.searchParams.get('error')) {
    throw new Error(`the provider refused: ${back.searchParams.get('error')} ${back.searchParams.get('error_description')}`);
  }
  steps.push('signed in at the provider, redirected back with a code');
  store.code = back.searchParams.get('code');
}

const provider = {
  get redirectUrl() { return redirectUrl; },
  get clientMetadata() {
    return { client_name: 'proxmox-mcp e2e', redirect_uris: [redirectUrl], grant_types: ['authorization_code'],
      response_types: ['code'], token_endpoint_auth_method: 'none' };
  },
  clientInformation: () => store.client ?? { client_id: process.env.OIDC_CLIENT_ID },
  saveClientInformation: (c) => { store.client = c; },
  tokens: () => store.tokens,
  saveTokens: (t) => { store.tokens = t; steps.push(`token received (${t.token_type}, expires in ${t.expires_in} s)`); },
  redirectToAuthorization: (u) => signIn(u),
  saveCodeVerifier: (v) => { store.verifier = v; },
  codeVerifier: () => store.verifier,
  saveDiscoveryState: (s) => {
    store.discovery = s;
    steps.push(`discovered the authorization server ${s.authorizationServerUrl} through the server's metadata`);
  },
  discoveryState: () => store.discovery,
};

const report = { ok: false, steps };
try {
  let transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
  let client = new Client({ name: 'proxmox-mcp-oauth-e2e', version: '1.0.0' }, { capabilities: {} });
  try {
    await client.connect(transport);
    throw new Error('the server admitted a client without a token');
  } catch (e) {
    if (!(e instanceof UnauthorizedError)) throw e;
    steps.push('the server answered 401; the SDK ran discovery and the authorization request');
  }
  assert.ok(store.code, 'the flow produced an authorization code');
  await transport.finishAuth(store.code);
  transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
  client = new Client({ name: 'proxmox-mcp-oauth-e2e', version: '1.0.0' }, { capabilities: {} });
  await client.connect(transport);
  steps.push('connected with the provider\'s token');
  const tools = (await client.listTools()).tools.map((t) => t.name);
  report.tools = tools.length;
  report.canStart = tools.includes('proxmox_vm_start');
  report.canDelete = tools.includes('proxmox_vm_delete');
  const r = await client.callTool({ name: 'proxmox_vm_list', arguments: {} });
  assert.notEqual(r.isError, true, JSON.stringify(r.content));
  report.vms = r.structuredContent.vms.length;
  await client.close();
  report.ok = true;
} catch (e) {
  report.error = String(e?.stack ?? e);
}
console.log(JSON.stringify(report, null, 2));
process.exit(report.ok ? 0 : 1);
