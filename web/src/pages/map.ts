// Map of devices and covered S2 cells, coloured by the latest epoch's reward or by flags.
// Offline: the base map is world-atlas country shapes drawn as a GeoJSON layer (no tile server).
//   /v1/devices (all pages)  markers;  /v1/cells?level=N  cell polygons (N follows the zoom)
import L from 'leaflet';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { FeatureCollection } from 'geojson';
import worldTopo from 'world-atlas/countries-110m.json';
import { Cell, Device, get, PageOf } from '../api';
import { esc, html, int, short, tokens } from '../format';
import { TOP_DEVICES, topByLatestReward } from '../rank';
import type { Page } from '../main';

type Mode = 'reward' | 'flags';
// Covered cells are drawn at an S2 level that suits the zoom (level 12 cells, ~3 km, vanish at
// world zoom): about 3 levels finer than the zoom, within 4..14.
const cellLevelFor = (zoom: number): number => Math.max(4, Math.min(14, Math.round(zoom) + 3));

let worldGeo: FeatureCollection | null = null;
function world(): FeatureCollection {
  if (!worldGeo) {
    const topo = worldTopo as unknown as Topology<{ countries: GeometryCollection }>;
    const fc = feature(topo, topo.objects.countries) as unknown as FeatureCollection;
    // Antarctica is a ring along the map's bottom edge; other shapes that cross the antimeridian
    // (Russia, Fiji) are unwrapped so Leaflet does not draw lines across the whole world.
    fc.features = fc.features.filter((f) => f.id !== '010');
    for (const f of fc.features) {
      const g = f.geometry;
      const polys =
        g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
      for (const poly of polys) {
        for (const ring of poly) {
          for (let i = 1; i < ring.length; ++i) {
            const d = ring[i][0] - ring[i - 1][0];
            if (d > 180) ring[i][0] -= 360;
            else if (d < -180) ring[i][0] += 360;
          }
        }
      }
    }
    worldGeo = fc;
  }
  return worldGeo;
}

export async function allDevices(): Promise<Device[]> {
  const out: Device[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await get<PageOf<Device>>(`/v1/devices?offset=${offset}&limit=1000`);
    out.push(...page.items);
    if (out.length >= page.total || page.items.length === 0) return out;
  }
}

// Reward colour: pale yellow (the least rewarded) to deep green (the most), grey for nothing.
function rewardColour(amount: bigint, min: bigint, max: bigint): string {
  if (amount <= 0n || max <= 0n) return '#adb5bd';
  const t = max > min ? Math.min(1, Number(((amount - min) * 1000n) / (max - min)) / 1000) : 1;
  const hue = 55 + t * 85;
  const light = 62 - t * 30;
  return `hsl(${hue}, 70%, ${light}%)`;
}

const SERIOUS_FLAGS = [
  'deactivated',
  'uptime_not_met',
  'location_untrusted',
  'speedtest_fail',
  'self_paid',
];

function colourOf(d: Device, mode: Mode, min: bigint, max: bigint): string {
  if (mode === 'flags') {
    // Worst first: flagged by a proof verifier (ring, spoofing, inconsistent sensor data), other
    // flags (uptime, trust, speedtest, self-paid), invalid reports only, clean.
    if (!d.latest) return '#adb5bd';
    const f = d.latest.flags;
    if (f.includes('proof_flagged')) return '#862e9c';
    if (f.some((x) => SERIOUS_FLAGS.includes(x))) return '#e03131';
    return f.length ? '#f08c00' : '#2f9e44';
  }
  return rewardColour(BigInt(d.latest?.amount ?? '0'), min, max);
}

// The smallest and largest non-zero amounts.
function range(amounts: bigint[]): [bigint, bigint] {
  const nz = amounts.filter((a) => a > 0n);
  if (!nz.length) return [0n, 0n];
  return nz.reduce(([lo, hi], a) => [a < lo ? a : lo, a > hi ? a : hi], [nz[0], nz[0]]);
}

export function mapPage(): Page {
  let root: HTMLElement;
  let map: L.Map;
  let devicesLayer: L.LayerGroup;
  let cellsLayer: L.LayerGroup;
  let mode: Mode = 'reward';
  let fitted = false;
  let alive = true;
  let last: { devices: Device[]; cells: Cell[]; level: number } = {
    devices: [],
    cells: [],
    level: 0,
  };

  function draw(): void {
    const { devices, cells, level } = last;
    const [min, max] = range(devices.map((d) => BigInt(d.latest?.amount ?? '0')));
    cellsLayer.clearLayers();
    const [cellMin, cellMax] = range(cells.map((c) => BigInt(c.reward)));
    for (const c of cells) {
      const colour =
        mode === 'flags'
          ? c.flagged_devices > 0
            ? '#e03131'
            : '#2f9e44'
          : rewardColour(BigInt(c.reward), cellMin, cellMax);
      L.polygon(c.corners, { color: colour, weight: 1, fillOpacity: 0.25, className: 'cell-poly' })
        .bindTooltip(
          `cell ${esc(c.token)} · ${c.devices} devices · ${esc(tokens(c.reward))} tokens`,
        )
        .addTo(cellsLayer);
    }
    devicesLayer.clearLayers();
    for (const d of devices) {
      if (d.lat == null || d.lng == null) continue;
      const m = L.circleMarker([d.lat, d.lng], {
        radius: 6,
        color: '#1b1f24',
        weight: 1,
        fillColor: colourOf(d, mode, min, max),
        fillOpacity: 0.9,
        className: 'device-marker',
      });
      m.bindTooltip(
        `<b>${esc(short(d.key))}</b><br>reward ${esc(tokens(d.latest?.amount ?? '0'))}` +
          (d.latest?.flags.length ? `<br>flags: ${esc(d.latest.flags.join(', '))}` : ''),
      );
      m.on('click', () => {
        location.hash = '#/device/' + encodeURIComponent(d.key);
      });
      m.addTo(devicesLayer);
      m.getElement()?.setAttribute('data-key', d.key);
    }
    if (!fitted && devices.some((d) => d.lat != null)) {
      const pts = devices
        .filter((d) => d.lat != null)
        .map((d) => [d.lat!, d.lng!] as [number, number]);
      map.fitBounds(L.latLngBounds(pts).pad(0.3), { maxZoom: 11, animate: false });
      fitted = true;
    }
    const ranked = topByLatestReward(devices);
    root.querySelector('#map-stats')!.textContent =
      `${int(devices.length)} devices · ${int(devices.filter((d) => d.lat != null).length)} located · ` +
      `${int(cells.length)} covered cells (S2 level ${level}) · ` +
      `${int(devices.filter((d) => d.latest?.flags.length).length)} flagged`;
    root.querySelector('#device-table')!.innerHTML = html`<table><thead><tr><th>device</th>
      <th class="num">reward</th><th>flags</th></tr></thead><tbody>${ranked.map(
        (d) => html`<tr><td><a href="#/device/${encodeURIComponent(d.key)}">${short(d.key)}</a></td>
          <td class="num">${tokens(d.latest?.amount ?? '0')}</td>
          <td>${d.latest?.flags.length ? d.latest.flags.join(', ').replace(/_/g, ' ') : '–'}</td></tr>`,
      )}</tbody></table>`.html;
  }

  async function refresh(): Promise<void> {
    const level = cellLevelFor(map.getZoom());
    const [devices, cells] = await Promise.all([
      allDevices(),
      get<PageOf<Cell>>(`/v1/cells?level=${level}&limit=1000`),
    ]);
    if (!alive) return; // the page was left while the answer was on its way
    last = { devices, cells: cells.items, level };
    draw();
  }

  return {
    async mount(el) {
      root = el;
      root.innerHTML = `
        <h1>Devices and coverage</h1>
        <div class="toolbar">
          <span>Colour by</span>
          <label><input type="radio" name="mode" value="reward" checked> latest reward</label>
          <label><input type="radio" name="mode" value="flags"> flags</label>
          <span class="muted" id="map-stats"></span>
        </div>
        <div class="map-wrap"><div id="map"></div>
          <div class="legend" id="legend"></div></div>
        <section class="panel"><h3>Top ${TOP_DEVICES} devices <small>by reward in the latest epoch</small></h3><div class="scroll" id="device-table"></div></section>`;
      map = L.map(root.querySelector('#map') as HTMLElement, {
        worldCopyJump: true,
        minZoom: 1,
        maxZoom: 16,
        attributionControl: false,
      }).setView([20, 0], 2);
      L.geoJSON(world(), {
        style: { color: '#8a96a3', weight: 0.6, fillColor: '#dfe5ea', fillOpacity: 1 },
        interactive: false,
      }).addTo(map);
      cellsLayer = L.layerGroup().addTo(map);
      devicesLayer = L.layerGroup().addTo(map);
      root.querySelectorAll<HTMLInputElement>('input[name=mode]').forEach((i) =>
        i.addEventListener('change', () => {
          mode = i.value as Mode;
          legend();
          draw();
        }),
      );
      const legend = () => {
        root.querySelector('#legend')!.innerHTML =
          mode === 'reward'
            ? '<span><i style="background:hsl(55,70%,62%)"></i>low</span><span><i style="background:hsl(140,70%,32%)"></i>high</span><span><i style="background:#adb5bd"></i>none</span>'
            : '<span><i style="background:#2f9e44"></i>clean</span><span><i style="background:#f08c00"></i>invalid reports</span><span><i style="background:#e03131"></i>flagged</span><span><i style="background:#862e9c"></i>flagged by coverage / QoD</span><span><i style="background:#adb5bd"></i>no data</span>';
      };
      legend();
      map.on('zoomend', () => {
        if (cellLevelFor(map.getZoom()) !== last.level) void refresh();
      });
      await refresh();
    },
    refresh,
    unmount() {
      alive = false;
      map?.stop();
      map?.off();
      map?.remove();
    },
  };
}
