// The project's benchmark (docs/performance.md). It starts the simulated Proxmox VE of the distribution, then
// measures in one run:
//   floor  the same Proxmox request proxmox_vm_list makes (GET /cluster/resources?type=vm), made directly with a
//          keep-alive HTTPS client that verifies the simulator's CA;
//   stdio  proxmox_vm_list through `proxmox-mcp stdio`, driven by the official TypeScript SDK client;
//   http   the same through `proxmox-mcp serve` over Streamable HTTP with a bearer token, audit on;
//   (these with the server's read cache off, so that they do the floor's work; one more stdio row with it on)
// each sequentially after a short and a long warm-up and with callers in flight; start -> first initialize and
// first tools/call answered; server CPU per call (/proc/PID/stat); RSS after start and at peak (/proc/PID/status);
// and proxmox_vm_list on a 10,000-guest cluster (time over the floor's, result size).
// Prints a table and JSON (also written to --json FILE).
//
// Usage: node bench.mjs [--dist runtime/target/proxmox-mcp] [--calls 500] [--warmup 2000] [--short 50]
//                       [--inflight 10] [--guests 30] [--big 10000] [--runs 1] [--json FILE] [--quick]
//                       [--only stdio,http,cache,big]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const opts = (() => {
  const a = process.argv.slice(2);
  const o = { dist: 'runtime/target/proxmox-mcp', calls: 500, warmup: 2000, short: 50, inflight: 10, guests: 30,
    big: 10000, json: null, runs: 1, only: 'stdio,http,cache,big' };
  for (let i = 0; i < a.length; i++) {
    const k = a[i].replace(/^--/, '');
    if (k === 'quick') Object.assign(o, { calls: 40, warmup: 60, short: 10, big: 2000 });
    else if (k in o) o[k] = typeof o[k] === 'number' ? Number(a[++i]) : a[++i];
    else throw new Error(`unknown option ${a[i]} (see the header of bench.mjs)`);
  }
  return o;
})();
const dist = resolve(opts.dist);
const launcher = join(dist, 'bin', 'proxmox-mcp');
if (!existsSync(launcher)) {
  console.error(`No distribution at ${dist}: build it first (mvn -B -DskipTests package) or pass --dist.`);
  process.exit(2);
}
const scratch = mkdtempSync(join(tmpdir(), 'pvemcp-bench-'));
const children = [];
const cleanup = () => {
  for (const c of children) { try { c.kill('SIGKILL'); } catch { /* gone */ } }
  rmSync(scratch, { recursive: true, force: true });
};
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

// ---- helpers

const freePort = () => new Promise((ok, fail) => {
  const s = net.createServer();
  s.once('error', fail);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const median = (xs) => quantile(xs, 0.5);
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);
const cpuMs = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
};
const memory = (pid) => {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number((s.match(new RegExp(`${k}:\\s+(\\d+)`)) ?? [0, 0])[1]);
  return { rss_mib: kb('VmRSS') / 1024, peak_rss_mib: kb('VmHWM') / 1024 };
};
// the JVM under the launcher: the launcher execs java, so the pid is the same (wait until it is java), except at a
// first start that archives classes, where java is its child
const javaPid = async (pid) => {
  for (let i = 0; i < 100; i++) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('io.pvemcp.runtime.Main')) return pid;
      for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)) {
        if (child && readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('io.pvemcp.runtime.Main')) {
          return Number(child);
        }
      }
    } catch { /* not yet */ }
    await sleep(10);
  }
  return pid;
};

/** Starts `proxmox-mcp sim` and reads its banner for the port, token and CA. */
async function simulator(nodes, guests) {
  const port = await freePort();
  const data = join(scratch, `sim-${guests}`);
  const p = spawn(launcher, ['sim', '--port', String(port), '--data', data, '--nodes', String(nodes), '--guests',
    String(guests), '--task-time-scale', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(p);
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  p.stderr.on('data', (d) => { out += d; });
  for (let i = 0; i < 600 && !/Press Ctrl\+C/.test(out); i++) await sleep(50);
  const token = out.match(/API token\s+(\S+)=(\S+)/);
  const ca = out.match(/CA certificate\s+(\S+)/);
  if (!token || !ca) throw new Error(`the simulator did not start:\n${out}`);
  const env = { PROXMOX_HOST: '127.0.0.1', PROXMOX_PORT: String(port), PROXMOX_TOKEN_ID: token[1],
    PROXMOX_TOKEN_SECRET: token[2], PROXMOX_CA_FILE: ca[1] };
  return { port, tokenId: token[1], secret: token[2], ca: readFileSync(ca[1]), env, process: p };
}

/** The floor: a keep-alive HTTPS client making the request proxmox_vm_list makes, body read and parsed. */
function floorClient(sim) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64, ca: sim.ca });
  const headers = { Authorization: `PVEAPIToken=${sim.tokenId}=${sim.secret}` };
  return () => new Promise((ok, fail) => {
    const req = https.request({ host: '127.0.0.1', port: sim.port, path: '/api2/json/cluster/resources?type=vm',
      agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => {
        if (res.statusCode !== 200) fail(new Error(`floor: HTTP ${res.statusCode} ${body}`));
        else ok(JSON.parse(body).data.length);
      });
    });
    req.on('error', fail);
    req.end();
  });
}

// the rows measure the same work as the floor, so the read cache is off but in the row that shows what it buys; the
// servers share one folder for their class archives (made at a server command's first start, see primeServers); each
// kind of server keeps its data folder from start to start, as a user's does (tokens, audit trail, the registry's list
// of the tool schemas it checked)
const serverEnv = (sim, cache = false) => ({ ...process.env, ...sim.env, PVEMCP_CACHE: join(scratch, 'cds'),
  MCP_RATE_BURST: '100000',
  MCP_RATE_PER_MINUTE: '1000000', MCP_MESSAGE_BURST: '100000', MCP_MESSAGE_RATE_PER_MINUTE: '1000000',
  ...(cache ? {} : { PROXMOX_CACHE_TTL_MS: '0' }) });

async function stdioServer(sim, cache = false) {
  const data = join(scratch, 'stdio-data');
  const transport = new StdioClientTransport({ command: launcher, args: ['stdio', '--data', data],
    env: serverEnv(sim, cache), stderr: 'pipe' });
  let log = '';
  transport.stderr?.on('data', (d) => { log = (log + d).slice(-20000); });
  const client = new Client({ name: 'pvemcp-bench', version: '1.0.0' }, { capabilities: {} });
  const t0 = performance.now();
  await client.connect(transport);
  const initialized = performance.now() - t0;
  const pid = await javaPid(transport.pid);
  return { client, pid, initialized, t0, log: () => log, close: () => client.close() };
}

async function httpServer(sim) {
  const data = join(scratch, 'http-data');
  const port = await freePort();
  const url = new URL(`http://127.0.0.1:${port}/mcp`);
  const token = JSON.parse(execFileSync(launcher, ['token', 'create', '--data', data, '--name', `bench-${port}`, '--scopes',
    'proxmox:admin', '--confirm', 'none', '--url', url.href, '--json'], { env: { ...serverEnv(sim), JAVA_OPTS: '' } }).toString()).token;
  const t0 = performance.now();
  const p = spawn(launcher, ['serve', '--port', String(port), '--data', data], { env: serverEnv(sim),
    stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(p);
  let log = '';
  p.stderr.on('data', (d) => { log = (log + d).slice(-20000); });
  for (;;) {
    const client = new Client({ name: 'pvemcp-bench', version: '1.0.0' }, { capabilities: {} });
    const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: {
      Authorization: `Bearer ${token}` } } });
    try {
      await client.connect(transport);
      const initialized = performance.now() - t0;
      return { client, pid: await javaPid(p.pid), initialized, t0, log: () => log,
        close: async () => {
          await client.close();
          const exited = new Promise((r) => { p.once('exit', r); setTimeout(r, 15000); });
          p.kill('SIGTERM');
          await exited;
        } };
    } catch (e) {
      if (p.exitCode !== null) throw new Error(`serve exited ${p.exitCode}:\n${log}`);
      // not listening yet, or listening before the MCP endpoint is registered
      if (!/ECONNREFUSED|fetch failed/.test(`${e.message} ${e.cause?.code ?? ''}`) && ![404, 503].includes(e.code)) {
        throw e;
      }
      if (performance.now() - t0 > 60000) throw new Error(`serve did not answer in 60 s: ${e.message}\n${log}`);
      await sleep(5);
    }
  }
}

const toolCall = (client, args = {}) => async () => {
  const r = await client.callTool({ name: 'proxmox_vm_list', arguments: args });
  if (r.isError) throw new Error(`proxmox_vm_list failed: ${JSON.stringify(r.content)}`);
  return r;
};

/** n calls one after another; their latencies in ms. */
async function sequential(call, n) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call();
    ms.push(performance.now() - t);
  }
  return ms;
}

/** n calls with k in flight; calls per second. */
async function inFlight(call, n, k) {
  let next = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: k }, async () => {
    while (next++ < n) await call();
  }));
  return n / ((performance.now() - t) / 1000);
}

const stats = (ms) => ({ p50_ms: median(ms), p99_ms: quantile(ms, 0.99), mean_ms: ms.reduce((a, b) => a + b, 0)
  / ms.length });

/** One transport's row: start, first call, short and long warm-up latencies, CPU per call, throughput, memory. */
async function measureServer(kind, sim, floor) {
  const server = kind === 'http' ? await httpServer(sim) : await stdioServer(sim, kind === 'stdio-cached');
  const call = toolCall(server.client);
  const afterStart = memory(server.pid);
  await call();
  const firstCall = performance.now() - server.t0;
  await sequential(call, opts.short - 1);
  const short = stats(await sequential(call, opts.calls));
  await sequential(call, Math.max(0, opts.warmup - opts.short - opts.calls));
  const cpu0 = cpuMs(server.pid);
  const steady = stats(await sequential(call, opts.calls));
  const cpuPerCall = (cpuMs(server.pid) - cpu0) / opts.calls;
  const throughput = await inFlight(call, opts.calls * 2, opts.inflight);
  const mem = memory(server.pid);
  await server.close();
  return { kind, start_to_initialize_ms: server.initialized, start_to_first_call_ms: firstCall,
    short_warmup: short, steady, cpu_ms_per_call: cpuPerCall, calls_per_s_in_flight: throughput,
    rss_after_start_mib: afterStart.rss_mib, peak_rss_mib: mem.peak_rss_mib,
    overhead_p50_ms: steady.p50_ms - floor.steady.p50_ms, overhead_p99_ms: steady.p99_ms - floor.steady.p99_ms,
    ratio_p50: steady.p50_ms / floor.steady.p50_ms, ratio_throughput: throughput / floor.calls_per_s_in_flight };
}

/**
 * A server command's first start with this Java archives the classes it loaded when it ends (class data sharing);
 * the starts measured are the later ones, as every start but the first on a user's machine. The first start of each
 * is timed too.
 */
async function primeServers(sim) {
  const first = {};
  for (const kind of ['stdio', 'http']) {
    const server = kind === 'http' ? await httpServer(sim) : await stdioServer(sim);
    await toolCall(server.client)();
    first[kind] = server.initialized;
    await server.close();
  }
  return first;
}

async function measureFloor(sim) {
  const get = floorClient(sim);
  await sequential(get, opts.short);
  const short = stats(await sequential(get, opts.calls));
  await sequential(get, Math.max(0, opts.warmup - opts.short - opts.calls));
  const steady = stats(await sequential(get, opts.calls));
  const throughput = await inFlight(get, opts.calls * 2, opts.inflight);
  return { kind: 'floor', short_warmup: short, steady, calls_per_s_in_flight: throughput };
}

/** proxmox_vm_list on a big cluster: its time over the floor's for the same cluster, and what it returns. */
async function measureBig() {
  const sim = await simulator(Math.max(3, Math.round(opts.big / 1000)), opts.big);
  const get = floorClient(sim);
  const guests = await get();
  const server = await stdioServer(sim);
  await sequential(get, 20);
  const floorMs = median(await sequential(get, 30));
  const measure = async (args) => {
    const call = toolCall(server.client, args);
    await sequential(call, 20);
    const tool = [];
    let result = null;
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      result = await call();
      tool.push(performance.now() - t);
    }
    const sc = result.structuredContent ?? {};
    return { arguments: args, tool_p50_ms: median(tool), over_floor_ms: median(tool) - floorMs,
      returned: sc.returned, total: sc.total, result_chars: JSON.stringify(result).length };
  };
  // what a model asks first (the default limit, 50) and the most one call returns
  const first = await measure({});
  const most = await measure({ limit: 1000 });
  await server.close();
  sim.process.kill('SIGTERM');
  return { guests_in_cluster: guests, floor_p50_ms: floorMs, default_limit: first, limit_1000: most };
}

// ---- run

const started = performance.now();
const runs = [];
for (let r = 0; r < opts.runs; r++) {
  const sim = await simulator(3, opts.guests);
  const firstStarts = r === 0 ? await primeServers(sim) : null;
  const floor = await measureFloor(sim);
  const only = opts.only.split(',');
  const stdio = only.includes('stdio') ? await measureServer('stdio', sim, floor) : null;
  const http = only.includes('http') ? await measureServer('http', sim, floor) : null;
  const cached = only.includes('cache') ? await measureServer('stdio-cached', sim, floor) : null;
  sim.process.kill('SIGTERM');
  runs.push({ floor, stdio, http, cached, firstStarts });
}
const big = opts.only.split(',').includes('big') ? await measureBig() : null;
const pick = (i) => runs.length === 1 ? runs[0]
  : runs.sort((a, b) => (a.stdio ?? a.http).steady.p50_ms - (b.stdio ?? b.http).steady.p50_ms)[i];
const firstStarts = runs[0].firstStarts;
const { floor, stdio, http, cached } = pick(Math.floor(runs.length / 2));
const result = { when: new Date().toISOString(), machine: { cpus: (await import('node:os')).cpus().length,
  node: process.version }, options: opts, first_start_to_initialize_ms: firstStarts, floor, stdio, http,
  stdio_read_cache: cached, big,
  seconds: (performance.now() - started) / 1000 };

const f = (x, d = 1) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d));
const row = (name, r) => `| ${name} | ${r.start_to_initialize_ms === undefined ? '–'
  : `${f(r.start_to_initialize_ms / 1000, 2)} / ${f(r.start_to_first_call_ms / 1000, 2)} s`} | ${f(r.steady.p50_ms, 2)}`
  + ` / ${f(r.steady.p99_ms, 2)} ms | ${f(r.short_warmup.p50_ms, 2)} ms | ${f(r.calls_per_s_in_flight, 0)} | `
  + `${r.cpu_ms_per_call === undefined ? '–' : `${f(r.cpu_ms_per_call, 2)} ms`} | ${r.peak_rss_mib === undefined
    ? '–' : `${f(r.rss_after_start_mib, 0)} / ${f(r.peak_rss_mib, 0)} MiB`} | ${r.ratio_p50 === undefined ? '1 / 1'
    : `${f(r.ratio_p50, 2)} / ${f(r.ratio_throughput, 2)}`} |`;
console.log(`\nproxmox_vm_list, ${opts.guests} guests; ${opts.calls} sequential calls after ${opts.warmup} (steady)`
  + ` and ${opts.short} (short) warm-up calls; ${opts.inflight} in flight\n`);
console.log('| path | start → initialize / first call | p50 / p99 | p50 after short warm-up | calls/s in flight '
  + '| server CPU per call | RSS after start / peak | × floor: p50 / calls/s |');
console.log('|---|---|---|---|---|---|---|---|');
console.log(row('floor (direct HTTPS GET)', floor));
if (stdio) console.log(row('stdio', stdio));
if (http) console.log(row('Streamable HTTP + bearer', http));
if (cached) console.log(row('stdio, read cache on (2 s)', cached));
console.log('');
for (const [name, r] of [['stdio', stdio], ['HTTP', http]].filter(([, r]) => r)) {
  console.log(`MCP overhead over the floor, ${name}: p50 ${f(r.overhead_p50_ms, 2)} ms, p99 ${f(r.overhead_p99_ms, 2)}`
    + ' ms');
}
console.log(`First start ever (archives the classes for the later ones): stdio ${f(firstStarts.stdio / 1000, 2)} s, `
  + `serve ${f(firstStarts.http / 1000, 2)} s to initialize`);
if (big) {
  for (const [name, b] of [['default limit', big.default_limit], ['limit 1000', big.limit_1000]]) {
    console.log(`${big.guests_in_cluster} guests, proxmox_vm_list with the ${name}: ${f(b.tool_p50_ms)} ms, the `
      + `Proxmox GET alone ${f(big.floor_p50_ms)} ms, so ${f(b.over_floor_ms)} ms over it; ${b.returned} of `
      + `${b.total} VMs returned in ${b.result_chars} characters`);
  }
}
console.log(`\n${JSON.stringify(result)}`);
if (opts.json) writeFileSync(opts.json, JSON.stringify(result, null, 2));
process.exit(0);
