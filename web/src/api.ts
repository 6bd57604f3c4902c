// Typed client of the node's dashboard API (docs/api.md, "Dashboard routes"). Amounts and 64-bit
// ids arrive as decimal strings; errors as {"error": {"code", "message"}}.

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

export interface Summary {
  network: string;
  height: number;
  tip_timestamp_ms: number;
  now_ms: number;
  genesis_time_ms: number;
  epoch_length_ms: string;
  current_epoch: string;
  token_decimals: number;
  registered_devices: number;
  located_devices: number;
  covered_cells: number;
  closed_epochs: number;
  latest_epoch: string | null;
  supply: string;
  minted: string;
  burned: string;
  burned_for_credits: string;
  reward_pool: string;
  staked: string;
  credits_minted: string;
  credits_spent: string;
  ingest?: { accepted: number; duplicate: number; rejected: Record<string, number> };
}

export interface HealthRow {
  epoch: string;
  start_ms: string;
  end_ms: string;
  emission: string;
  minted: string;
  unallocated: string;
  device_rewards: string;
  dc_burned: string;
  dc_burned_value: string;
  demand_to_subsidy_ppm: number;
  registered_devices: number;
  active_devices: number;
  rewarded_devices: number;
  flagged_devices: number;
  reports_seen: string;
  valid_reports: string;
  invalid_reports: string;
  invalid_rate_ppm: number;
  invalid_by_reason: Record<string, number>;
  top10_owner_share_ppm: number;
  by_class?: ClassHealthRow[];
}

export interface DeviceEpoch {
  epoch: string;
  amount: string;
  cumulative?: string;
  valid_reports: number;
  invalid_reports: number;
  flags: string[];
  // Physical proofs: what a PoC hotspot or weather station sent, and its QoD (ppm).
  proofs?: {
    units_from_proofs: boolean;
    availability_units: string;
    beacons: number;
    witnesses: number;
    sensor_batches: number;
    qod_ppm: number;
  };
  // Set when coverage or QoD flagged the device (collusion ring, spoofing, inconsistent data).
  proof_flag?: { reason: string; evidence: string };
}

export interface ClassHealthRow {
  resource_class: number;
  devices: number;
  active_devices: number;
  rewarded_devices: number;
  flagged_devices: number;
  proof_flagged_devices: number;
  device_rewards: string;
  valid_reports: string;
  invalid_reports: string;
  invalid_by_reason: Record<string, number>;
}

export interface Device {
  key: string;
  owner: string;
  maker: string;
  resource_class: number;
  status?: string;
  cell: string;
  cell_token?: string;
  lat: number | null;
  lng: number | null;
  onboarded_height: string;
  onboarded_ms: number;
  latest: DeviceEpoch | null;
  /** The newest closed epoch (decimal), also when the device has no entry in it; null before any. */
  latest_epoch: string | null;
  history?: DeviceEpoch[];
  claimed?: string;
}

export interface Cell {
  cell: string;
  token: string;
  level: number;
  lat: number;
  lng: number;
  corners: [number, number][];
  devices: number;
  rewarded_devices: number;
  flagged_devices: number;
  reward: string;
}

export interface Pool {
  name: string;
  kind: string;
  share_ppm: number;
  budget: string;
  paid: string;
  unallocated: string;
  overflow_in?: string;
  overflow_out?: string;
  recipient?: string;
}

export interface Epoch {
  epoch: string;
  start_ms: string;
  end_ms: string;
  emission: string;
  minted: string;
  unallocated: string;
  device_rewards: string;
  root: string;
  manifest_hash: string;
  devices: number;
  rewarded_devices: number;
  claim: {
    status: string;
    posted: boolean;
    posted_root: string | null;
    device_leaves: number;
    claimed_leaves: number;
  };
  pools: Pool[];
  unallocated_entries?: { pool: string; reason: string; amount: string }[];
  recipients?: { pool: string; recipient: string; amount: string }[];
  top_devices?: { device: string; amount: string }[];
}

export interface Explanation {
  epoch: string;
  device: string;
  root: string;
  amount?: string;
  availability_amount?: string;
  usage_amount?: string;
  valid_reports?: number;
  cumulative: string;
  proof?: { leaf_index: string; leaf_count: string; siblings: string[] };
  explanation: string;
}

export interface BlockRow {
  height: string;
  hash: string;
  timestamp_ms: number;
  tx_count: number;
  producer: string;
}

export interface Tx {
  tx_id: string;
  height: string;
  index: number;
  kind: string;
  signer: string;
  nonce: string;
  fee: string;
  cosigners: string[];
  format: string;
  body: Record<string, unknown>;
  block_hash?: string;
  timestamp_ms?: number;
}

export interface BlockDetail extends BlockRow {
  prev_hash: string;
  tx_root: string;
  state_hash: string;
  txs: Tx[];
}

export interface Account {
  address: string;
  balance: string;
  nonce: string;
  credits: string;
  devices: string[];
  recent_txs: { tx_id: string; height: string; index: number; kind: string }[];
  device?: Device;
}
