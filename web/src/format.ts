// Formatting helpers: token amounts from base-unit strings (BigInt, exact), times, short keys,
// and a tiny safe HTML builder (every interpolated value is escaped).

let decimals = 8;
export function setTokenDecimals(d: number): void {
  decimals = d;
}

// "123456789" base units -> "1.23456789" tokens, grouped, trailing zeros trimmed to `maxFrac`.
export function tokens(baseUnits: string | undefined | null, maxFrac = 4): string {
  if (baseUnits == null) return '–';
  let v: bigint;
  try {
    v = BigInt(baseUnits);
  } catch {
    return baseUnits;
  }
  const scale = 10n ** BigInt(decimals);
  const whole = v / scale;
  let frac = (v % scale).toString().padStart(decimals, '0').slice(0, maxFrac).replace(/0+$/, '');
  if (whole === 0n && frac === '' && v > 0n) frac = '0'.repeat(Math.max(0, maxFrac - 1)) + '1';
  const w = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${w}.${frac}` : w;
}

// Base units as a float number of tokens, for charts only.
export function tokenNumber(baseUnits: string): number {
  return Number(baseUnits) / 10 ** decimals;
}

export function int(v: number | string | undefined | null): string {
  if (v == null) return '–';
  return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function pct(ppm: number, digits = 1): string {
  return (ppm / 10_000).toFixed(digits) + ' %';
}

export function time(ms: number | string): string {
  const d = new Date(Number(ms));
  if (Number.isNaN(d.getTime())) return '–';
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

export function ago(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function short(s: string, n = 6): string {
  return s.length <= 2 * n + 1 ? s : `${s.slice(0, n)}…${s.slice(-n)}`;
}

export function esc(v: unknown): string {
  return String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// Tagged template: html`<b>${x}</b>` escapes x; values wrapped in raw() are inserted as is.
export class Raw {
  constructor(public html: string) {}
}
export const raw = (s: string): Raw => new Raw(s);
export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0];
  values.forEach((v, i) => {
    if (v instanceof Raw) out += v.html;
    else if (Array.isArray(v)) out += v.map((x) => (x instanceof Raw ? x.html : esc(x))).join('');
    else out += esc(v);
    out += strings[i + 1];
  });
  return new Raw(out);
}

export function flagBadges(flags: string[] | undefined): Raw {
  if (!flags || flags.length === 0) return html`<span class="badge ok">no flags</span>`;
  return html`${flags.map((f) => html`<span class="badge warn">${f.replace(/_/g, ' ')}</span>`)}`;
}
