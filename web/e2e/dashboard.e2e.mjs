// End-to-end test of the dashboard: the real `depin init` + `depin node --dev` (short epochs) +
// `depin fleet` (emulated devices and customers), driven through Debian's Chromium with
// playwright-core. Checks: the map shows device markers, the health panel shows non-zero burned
// and emitted values after an epoch closed, clicking a device shows its reward derivation, the
// explorer lists blocks. Saves a screenshot of each page into --out. Waits on conditions (page
// selectors, API polling with deadlines), never on fixed sleeps.
//
//   node web/e2e/dashboard.e2e.mjs --depin build/bin/depin --dashboard build/dashboard \
//        --out build/e2e-artifacts [--devices 50] [--epoch 8s] [--keep]
// Exit 0: passed; 1: failed (the reason, then the node's and fleet's log tails); 77: skipped
// (no /usr/bin/chromium).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { api, initNetwork, poll, start, tearDown, waitForLine } from './procs.mjs';

const CHROMIUM = '/usr/bin/chromium';

function parseArgs(argv) {
  const out = { devices: 50, epoch: '8s', keep: false };
  for (let i = 2; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--keep') out.keep = true;
    else if (a.startsWith('--')) out[a.slice(2)] = argv[++i];
  }
  for (const need of ['depin', 'dashboard', 'out']) {
    if (!out[need]) throw new Error(`missing --${need}`);
  }
  out.devices = Number(out.devices);
  return out;
}

const args = parseArgs(process.argv);
const t0 = Date.now();
const log = (...m) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...m);

async function main() {
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`SKIPPED: ${CHROMIUM} is missing (scripts/install-deps.sh installs chromium)`);
    process.exit(77);
  }
  if (!fs.existsSync(path.join(args.dashboard, 'index.html'))) {
    throw new Error(`${args.dashboard}/index.html is missing: build the dashboard target first`);
  }
  fs.mkdirSync(args.out, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'depin-e2e-'));
  const data = path.join(work, 'net');
  let node, fleet, browser;
  let ok = false;
  try {
    initNetwork(args.depin, data, args.epoch);

    node = start('node', [
      args.depin,
      'node',
      '--data',
      data,
      '--dev',
      '--api',
      '127.0.0.1:0',
      '--dashboard',
      args.dashboard,
      '--log-level',
      'info',
    ]);
    const [, base] = await waitForLine(node, /listening on (http:\/\/[^\s]+)/, 60000);
    log('node at', base);

    fleet = start('fleet', [
      args.depin,
      'fleet',
      '--node',
      base,
      '--data',
      data,
      '--devices',
      String(args.devices),
      '--customers',
      '3',
      '--heartbeat',
      '1s',
      '--threads',
      '1',
      '--admin-token',
      path.join(data, 'keys', 'admin.token'),
    ]);
    await poll(
      `${args.devices} devices on the ledger`,
      async () => {
        const s = await api(base, '/v1/network/summary');
        return s.registered_devices >= args.devices && s.located_devices >= args.devices;
      },
      180000,
    );
    log('devices onboarded');
    // An epoch with the fleet's reports and usage closed: tokens emitted and data credits burned.
    const epoch = await poll(
      'a closed epoch with emitted tokens and burned data credits',
      async () => {
        const h = await api(base, '/v1/network/health?limit=50');
        return h.items.find(
          (e) => BigInt(e.minted) > 0n && BigInt(e.dc_burned_value) > 0n && e.active_devices > 0,
        );
      },
      240000,
      500,
    );
    log(
      `epoch ${epoch.epoch}: emitted ${epoch.minted}, DC burned ${epoch.dc_burned} worth ${epoch.dc_burned_value}`,
    );

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Offline: the page may only talk to the node (no CDN, no tile server).
    const foreign = [];
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(base) && !u.startsWith('data:')) foreign.push(u);
    });
    const shot = (name) => page.screenshot({ path: path.join(args.out, name), fullPage: true });

    // Health: non-zero burned and emitted values.
    await page.goto(base + '/#/health');
    await page.waitForFunction(
      () => {
        const v = (id) => document.querySelector(`[data-testid=${id}]`)?.getAttribute('data-value');
        return BigInt(v('kpi-burned') || '0') > 0n && BigInt(v('kpi-emitted') || '0') > 0n;
      },
      null,
      { timeout: 30000 },
    );
    await page.waitForSelector('#c-demand .uplot', { timeout: 10000 });
    await shot('health.png');
    log('health panel shows burned and emitted');

    // Map: one marker per located device.
    await page.goto(base + '/#/map');
    await page.waitForFunction(
      (n) => document.querySelectorAll('path.device-marker').length >= n,
      args.devices,
      { timeout: 30000 },
    );
    await page.waitForFunction(() => document.querySelectorAll('path.cell-poly').length > 0, null, {
      timeout: 10000,
    });
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.leaflet-overlay-pane path:not(.device-marker):not(.cell-poly)')
          .length > 100,
    ); // countries
    await shot('map.png');
    log('map shows', await page.locator('path.device-marker').count(), 'device markers');

    // Clicking a rewarded device opens its page with the derivation.
    const key = await page.evaluate(async () => {
      const res = await fetch('/v1/devices?limit=1000');
      const items = (await res.json()).items;
      return items.find((d) => d.latest && BigInt(d.latest.amount) > 0n)?.key ?? items[0].key;
    });
    const marker = page.locator(`path.device-marker[data-key="${key}"]`);
    await marker.dispatchEvent('click');
    await page.waitForURL(`**/#/device/${key}`, { timeout: 10000 });
    const explanation = await page.waitForSelector('[data-testid=explanation]', { timeout: 20000 });
    const text = await explanation.textContent();
    if (!/epoch/i.test(text) || text.length < 80)
      throw new Error(`explanation looks empty: ${text}`);
    await shot('device.png');
    log('device page explains the reward:', text.split('\n')[0]);

    // Epochs: the list and the latest epoch's detail with its claim status.
    await page.goto(base + '/#/epochs');
    await page.waitForSelector('[data-testid=epoch-detail]', { timeout: 20000 });
    await shot('epochs.png');

    // Explorer: latest blocks.
    await page.goto(base + '/#/explorer');
    await page.waitForFunction(() => document.querySelectorAll('tr.block-row').length > 0, null, {
      timeout: 20000,
    });
    await shot('explorer.png');
    log('explorer lists', await page.locator('tr.block-row').count(), 'blocks');
    await page.locator('tr.block-row a').first().click();
    await page.waitForSelector('text=transactions', { timeout: 10000 });
    await shot('block.png');

    // Phone-sized screen.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
    });
    const p2 = await phone.newPage();
    await p2.goto(base + '/#/health');
    await p2.waitForSelector('[data-testid=kpi-emitted]', { timeout: 20000 });
    await p2.screenshot({ path: path.join(args.out, 'phone-health.png'), fullPage: false });
    await p2.goto(base + '/#/map');
    await p2.waitForFunction(
      () => document.querySelectorAll('path.device-marker').length > 0,
      null,
      { timeout: 20000 },
    );
    await p2.screenshot({ path: path.join(args.out, 'phone-map.png'), fullPage: false });

    if (pageErrors.length) throw new Error('page errors: ' + pageErrors.join(' | '));
    if (foreign.length)
      throw new Error('requests outside the node: ' + foreign.slice(0, 5).join(', '));
    ok = true;
    log('PASSED; screenshots in', args.out);
  } finally {
    if (browser) await browser.close().catch(() => {});
    await tearDown({ node, fleet, ok, work, keep: args.keep, log });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error('FAILED:', e.message);
    process.exit(1);
  },
);
