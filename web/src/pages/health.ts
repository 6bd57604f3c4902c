// Network health: the questions analysts ask of a DePIN, per closed epoch.
//   /v1/network/summary  the network now (cards)
//   /v1/network/health   per-epoch rows (charts and the table)
import { get, HealthRow, PageOf, Summary } from '../api';
import { LineChart } from '../charts';
import { html, int, pct, tokenNumber, tokens } from '../format';
import type { Page } from '../main';

const EPOCHS = 200;

export function healthPage(): Page {
  let root: HTMLElement;
  const charts: LineChart[] = [];

  function card(id: string, label: string, value: string, sub = '', raw = ''): string {
    return html`<div class="card" data-testid="${id}" data-value="${raw}">
      <div class="card-label">${label}</div>
      <div class="card-value">${value}</div>
      <div class="card-sub">${sub}</div></div>`.html;
  }

  async function refresh(): Promise<void> {
    const [s, h] = await Promise.all([
      get<Summary>('/v1/network/summary'),
      get<PageOf<HealthRow>>(`/v1/network/health?limit=${EPOCHS}`),
    ]);
    const latest = h.items[0];
    const ingest = s.ingest;
    const rejected = ingest ? Object.values(ingest.rejected).reduce((a, b) => a + b, 0) : 0;
    root.querySelector('#cards-epoch')!.innerHTML = latest
      ? [
          card(
            'kpi-burned',
            'Value of DC burned (demand)',
            tokens(latest.dc_burned_value),
            `${int(latest.dc_burned)} DC in epoch ${latest.epoch}`,
            latest.dc_burned_value,
          ),
          card(
            'kpi-emitted',
            'Tokens emitted (subsidy)',
            tokens(latest.minted),
            `of ${tokens(latest.emission)} allowed`,
            latest.minted,
          ),
          card(
            'kpi-demand',
            'Demand / subsidy',
            pct(latest.demand_to_subsidy_ppm, 2),
            'value burned per token emitted',
            String(latest.demand_to_subsidy_ppm),
          ),
          card(
            'kpi-active',
            'Active / registered devices',
            `${int(latest.active_devices)} / ${int(latest.registered_devices)}`,
            `${int(latest.rewarded_devices)} rewarded, ${int(latest.flagged_devices)} flagged`,
            String(latest.active_devices),
          ),
          card(
            'kpi-invalid',
            'Invalid reports',
            pct(latest.invalid_rate_ppm, 2),
            `${int(latest.invalid_reports)} of ${int(Number(latest.valid_reports) + Number(latest.invalid_reports))}`,
            String(latest.invalid_rate_ppm),
          ),
          card(
            'kpi-top10',
            'Top-10 owners’ share',
            pct(latest.top10_owner_share_ppm),
            'of device rewards',
            String(latest.top10_owner_share_ppm),
          ),
        ].join('')
      : `<div class="empty">No epoch has closed yet (epoch ${s.current_epoch} is running; one lasts ${int(
          Math.round(Number(s.epoch_length_ms) / 1000),
        )} s). Charts appear when the first one closes.</div>`;
    root.querySelector('#cards-now')!.innerHTML = [
      card(
        'kpi-height',
        'Block height',
        int(s.height),
        `epoch ${s.current_epoch} running`,
        String(s.height),
      ),
      card(
        'kpi-devices',
        'Devices',
        int(s.registered_devices),
        `${int(s.covered_cells)} covered cells`,
        String(s.registered_devices),
      ),
      card('kpi-supply', 'Supply', tokens(s.supply, 0), `${tokens(s.minted, 2)} minted`, s.supply),
      card(
        'kpi-ledger-burned',
        'Burned on the ledger',
        tokens(s.burned),
        `${tokens(s.burned_for_credits)} for data credits`,
        s.burned,
      ),
      card(
        'kpi-credits',
        'Data credits spent',
        int(s.credits_spent),
        `${int(s.credits_minted)} minted`,
        s.credits_spent,
      ),
      card(
        'kpi-ingest',
        'Reports accepted',
        int(ingest?.accepted ?? 0),
        `${int(rejected)} rejected, ${int(ingest?.duplicate ?? 0)} duplicate`,
        String(ingest?.accepted ?? 0),
      ),
    ].join('');

    const rows = [...h.items].reverse();
    const x = rows.map((r) => Number(r.epoch));
    charts[0].setData(x, [
      rows.map((r) => tokenNumber(r.dc_burned_value)),
      rows.map((r) => tokenNumber(r.minted)),
    ]);
    charts[1].setData(x, [
      rows.map((r) => r.registered_devices),
      rows.map((r) => r.active_devices),
    ]);
    charts[2].setData(x, [rows.map((r) => r.invalid_rate_ppm / 10_000)]);
    charts[3].setData(x, [rows.map((r) => r.top10_owner_share_ppm / 10_000)]);

    const reasons = latest
      ? Object.entries(latest.invalid_by_reason).sort((a, b) => b[1] - a[1])
      : [];
    root.querySelector('#reasons')!.innerHTML = reasons.length
      ? html`<table><thead><tr><th>reason</th><th class="num">reports</th></tr></thead><tbody>${reasons.map(
          ([k, v]) => html`<tr><td>${k.replace(/_/g, ' ')}</td><td class="num">${int(v)}</td></tr>`,
        )}</tbody></table>`.html
      : '<div class="empty">No invalid reports in the latest epoch.</div>';
    const classes = latest?.by_class ?? [];
    root.querySelector('#by-class')!.innerHTML = classes.length
      ? html`<table data-testid="by-class"><thead><tr><th>class</th><th class="num">devices</th><th class="num">active</th>
          <th class="num">rewarded</th><th class="num">flagged</th><th class="num">by coverage / QoD</th>
          <th class="num">invalid</th><th>invalid by reason</th></tr></thead><tbody>${classes.map(
            (c) => html`<tr><td>${c.resource_class}</td><td class="num">${int(c.devices)}</td>
              <td class="num">${int(c.active_devices)}</td><td class="num">${int(c.rewarded_devices)}</td>
              <td class="num">${int(c.flagged_devices)}</td><td class="num">${int(c.proof_flagged_devices)}</td>
              <td class="num">${int(c.invalid_reports)}</td>
              <td>${
                Object.entries(c.invalid_by_reason)
                  .sort((a, b) => b[1] - a[1])
                  .map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`)
                  .join(', ') || '–'
              }</td></tr>`,
          )}</tbody></table>`.html
      : '<div class="empty">No closed epoch yet.</div>';
    root.querySelector('#health-table')!.innerHTML = html`<table>
      <thead><tr><th>epoch</th><th class="num">DC burned</th><th class="num">value</th><th class="num">emitted</th>
      <th class="num">active / registered</th><th class="num">invalid</th><th class="num">top-10</th></tr></thead>
      <tbody>${h.items.slice(0, 20).map(
        (r) => html`<tr><td>${r.epoch}</td><td class="num">${int(r.dc_burned)}</td>
          <td class="num">${tokens(r.dc_burned_value)}</td><td class="num">${tokens(r.minted)}</td>
          <td class="num">${r.active_devices} / ${r.registered_devices}</td>
          <td class="num">${pct(r.invalid_rate_ppm, 2)}</td><td class="num">${pct(r.top10_owner_share_ppm)}</td></tr>`,
      )}</tbody></table>`.html;
  }

  return {
    async mount(el) {
      root = el;
      root.innerHTML = `
        <h1>Network health</h1>
        <h2 class="section">Latest closed epoch</h2>
        <div class="cards" id="cards-epoch"></div>
        <h2 class="section">The network now</h2>
        <div class="cards" id="cards-now"></div>
        <div class="grid2">
          <section class="panel"><h3>Real demand vs subsidy <small>tokens per epoch</small></h3><div id="c-demand"></div></section>
          <section class="panel"><h3>Devices <small>registered vs active</small></h3><div id="c-devices"></div></section>
          <section class="panel"><h3>Invalid reports <small>% of judged reports</small></h3><div id="c-invalid"></div>
            <div id="reasons"></div></section>
          <section class="panel"><h3>Owner concentration <small>top-10 owners’ % of rewards</small></h3><div id="c-top10"></div></section>
        </div>
        <section class="panel"><h3>By resource class <small>latest closed epoch: flagged devices and invalid reports by reason</small></h3>
          <div class="scroll" id="by-class"></div></section>
        <section class="panel"><h3>Per epoch</h3><div class="scroll" id="health-table"></div></section>`;
      const t = (v: number | null) =>
        v == null ? '–' : v.toLocaleString(undefined, { maximumFractionDigits: 4 });
      const p = (v: number | null) => (v == null ? '–' : v.toFixed(2) + ' %');
      charts.push(
        new LineChart(root.querySelector('#c-demand')!, [
          { label: 'value of DC burned', color: '#2f9e44', fill: true, value: t },
          { label: 'tokens emitted', color: '#e8590c', value: t },
        ]),
        new LineChart(root.querySelector('#c-devices')!, [
          { label: 'registered', color: '#868e96' },
          { label: 'active', color: '#1c7ed6', fill: true },
        ]),
        new LineChart(
          root.querySelector('#c-invalid')!,
          [{ label: 'invalid', color: '#e03131', fill: true, value: p }],
          {
            yRange: [0, 100],
          },
        ),
        new LineChart(
          root.querySelector('#c-top10')!,
          [{ label: 'top-10 share', color: '#7048e8', fill: true, value: p }],
          {
            yRange: [0, 100],
          },
        ),
      );
      await refresh();
    },
    refresh,
    unmount() {
      charts.forEach((c) => c.destroy());
    },
  };
}
