// The API contract (docs/openapi.yaml) held against the real node: `depin init` + `depin node
// --dev` (short epochs) + `depin fleet` (every device class, customers), then a recording proxy in
// front of the node through which this script and the real command-line clients (`depin device`,
// `depin tx`, `depin admin`) call every operation. Every answer that passes the proxy must be a
// status the contract lists for that operation, with a body its schema accepts; every operation
// must have been answered with a success, and with an error when it documents one. Waits on
// conditions with deadlines, never on fixed sleeps.
//
//   node web/e2e/openapi.check.mjs --depin build/bin/depin [--dashboard build/dashboard]
//        [--spec docs/openapi.yaml] [--keep]
// Exit 0: the node keeps the contract; 1: it does not (every violation is listed).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import YAML from 'yaml';
import { api, initNetwork, poll, start, tearDown, waitForLine } from './procs.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const out = { spec: path.join(here, '../../docs/openapi.yaml'), keep: false };
  for (let i = 2; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--keep') out.keep = true;
    else if (a.startsWith('--')) out[a.slice(2)] = argv[++i];
  }
  if (!out.depin) throw new Error('missing --depin');
  return out;
}

const args = parseArgs(process.argv);
const t0 = Date.now();
const log = (...m) => console.log(`[openapi +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...m);

// ---- The contract ----------------------------------------------------------------------------

const spec = YAML.parse(fs.readFileSync(args.spec, 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
ajv.addSchema({ ...spec, $id: 'openapi' });
const pointer = (...parts) =>
  parts
    .map((p) => encodeURIComponent(String(p).replace(/~/g, '~0').replace(/\//g, '~1')))
    .join('/');

// Operations, literal paths before templated ones (`/v1/poc/entropy/latest` before `{period}`).
const operations = [];
for (const [template, item] of Object.entries(spec.paths)) {
  for (const method of ['get', 'post', 'put', 'delete']) {
    if (!item[method]) continue;
    const params = (template.match(/\{[^}]+\}/g) || []).length;
    const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$');
    operations.push({ template, method: method.toUpperCase(), op: item[method], params, re });
  }
}
operations.sort((a, b) => a.params - b.params);
const errorShape = ajv.compile({ $ref: 'openapi#/components/schemas/Error' });
// Errors a running dev network cannot answer, and why; every other documented client error must
// be seen.
const unreachableErrors = {
  'GET /v1/poc/entropy/latest': '404 only before the first entry is published',
  'GET /': '404 only when the node serves no dashboard build',
  'GET /index.html': '404 only when the node serves no dashboard build',
};
const seen = new Map(operations.map((o) => [`${o.method} ${o.template}`, new Set()]));
const violations = [];
const validators = new Map();

function validatorFor(template, method, status) {
  const key = `${method} ${template} ${status}`;
  if (!validators.has(key)) {
    const ref = `openapi#/${pointer('paths', template, method.toLowerCase(), 'responses', status)}`;
    const response = spec.paths[template][method.toLowerCase()].responses[status];
    // A response may be a $ref to components/responses.
    const target = response.$ref ? response.$ref.replace('#/', 'openapi#/') : ref;
    validators.set(key, ajv.compile({ $ref: `${target}/content/application~1json/schema` }));
  }
  return validators.get(key);
}

function contentOf(template, method, status) {
  const response = spec.paths[template][method.toLowerCase()].responses[status];
  const resolved = response.$ref
    ? response.$ref
        .slice(2)
        .split('/')
        .reduce((o, k) => o[k], spec)
    : response;
  return resolved.content || {};
}

// Checks one exchange against the contract; records the status for the coverage check.
function check(method, url, status, contentType, body) {
  const pathname = new URL(url, 'http://x').pathname;
  const op = operations.find((o) => o.method === method && o.re.test(pathname));
  const where = `${method} ${url} -> ${status}`;
  if (!op) {
    // A path the contract does not name must be the server's own 404 in the error shape.
    if (status !== 404) return violations.push(`${where}: no such operation in the contract`);
    if (!errorShape(JSON.parse(body || 'null'))) violations.push(`${where}: not the error shape`);
    return;
  }
  seen.get(`${op.method} ${op.template}`).add(status);
  if (!op.op.responses[String(status)]) {
    return violations.push(`${where}: status not documented (${Object.keys(op.op.responses)})`);
  }
  const content = contentOf(op.template, method, String(status));
  if (!content['application/json']) {
    const want = Object.keys(content)[0];
    if (want && !want.startsWith('application/octet') && !(contentType || '').startsWith(want)) {
      violations.push(`${where}: Content-Type ${contentType}, contract says ${want}`);
    }
    return;
  }
  if (!(contentType || '').startsWith('application/json')) {
    return violations.push(`${where}: Content-Type ${contentType}, contract says JSON`);
  }
  let json;
  try {
    json = JSON.parse(body);
  } catch {
    return violations.push(`${where}: body is not JSON: ${body.slice(0, 120)}`);
  }
  const validate = validatorFor(op.template, method, String(status));
  if (!validate(json)) {
    const errs = validate.errors
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    violations.push(`${where}: body does not match the schema: ${errs.join('; ')}`);
  }
}

// ---- The recording proxy ----------------------------------------------------------------------

function startProxy(target) {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers, host: upstream.host };
      const out = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers,
        },
        (r) => {
          const parts = [];
          r.on('data', (c) => parts.push(c));
          r.on('end', () => {
            const text = Buffer.concat(parts);
            check(req.method, req.url, r.statusCode, r.headers['content-type'], text.toString());
            res.writeHead(r.statusCode, r.headers);
            res.end(text);
          });
        },
      );
      out.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      out.end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, base: `http://127.0.0.1:${server.address().port}` }),
    ),
  );
}

async function call(base, method, p, { body, headers = {} } = {}) {
  const res = await fetch(base + p, { method, body, headers });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

// Runs a `depin` command whose client talks to the proxy (asynchronously: the proxy runs in this
// process); fails with its output.
function depin(argv) {
  return new Promise((resolve, reject) => {
    const child = spawn(args.depin, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`depin ${argv.join(' ')} exited ${code}: ${out}`));
    });
  });
}

// ---- The calls --------------------------------------------------------------------------------

// Every operation with a success and the errors a client most often meets.
async function exercise(base, data) {
  const token = fs.readFileSync(path.join(data, 'keys', 'admin.token'), 'utf8').trim();
  const admin = { Authorization: `Bearer ${token}` };
  const devices = (await call(base, 'GET', '/v1/devices?limit=5')).json().items;
  const key = devices[0].key;
  const owner = devices[0].owner;
  const summary = (await call(base, 'GET', '/v1/network/summary')).json();
  const epoch = summary.latest_epoch;
  const head = (await call(base, 'GET', '/v1/ledger/head')).json();
  const block = (await call(base, 'GET', '/v1/explorer/blocks/1')).json();
  const txId = block.txs[0].tx_id;
  const missingKey = '11111111111111111111111111111111';
  const missingHash = '0'.repeat(64);

  const get = (p) => call(base, 'GET', p);
  const post = (p, body, headers) => call(base, 'POST', p, { body, headers });
  const json = { 'Content-Type': 'application/json' };
  const proto = { 'Content-Type': 'application/x-protobuf' };

  await get('/v1/health');
  await get('/metrics');
  await get('/v1/nope'); // not an operation: the node's 404 must not be one either
  for (const p of [
    '/v1/network/health',
    '/v1/network/health?limit=0',
    '/v1/devices',
    '/v1/devices?offset=abc',
    `/v1/devices/${key}`,
    '/v1/devices/not-base58!',
    `/v1/devices/${missingKey}`,
    '/v1/cells',
    '/v1/cells?level=31',
    '/v1/epochs',
    '/v1/epochs?limit=1001',
    `/v1/epochs/${epoch}`,
    '/v1/epochs/x7',
    '/v1/epochs/999999',
    `/v1/epochs/${epoch}/manifest`,
    '/v1/epochs/x/manifest',
    '/v1/epochs/999999/manifest',
    `/v1/epochs/${epoch}/devices/${key}`,
    `/v1/epochs/${epoch}/devices/not-a-key`,
    `/v1/epochs/999999/devices/${key}`,
    '/v1/explorer/blocks',
    '/v1/explorer/blocks?limit=-1',
    '/v1/explorer/blocks/1',
    '/v1/explorer/blocks/-1',
    '/v1/explorer/blocks/99999999',
    `/v1/explorer/tx/${txId}`,
    '/v1/explorer/tx/xyz',
    `/v1/explorer/tx/${missingHash}`,
    `/v1/explorer/accounts/${owner}`,
    `/v1/explorer/accounts/${key}`,
    '/v1/explorer/accounts/0OIl',
    '/v1/ledger/head',
    `/v1/ledger/tx/${txId}`,
    '/v1/ledger/tx/xyz',
    `/v1/ledger/tx/${missingHash}`,
    `/v1/ledger/accounts/${owner}`,
    '/v1/ledger/accounts/0OIl',
    `/v1/ledger/accounts/${owner}/devices`,
    '/v1/ledger/accounts/0OIl/devices',
    `/v1/ledger/accounts/${owner}/delegations/${key}`,
    `/v1/ledger/accounts/${owner}/delegations/nope`,
    `/v1/ledger/devices/${key}`,
    '/v1/ledger/devices/0OIl',
    `/v1/ledger/devices/${missingKey}`,
    '/v1/ledger/blocks/1',
    `/v1/ledger/blocks/${head.tip_hash}`,
    '/v1/ledger/blocks/xyz',
    '/v1/ledger/blocks/99999999',
    '/v1/poc/entropy/latest',
    '/v1/poc/entropy/0',
    '/v1/poc/entropy/x1',
    '/v1/poc/entropy/99999999',
    '/',
    '/index.html',
    '/assets/..%2fsecret',
    '/assets/missing.js',
  ]) {
    await get(p);
  }
  // A dashboard asset the page names, when the node serves a dashboard build.
  const index = await get('/index.html');
  const asset = index.status === 200 && index.text.match(/\/assets\/[^"']+/);
  if (asset) await get(asset[0]);

  await post('/v1/devices/query', JSON.stringify({ keys: [key, missingKey] }), json);
  await post('/v1/devices/query', '{"keys": "x"}', json);
  await post('/v1/reports', Buffer.from([0x0a, 0x02, 0x08, 0x01]), proto); // undecodable entry
  await post('/v1/reports', Buffer.from([0xff]), proto);
  await post('/v1/reports', 'x', { 'Content-Type': 'text/plain' });
  await post('/v1/reports', Buffer.alloc(2 * 1024 * 1024), proto);
  await post('/v1/ledger/tx', '{"tx_hex": "zz"}', json);
  await post('/v1/ledger/tx', '{"tx_hex": "00"}', json);
  await post('/v1/admin/devices', '{"devices": []}', json);
  await post('/v1/admin/devices', '{"devices": [{"key": 5}]}', { ...json, ...admin });
  await get('/v1/admin/denylist');
  await call(base, 'GET', '/v1/admin/denylist', { headers: admin });
  await post('/v1/admin/denylist', 'opendepin-denylist v1\n', { ...admin });
  await post('/v1/admin/denylist', 'x', {});
  await post('/v1/admin/epochs/x/rerun', '', admin);
  await post('/v1/admin/epochs/999999/rerun', '', admin);
  await post(`/v1/admin/epochs/${epoch}/rerun`, '', {});
  await post(`/v1/admin/epochs/${epoch}/rerun`, '', admin);

  // The real clients: a device registered and reporting, a transfer, a signed denylist.
  const work = path.dirname(data);
  const deviceKey = path.join(work, 'device.key');
  await depin(['keys', 'new', deviceKey]);
  await depin([
    'device',
    'register',
    '--server',
    base,
    '--token-file',
    path.join(data, 'keys', 'admin.token'),
    '--key',
    deviceKey,
    '--class',
    'wireless',
  ]);
  await depin(['device', 'submit', '--key', deviceKey, '--server', base, '--count', '2']);
  await depin([
    'tx',
    'transfer',
    '--node',
    base,
    '--key',
    path.join(data, 'keys', 'governance.key'),
    '--to',
    owner,
    '--amount',
    '1',
  ]);
  await depin([
    'admin',
    'denylist',
    '--data',
    data,
    '--node',
    base,
    '--version',
    '1',
    '--device',
    key,
  ]);
  await depin(['admin', 'denylist', '--data', data, '--node', base, '--version', '2']);
}

function coverageProblems() {
  const problems = [];
  for (const o of operations) {
    const statuses = [...seen.get(`${o.method} ${o.template}`)];
    const documentsClientError = Object.keys(o.op.responses).some((s) => /^4/.test(s));
    if (!statuses.some((s) => s >= 200 && s < 300)) {
      problems.push(`${o.method} ${o.template}: never answered with a success`);
    }
    const unreachable = unreachableErrors[`${o.method} ${o.template}`];
    if (documentsClientError && !unreachable && !statuses.some((s) => s >= 400)) {
      problems.push(`${o.method} ${o.template}: never answered with an error`);
    }
  }
  return problems;
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'depin-openapi-'));
  const data = path.join(work, 'net');
  let node, fleet, proxy;
  let ok = false;
  try {
    initNetwork(args.depin, data, '4s');
    const nodeArgs = ['node', '--data', data, '--dev', '--api', '127.0.0.1:0'];
    if (args.dashboard) nodeArgs.push('--dashboard', args.dashboard);
    node = start('node', [args.depin, ...nodeArgs]);
    const [, direct] = await waitForLine(node, /listening on (http:\/\/[^\s]+)/, 60000);
    proxy = await startProxy(direct);
    log('node at', direct, 'proxy at', proxy.base);
    fleet = start('fleet', [
      args.depin,
      'fleet',
      '--node',
      direct,
      '--data',
      data,
      '--devices',
      '12',
      '--classes',
      'wireless:50,hotspot:30,sensor:20',
      '--customers',
      '2',
      '--heartbeat',
      '1s',
      '--threads',
      '1',
      '--admin-token',
      path.join(data, 'keys', 'admin.token'),
    ]);
    await poll(
      'a closed epoch with rewards, and a PoC entropy entry',
      async () => {
        const h = await api(direct, '/v1/network/health?limit=5');
        const e = await fetch(direct + '/v1/poc/entropy/latest');
        return e.ok && h.items.some((r) => BigInt(r.minted) > 0n);
      },
      180000,
      500,
    );
    log('an epoch closed with rewards; calling every operation through the proxy');
    await exercise(proxy.base, data);
    const problems = [...violations, ...coverageProblems()];
    if (problems.length) {
      throw new Error(`${problems.length} contract violations:\n  ` + problems.join('\n  '));
    }
    const answered = [...seen.values()].reduce((n, s) => n + s.size, 0);
    log(`PASSED: ${operations.length} operations, ${answered} (operation, status) pairs checked`);
    ok = true;
  } finally {
    if (proxy) proxy.server.close();
    await tearDown({ node, fleet, ok, work, keep: args.keep, log, lines: 40 });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error('FAILED:', e.message);
    process.exit(1);
  },
);
