// Dashboard shell: hash routing (#/health, #/map, #/epochs, #/explorer, #/device/KEY,
// #/block/N, #/tx/ID, #/account/ADDR) and live updates: the current page's refresh() runs every
// few seconds (no reload), and the header shows whether the node answered.
import 'leaflet/dist/leaflet.css';
import 'uplot/dist/uPlot.min.css';
import './style.css';

import { get, Summary } from './api';
import { setTokenDecimals } from './format';
import { healthPage } from './pages/health';
import { mapPage } from './pages/map';
import { epochsPage } from './pages/epochs';
import { devicePage } from './pages/device';
import { explorerPage, blockPage, txPage, accountPage } from './pages/explorer';

export interface Page {
  // Renders into `root`; `params` are the hash path's segments after the page name.
  mount(root: HTMLElement, params: string[]): Promise<void>;
  // Fetches fresh data and updates in place (called every POLL_MS while mounted).
  refresh?(): Promise<void>;
  unmount?(): void;
}

const POLL_MS = 3000;
const routes: Record<string, () => Page> = {
  health: healthPage,
  map: mapPage,
  epochs: epochsPage,
  device: devicePage,
  explorer: explorerPage,
  block: blockPage,
  tx: txPage,
  account: accountPage,
};
const navOf: Record<string, string> = {
  device: 'map',
  block: 'explorer',
  tx: 'explorer',
  account: 'explorer',
};

const app = document.getElementById('app')!;
let current: Page | null = null;
let generation = 0;

function setLive(ok: boolean, text: string): void {
  const el = document.getElementById('live')!;
  el.classList.toggle('down', !ok);
  document.getElementById('live-text')!.textContent = text;
}

async function route(): Promise<void> {
  const parts = location.hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent);
  const name = routes[parts[0]] ? parts[0] : 'health';
  current?.unmount?.();
  const page = routes[name]();
  current = page;
  const gen = ++generation;
  document.querySelectorAll<HTMLAnchorElement>('#nav a').forEach((a) => {
    a.classList.toggle('active', a.dataset.page === (navOf[name] ?? name));
  });
  app.innerHTML = '';
  app.dataset.page = name;
  const root = document.createElement('div');
  root.className = 'page page-' + name;
  app.appendChild(root);
  try {
    await page.mount(root, parts.slice(1));
    if (gen === generation) setLive(true, 'live');
  } catch (e) {
    if (gen === generation) showError(root, e);
  }
}

export function showError(root: HTMLElement, e: unknown): void {
  const div = document.createElement('div');
  div.className = 'error-box';
  div.textContent = e instanceof Error ? e.message : String(e);
  root.prepend(div);
}

async function poll(): Promise<void> {
  try {
    const page = current;
    if (page?.refresh) await page.refresh();
    else await get<Summary>('/v1/network/summary');
    setLive(true, 'live · ' + new Date().toLocaleTimeString());
  } catch {
    setLive(false, 'node unreachable');
  }
}

async function start(): Promise<void> {
  try {
    const s = await get<Summary>('/v1/network/summary');
    setTokenDecimals(s.token_decimals);
    document.title = `${s.network} · OpenDePIN`;
  } catch {
    setLive(false, 'node unreachable');
  }
  window.addEventListener('hashchange', () => void route());
  await route();
  window.setInterval(() => void poll(), POLL_MS);
}

void start();
