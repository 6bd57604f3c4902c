// Ledger explorer: latest blocks (paged, live), one block, one transaction, one account, and a
// search box that takes a height, a 64-hex tx id or a base58 address/device key.
//   /v1/explorer/blocks, /v1/explorer/blocks/{h}, /v1/explorer/tx/{id}, /v1/explorer/accounts/{a}
import { Account, BlockDetail, BlockRow, get, PageOf, Tx } from '../api';
import { ago, html, int, Raw, short, time, tokens } from '../format';
import type { Page } from '../main';

function searchBox(): string {
  return `<form class="search" id="search"><input name="q" placeholder="block height, tx id or address" aria-label="search">
    <button>Go</button></form>`;
}

function wireSearch(root: HTMLElement): void {
  root.querySelector<HTMLFormElement>('#search')?.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = (root.querySelector<HTMLInputElement>('#search input')!.value || '').trim();
    if (/^\d+$/.test(q)) location.hash = '#/block/' + q;
    else if (/^[0-9a-fA-F]{64}$/.test(q)) location.hash = '#/tx/' + q.toLowerCase();
    else if (q) location.hash = '#/account/' + encodeURIComponent(q);
  });
}

const accountLink = (a: string): Raw =>
  html`<a class="mono" href="#/account/${encodeURIComponent(a)}">${short(a)}</a>`;
const txLink = (id: string): Raw => html`<a class="mono" href="#/tx/${id}">${short(id, 8)}</a>`;

// Renders a tx body's fields: keys become account links, amounts tokens.
function bodyRows(body: Record<string, unknown>): Raw {
  return html`${Object.entries(body).map(([k, v]) => {
    const s = v == null ? '–' : String(v);
    let cell: Raw | string = s;
    if (typeof v === 'string' && /^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(v)) cell = accountLink(v);
    else if (/amount|minted|cumulative/.test(k) && /^\d+$/.test(s))
      cell = html`${tokens(s)} <span class="muted">(${int(s)} base units)</span>`;
    return html`<tr><th>${k.replace(/_/g, ' ')}</th><td class="wrap">${cell}</td></tr>`;
  })}`;
}

export function explorerPage(): Page {
  let root: HTMLElement;
  let offset = 0;
  const limit = 20;

  async function refresh(): Promise<void> {
    const page = await get<PageOf<BlockRow>>(`/v1/explorer/blocks?offset=${offset}&limit=${limit}`);
    root.querySelector('#blocks')!.innerHTML = page.items.length
      ? html`<table data-testid="blocks-table"><thead><tr><th>height</th><th>hash</th><th>time</th><th class="num">txs</th><th>producer</th></tr></thead>
          <tbody>${page.items.map(
            (b) => html`<tr class="block-row">
            <td><a href="#/block/${b.height}">${b.height}</a></td><td class="mono">${short(b.hash, 8)}</td>
            <td title="${time(b.timestamp_ms)}">${ago(b.timestamp_ms)}</td><td class="num">${b.tx_count}</td>
            <td>${accountLink(b.producer)}</td></tr>`,
          )}</tbody></table>`.html
      : '<div class="empty">No blocks yet: the ledger is at genesis.</div>';
    root.querySelector('#blocks-pager')!.innerHTML =
      html`<button ${offset === 0 ? 'disabled' : ''} data-dir="-1">newer</button>
      <span>${page.total ? `${offset + 1}–${offset + page.items.length} of ${page.total}` : ''}</span>
      <button ${offset + limit >= page.total ? 'disabled' : ''} data-dir="1">older</button>`.html;
    root.querySelectorAll<HTMLButtonElement>('#blocks-pager button').forEach((b) =>
      b.addEventListener('click', () => {
        offset = Math.max(0, offset + Number(b.dataset.dir) * limit);
        void refresh();
      }),
    );
  }

  return {
    async mount(el) {
      root = el;
      root.innerHTML = `<h1>Ledger explorer</h1>${searchBox()}
        <section class="panel"><h3>Latest blocks</h3><div class="scroll" id="blocks"></div><div class="pager" id="blocks-pager"></div></section>`;
      wireSearch(root);
      await refresh();
    },
    refresh,
  };
}

export function blockPage(): Page {
  return {
    async mount(root, params) {
      const b = await get<BlockDetail>(
        `/v1/explorer/blocks/${encodeURIComponent(params[0] ?? '')}`,
      );
      const h = Number(b.height);
      root.innerHTML = html`<h1>Block ${b.height}</h1>${new Raw(searchBox())}
        <div class="pager"><a href="#/block/${h - 1}" class="${h <= 1 ? 'hidden' : ''}">← ${h - 1}</a>
          <a href="#/explorer">latest blocks</a><a href="#/block/${h + 1}">${h + 1} →</a></div>
        <section class="panel"><table class="kv"><tbody>
          <tr><th>hash</th><td class="mono wrap">${b.hash}</td></tr>
          <tr><th>previous</th><td class="mono wrap">${b.prev_hash}</td></tr>
          <tr><th>time</th><td>${time(b.timestamp_ms)}</td></tr>
          <tr><th>producer</th><td>${accountLink(b.producer)}</td></tr>
          <tr><th>tx root</th><td class="mono wrap">${b.tx_root}</td></tr>
          <tr><th>state hash</th><td class="mono wrap">${b.state_hash}</td></tr>
        </tbody></table></section>
        <section class="panel"><h3>${b.txs.length} transactions</h3><div class="scroll"><table>
          <thead><tr><th>#</th><th>id</th><th>kind</th><th>signer</th><th class="num">fee</th></tr></thead>
          <tbody>${b.txs.map(
            (
              t,
            ) => html`<tr><td>${t.index}</td><td>${txLink(t.tx_id)}</td><td>${t.kind.replace(/_/g, ' ')}</td>
            <td>${accountLink(t.signer)}</td><td class="num">${tokens(t.fee)}</td></tr>`,
          )}</tbody></table></div></section>`.html;
      wireSearch(root);
    },
  };
}

export function txPage(): Page {
  return {
    async mount(root, params) {
      const t = await get<Tx>(`/v1/explorer/tx/${encodeURIComponent(params[0] ?? '')}`);
      root.innerHTML =
        html`<h1>Transaction <span class="mono">${short(t.tx_id, 8)}</span></h1>${new Raw(searchBox())}
        <section class="panel"><table class="kv"><tbody>
          <tr><th>id</th><td class="mono wrap">${t.tx_id}</td></tr>
          <tr><th>kind</th><td><span class="badge info">${t.kind.replace(/_/g, ' ')}</span></td></tr>
          <tr><th>block</th><td><a href="#/block/${t.height}">${t.height}</a> (index ${t.index}) · ${time(t.timestamp_ms ?? 0)}</td></tr>
          <tr><th>signer</th><td>${accountLink(t.signer)} · nonce ${t.nonce} · fee ${tokens(t.fee)}</td></tr>
          <tr><th>co-signers</th><td>${t.cosigners.length ? t.cosigners.map((c) => accountLink(c)) : '–'}</td></tr>
          <tr><th>format</th><td>${t.format}</td></tr>
          ${bodyRows(t.body)}
        </tbody></table></section>`.html;
      wireSearch(root);
    },
  };
}

export function accountPage(): Page {
  let root: HTMLElement;
  let address = '';
  async function refresh(): Promise<void> {
    const a = await get<Account>(`/v1/explorer/accounts/${encodeURIComponent(address)}`);
    root.querySelector('#account')!.innerHTML = html`
      <div class="cards">
        <div class="card"><div class="card-label">Balance</div><div class="card-value">${tokens(a.balance)}</div><div class="card-sub">tokens</div></div>
        <div class="card"><div class="card-label">Data credits</div><div class="card-value">${int(a.credits)}</div><div class="card-sub">not delegated</div></div>
        <div class="card"><div class="card-label">Nonce</div><div class="card-value">${a.nonce}</div><div class="card-sub">transactions sent</div></div>
        <div class="card"><div class="card-label">Devices owned</div><div class="card-value">${a.devices.length}</div><div class="card-sub">${a.device ? 'this key is a device' : ''}</div></div>
      </div>
      ${a.device ? html`<p>This address is a device: <a href="#/device/${a.address}">open its reward page</a>.</p>` : ''}
      <div class="grid2">
        <section class="panel"><h3>Recent transactions</h3><div class="scroll"><table><thead><tr><th>id</th><th>kind</th><th>block</th></tr></thead>
          <tbody>${a.recent_txs.map(
            (t) => html`<tr><td>${txLink(t.tx_id)}</td><td>${t.kind.replace(/_/g, ' ')}</td>
            <td><a href="#/block/${t.height}">${t.height}</a></td></tr>`,
          )}</tbody></table></div></section>
        <section class="panel"><h3>Devices</h3>${
          a.devices.length
            ? html`<ul class="cols">${a.devices.map((d) => html`<li><a class="mono" href="#/device/${d}">${short(d)}</a></li>`)}</ul>`
            : html`<p class="muted">none</p>`
        }</section>
      </div>`.html;
  }
  return {
    async mount(el, params) {
      root = el;
      address = params[0] ?? '';
      root.innerHTML =
        html`<h1>Account <span class="mono">${short(address, 8)}</span></h1>${new Raw(searchBox())}
        <p class="mono wrap muted">${address}</p><div id="account"></div>`.html;
      wireSearch(root);
      await refresh();
    },
    refresh,
  };
}
