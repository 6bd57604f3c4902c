// Typed client of the node's dashboard API (docs/api.md, "Dashboard routes"). The types come from
// the OpenAPI contract (docs/openapi.yaml, generated into api-types.ts by `npm run types`):
// amounts and S2 cell ids arrive as decimal strings, heights, epochs and timestamps as numbers;
// errors as {"error": {"code", "message"}}.
import type { components } from './api-types';

type Schemas = components['schemas'];

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function get<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'bad_response', `${path}: not JSON (HTTP ${res.status})`);
  }
  if (!res.ok) {
    const err = (body as { error?: { code: string; message: string } }).error;
    throw new ApiError(res.status, err?.code ?? 'http_' + res.status, err?.message ?? text);
  }
  return body as T;
}

export interface PageOf<T> {
  total: number;
  offset: number;
  limit: number;
  items: T[];
}

export type Summary = Schemas['Summary'];
export type HealthRow = Schemas['HealthRow'];
export type ClassHealthRow = Schemas['ClassHealthRow'];
export type DeviceEpoch = Schemas['DeviceEpoch'];
export type Device = Schemas['DeviceFields'] & {
  history?: DeviceEpoch[];
  claimed?: string;
};
export type Cell = Schemas['Cell'];
export type Pool = Schemas['Pool'];
export type Epoch = Schemas['EpochFields'] & {
  unallocated_entries?: Schemas['EpochDetail']['unallocated_entries'];
  recipients?: Schemas['EpochDetail']['recipients'];
  top_devices?: Schemas['EpochDetail']['top_devices'];
  health?: HealthRow;
};
export type Explanation = Schemas['Explanation'];
export type BlockRow = Schemas['BlockRow'];
export type Tx = Schemas['Tx'];
export type BlockDetail = Schemas['BlockDetail'];
export type Account = Schemas['Account'];
