// Device page: ledger record, location, latest reward and flags, per-epoch history, and "why did
// I earn this" — the reward derivation of the chosen epoch.
//   /v1/devices/{key}                 record, history
//   /v1/epochs/{n}/devices/{key}      amount, Merkle proof, explanation
import { Device, Explanation, get } from '../api';
import { LineChart } from '../charts';
import { flagBadges, html, int, pct, short, time, tokenNumber, tokens } from '../format';
import type { Page } from '../main';

export function devicePage(): Page {
  let root: HTMLElement;
  let key = '';
  let chosen: string | null = null; // epoch picked by the user; null follows the latest
  let shownExplanation = '';
  let chart: LineChart | null = null;

  async function explain(epoch: string): Promise<void> {
    const box = root.querySelector('#why')!;
    const e = await get<Explanation>(`/v1/epochs/${epoch}/devices/${encodeURIComponent(key)}`);
    const id = `${epoch}/${e.cumulative}`;
    if (id === shownExplanation) return;
    shownExplanation = id;
    box.innerHTML = html`<div class="why-head">
        <span>Epoch <b>${e.epoch}</b></span>
        <span>earned <b>${tokens(e.amount ?? '0')}</b></span>
        <span>availability ${tokens(e.availability_amount ?? '0')}</span>
        <span>usage ${tokens(e.usage_amount ?? '0')}</span>
        <span>lifetime ${tokens(e.cumulative)}</span></div>
      <pre class="explanation" data-testid="explanation">${e.explanation}</pre>
      ${
        e.proof
          ? html`<details><summary>Merkle proof (leaf ${e.proof.leaf_index} of ${e.proof.leaf_count}, root ${short(e.root, 8)})</summary>
            <pre class="mono small">${e.proof.siblings.join('\n')}</pre></details>`
          : html`<p class="muted">No reward leaf: nothing to claim.</p>`
      }`.html;
  }

  async function refresh(): Promise<void> {
    const d = await get<Device>(`/v1/devices/${encodeURIComponent(key)}`);
    root.querySelector('#device-head')!.innerHTML = html`
      <div class="cards">
        <div class="card"><div class="card-label">Latest reward</div>
          <div class="card-value" data-testid="device-reward">${tokens(d.latest?.amount ?? '0')}</div>
          <div class="card-sub">${
            d.latest
              ? `epoch ${d.latest.epoch}`
              : d.latest_epoch != null
                ? `nothing in epoch ${d.latest_epoch} (no reports)`
                : 'no closed epoch yet'
          }</div></div>
        <div class="card"><div class="card-label">Claimed (lifetime)</div>
          <div class="card-value">${tokens(d.claimed ?? '0')}</div>
          <div class="card-sub">paid to the owner</div></div>
        <div class="card"><div class="card-label">Reports (latest epoch)</div>
          <div class="card-value">${int(d.latest?.valid_reports ?? 0)}</div>
          <div class="card-sub">${int(d.latest?.invalid_reports ?? 0)} invalid</div></div>
      </div>
      <div class="flags">${d.status && d.status !== 'active' ? html`<span class="badge bad">${d.status}</span>` : ''}${flagBadges(d.latest?.flags)}</div>
      <section class="panel"><table class="kv"><tbody>
        <tr><th>key</th><td class="mono">${d.key}</td></tr>
        <tr><th>owner</th><td><a class="mono" href="#/account/${d.owner}">${d.owner}</a></td></tr>
        <tr><th>maker</th><td class="mono">${short(d.maker, 10)}</td></tr>
        <tr><th>location</th><td>${d.lat == null ? 'not asserted' : `${d.lat.toFixed(5)}, ${d.lng!.toFixed(5)}`}
          ${d.cell_token ? html`<span class="muted">(S2 cell ${d.cell_token})</span>` : ''}</td></tr>
        <tr><th>onboarded</th><td>block ${d.onboarded_height} · ${time(d.onboarded_ms)}</td></tr>
      </tbody></table></section>`.html;
    const history = d.history ?? [];
    root.querySelector('#history')!.innerHTML = history.length
      ? html`<table><thead><tr><th>epoch</th><th class="num">reward</th><th class="num">valid</th>
          <th class="num">invalid</th><th>flags</th><th></th></tr></thead><tbody>${history.map(
            (h) => html`<tr class="${h.epoch === (chosen ?? history[0].epoch) ? 'sel' : ''}">
              <td>${h.epoch}</td><td class="num">${tokens(h.amount)}</td>
              <td class="num">${int(h.valid_reports)}</td><td class="num">${int(h.invalid_reports)}</td>
              <td>${h.flags.join(', ').replace(/_/g, ' ') || '–'}</td>
              <td><button class="link" data-epoch="${h.epoch}">why?</button></td></tr>`,
          )}</tbody></table>`.html
      : '<div class="empty">No closed epoch yet: the derivation appears when one closes.</div>';
    root.querySelectorAll<HTMLButtonElement>('#history button[data-epoch]').forEach((b) =>
      b.addEventListener('click', () => {
        chosen = b.dataset.epoch!;
        void refresh();
      }),
    );
    // A PoC hotspot's beacons and witnesses, or a station's batches and quality of data, per epoch.
    const physical = history.filter((h) => h.proofs);
    root.querySelector('#proofs')!.innerHTML = physical.length
      ? html`<table data-testid="proofs"><thead><tr><th>epoch</th><th class="num">beacons</th><th class="num">witnesses</th>
          <th class="num">sensor batches</th><th class="num">QoD</th><th class="num">units</th><th>flag</th></tr></thead><tbody>${physical.map(
            (h) => html`<tr><td>${h.epoch}</td><td class="num">${int(h.proofs!.beacons)}</td>
              <td class="num">${int(h.proofs!.witnesses)}</td><td class="num">${int(h.proofs!.sensor_batches)}</td>
              <td class="num">${h.proofs!.sensor_batches ? pct(h.proofs!.qod_ppm) : '–'}</td>
              <td class="num">${int(h.proofs!.availability_units)}</td>
              <td>${h.proof_flag ? html`<span class="badge bad" title="${h.proof_flag.evidence}">${h.proof_flag.reason.replace(/_/g, ' ')}</span>` : '–'}</td></tr>`,
          )}</tbody></table>`.html
      : '<div class="empty">No beacons, witnesses or sensor data in the closed epochs.</div>';
    const rows = [...history].reverse();
    chart!.setData(
      rows.map((h) => Number(h.epoch)),
      [rows.map((h) => tokenNumber(h.amount))],
    );
    const epoch = chosen ?? (history.length ? String(history[0].epoch) : undefined);
    if (epoch != null) await explain(epoch);
  }

  return {
    async mount(el, params) {
      root = el;
      key = params[0] ?? '';
      root.innerHTML = html`<h1>Device <span class="mono">${short(key, 8)}</span></h1>
        <div id="device-head"></div>
        <div class="grid2">
          <section class="panel"><h3>Why did I earn this?</h3><div id="why"><div class="empty">Waiting for a closed epoch…</div></div></section>
          <section class="panel"><h3>Reward per epoch</h3><div id="device-chart"></div><div class="scroll" id="history"></div></section>
        </div>
        <section class="panel"><h3>Physical proofs <small>coverage: beacons and witnesses sent; sensors: batches and quality of data, per epoch</small></h3>
          <div class="scroll" id="proofs"></div></section>`.html;
      chart = new LineChart(root.querySelector('#device-chart')!, [
        { label: 'reward (tokens)', color: '#2f9e44', fill: true },
      ]);
      await refresh();
    },
    refresh,
    unmount() {
      chart?.destroy();
    },
  };
}
