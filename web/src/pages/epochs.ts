// Epochs: emission, minted, pools, unallocated, manifest root and claim status per closed epoch.
//   /v1/epochs          the list;   /v1/epochs/{n}   one epoch in full (pools, recipients, ...)
import { Epoch, get, PageOf } from '../api';
import { html, int, Raw, short, time, tokens } from '../format';
import type { Page } from '../main';

export function epochsPage(): Page {
  let root: HTMLElement;
  let open: string | null = null;
  let offset = 0;
  const limit = 25;

  function status(e: Epoch): Raw {
    return html`<span class="badge ${e.claim.status === 'claimed' ? 'ok' : e.claim.status === 'root_mismatch' ? 'bad' : 'info'}">${e.claim.status.replace('_', ' ')}</span>`;
  }

  async function detail(n: string): Promise<void> {
    const box = root.querySelector('#epoch-detail')!;
    const e = await get<Epoch>(`/v1/epochs/${n}`);
    box.innerHTML = html`<section class="panel" data-testid="epoch-detail">
      <h3>Epoch ${e.epoch} <small>${time(e.start_ms)} → ${time(e.end_ms)}</small></h3>
      <table class="kv"><tbody>
        <tr><th>emission</th><td>${tokens(e.emission)}</td></tr>
        <tr><th>minted</th><td>${tokens(e.minted)} <span class="muted">(${tokens(e.device_rewards)} to ${int(e.rewarded_devices)} devices)</span></td></tr>
        <tr><th>unallocated</th><td>${tokens(e.unallocated)}</td></tr>
        <tr><th>reward root</th><td class="mono wrap">${e.root}</td></tr>
        <tr><th>manifest SHA-256</th><td class="mono wrap">${e.manifest_hash}</td></tr>
        <tr><th>claim status</th><td>${status(e)}
          ${int(e.claim.claimed_leaves)} of ${int(e.claim.device_leaves)} device leaves claimed</td></tr>
      </tbody></table>
      <h4>Pools</h4>
      <div class="scroll"><table><thead><tr><th>pool</th><th>kind</th><th class="num">share</th><th class="num">budget</th>
        <th class="num">overflow in / out</th><th class="num">paid</th><th class="num">unallocated</th></tr></thead><tbody>
        ${e.pools.map(
          (
            p,
          ) => html`<tr><td>${p.name}</td><td>${p.kind}</td><td class="num">${(p.share_ppm / 10000).toFixed(1)} %</td>
          <td class="num">${tokens(p.budget)}</td><td class="num">${tokens(p.overflow_in ?? '0')} / ${tokens(p.overflow_out ?? '0')}</td>
          <td class="num">${tokens(p.paid)}</td><td class="num">${tokens(p.unallocated)}</td></tr>`,
        )}
      </tbody></table></div>
      <h4>Unallocated</h4>
      ${
        e.unallocated_entries?.length
          ? html`<ul>${e.unallocated_entries.map((u) => html`<li>${u.pool || 'emission split'}: ${tokens(u.amount)} (${u.reason.replace(/_/g, ' ')})</li>`)}</ul>`
          : html`<p class="muted">nothing</p>`
      }
      <h4>Top devices</h4>
      <ol>${(e.top_devices ?? []).map((d) => html`<li><a class="mono" href="#/device/${d.device}">${short(d.device)}</a> ${tokens(d.amount)}</li>`)}</ol>
    </section>`.html;
  }

  async function refresh(): Promise<void> {
    const list = await get<PageOf<Epoch>>(`/v1/epochs?offset=${offset}&limit=${limit}`);
    root.querySelector('#epochs-table')!.innerHTML = list.items.length
      ? html`<table><thead><tr><th>epoch</th><th>ended</th><th class="num">emission</th><th class="num">minted</th>
          <th class="num">unallocated</th><th>pools (paid)</th><th>root</th><th>claims</th></tr></thead><tbody>
          ${list.items.map(
            (
              e,
            ) => html`<tr class="clickable ${String(e.epoch) === open ? 'sel' : ''}" data-epoch="${e.epoch}">
            <td>${e.epoch}</td><td>${time(e.end_ms)}</td><td class="num">${tokens(e.emission)}</td>
            <td class="num">${tokens(e.minted)}</td><td class="num">${tokens(e.unallocated)}</td>
            <td class="small">${e.pools.map((p) => `${p.name} ${tokens(p.paid, 2)}`).join(' · ')}</td>
            <td class="mono">${short(e.root, 6)}</td>
            <td>${status(e)} ${e.claim.claimed_leaves}/${e.claim.device_leaves}</td></tr>`,
          )}
          </tbody></table>`.html
      : '<div class="empty">No epoch has closed yet.</div>';
    root.querySelector('#epochs-pager')!.innerHTML =
      html`<button ${offset === 0 ? 'disabled' : ''} data-dir="-1">newer</button>
      <span>${list.total ? `${offset + 1}–${offset + list.items.length} of ${list.total}` : ''}</span>
      <button ${offset + limit >= list.total ? 'disabled' : ''} data-dir="1">older</button>`.html;
    root.querySelectorAll<HTMLTableRowElement>('tr[data-epoch]').forEach((tr) =>
      tr.addEventListener('click', () => {
        open = tr.dataset.epoch!;
        void refresh();
      }),
    );
    root.querySelectorAll<HTMLButtonElement>('#epochs-pager button').forEach((b) =>
      b.addEventListener('click', () => {
        offset = Math.max(0, offset + Number(b.dataset.dir) * limit);
        void refresh();
      }),
    );
    if (open == null && list.items.length) open = String(list.items[0].epoch);
    if (open != null) await detail(open);
  }

  return {
    async mount(el) {
      root = el;
      root.innerHTML = `<h1>Epochs</h1>
        <section class="panel"><div class="scroll" id="epochs-table"></div><div class="pager" id="epochs-pager"></div></section>
        <div id="epoch-detail"></div>`;
      await refresh();
    },
    refresh,
  };
}
