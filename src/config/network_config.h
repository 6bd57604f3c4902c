// NetworkConfig: the parameters of one network, read from <data dir>/network.toml.
//
// ParseNetworkConfig() turns TOML text into a plain data struct and validates it completely:
// required fields, types, ranges, known proof kinds, base58 keys, pool shares summing exactly to 1,
// and unknown keys (reported as typos with a suggestion). Every error is one InvalidArgument
// Status formatted as "<file>:<line>: <dotted.field>: <what is wrong>", e.g.
//   network.toml:14: rewards.pools: shares sum to 1.05, must be 1.00
// No floating point is involved: shares and prices are decimal strings parsed exactly into
// fixed-point integers, token amounts are integers in base units. docs/config.md documents every
// field. The node converts this struct into each layer's own parameter struct.
//
// Thread-safety: the functions are pure (LoadNetworkConfig reads one file through Env) and
// thread-safe; a NetworkConfig is a value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/env.h"
#include "util/result.h"

namespace depin::config {

// Shares are parts per million: "0.40" -> 400000; they must sum to exactly kShareOne.
inline constexpr uint32_t kShareOne = 1'000'000;
// Basis points: 10000 = 100%.
inline constexpr uint32_t kBasisPointsOne = 10'000;
inline constexpr uint32_t kMaxDecimals = 18;

// The fixed list of proof kinds a resource class may accept (wire names).
enum class ProofKind {
  kHeartbeat,
  kCoverageBeacon,
  kCoverageWitness,
  kDataTransfer,
  kSpeedtest,
  kSensorBatch,
  kStorageProof,
  kComputeReceipt,
};
std::string_view ProofKindName(ProofKind kind);  // e.g. "coverage_beacon"
std::optional<ProofKind> ProofKindFromName(std::string_view name);

enum class EmissionSchedule { kFixed, kHalving, kDecay };
std::string_view EmissionScheduleName(EmissionSchedule schedule);

struct NetworkSection {
  std::string name;             // human-readable, e.g. "opendepin-dev"
  std::string id;               // short identifier mixed into signing domains, e.g. "dev-1"
  int64_t genesis_time_ms = 0;  // genesis_time (RFC 3339): epoch 0 starts here; absent: 1970
};

struct GenesisAllocation {
  std::string account;  // base58 Ed25519 public key
  uint64_t amount = 0;  // base units
};

struct TokenSection {
  std::string symbol;
  uint32_t decimals = 0;    // 0..18
  uint64_t supply_cap = 0;  // base units; genesis + all emission never exceed it
  std::vector<GenesisAllocation> genesis;
};

struct EpochSection {
  uint64_t length_seconds = 0;  // > 0
};

struct EmissionSection {
  EmissionSchedule schedule = EmissionSchedule::kFixed;
  uint64_t initial_per_epoch = 0;        // base units emitted in epoch 0
  uint64_t halving_interval_epochs = 0;  // schedule "halving": emission halves every N epochs
  uint64_t half_life_epochs = 0;         // schedule "decay": emission halves continuously over N
  std::optional<uint64_t> cap;           // total base units ever emitted (absent: supply_cap)
  uint32_t net_reemit_bps = 0;           // share of tokens burned in an epoch re-emitted next epoch
  uint64_t net_reemit_cap_per_epoch = 0;  // at most this many re-emitted base units per epoch
};

// Wire ReportKind value of a proof kind (the config's kinds in wire order, from 1).
inline constexpr uint32_t WireKindOf(ProofKind kind) { return static_cast<uint32_t>(kind) + 1; }

struct ResourceClass {
  std::string name;
  std::vector<ProofKind> proofs;  // accepted proof kinds, no duplicates
  uint32_t proofs_line = 0;       // for errors found across sections
};

struct RewardPool {
  std::string name;
  uint32_t share_ppm = 0;         // parts per million of each epoch's emission
  std::vector<ProofKind> proofs;  // proof kinds whose work units this pool rewards (may be empty)
  std::optional<std::string> overflow_to;  // unspent share goes to this pool (usage pools)
  uint32_t proofs_line = 0;
};

// [proofs]: the physical proofs' timing (optional; docs/config.md). The node publishes PoC
// entropy every entropy_cadence (docs/proofs.md); a beacon must be received within
// max_entropy_age of the entropy it cites; a hotspot beacons at most once per beacon_interval.
inline constexpr uint64_t kMaxBeaconIntervalsPerEpoch = 64;
struct ProofsSection {
  uint64_t entropy_cadence_seconds = 60;
  uint64_t max_entropy_age_seconds = 180;
  uint64_t beacon_interval_seconds = 6 * 3600;
};

// [rewards.origin]: origin density (docs/rewards.md 1.5). Optional; defaults below.
struct OriginDensitySection {
  uint32_t full_devices = 1;     // earning devices of one origin that keep full units
  uint32_t decay_ppm = 500'000;  // each further device gets this fraction of the previous one
  std::vector<std::string> exempt_owners;  // base58 account keys: never reduced nor counted
};

// [rewards.verify]: the uptime, speedtest and usage rules (docs/rewards.md 1.2-1.4). Optional;
// an absent key keeps verify::VerifyParams' default (the one home of those defaults).
inline constexpr uint64_t kMaxHeartbeatHours = 64;  // DeviceWork::hour_mask has 64 bits
struct VerifyRulesSection {
  std::optional<uint32_t> min_heartbeat_hours;  // 1..min(kMaxHeartbeatHours, epoch hours)
  std::optional<uint32_t> min_speedtests;       // 1..1000
  std::optional<uint64_t> speedtest_window_seconds;
  std::optional<uint64_t> max_clock_skew_seconds;  // report time outside the epoch, both ways
  std::optional<uint64_t> bytes_per_dc;
};

struct CreditsSection {
  uint64_t usd_per_dc_nanos = 0;       // 1 DC = $0.00001 -> 10000 nano-USD
  uint64_t price_max_age_seconds = 0;  // older oracle prices are refused
  uint32_t price_quorum = 1;           // distinct price oracles needed for a price
};

struct FeesSection {
  uint64_t onboarding_dc = 0;
  uint64_t location_dc = 0;
  bool first_location_free = true;
};

// [ledger]: the embedded ledger's rules and its block producer / mempool (all optional).
inline constexpr uint64_t kMaxUnstakeCooldownEpochs = 1'000'000;
inline constexpr uint64_t kMaxBlockIntervalMs = 3'600'000;
inline constexpr uint64_t kMaxBlockTxsLimit = 100'000;  // ledger::kMaxBlockTxs
inline constexpr uint64_t kMaxMempoolSize = 10'000'000;
inline constexpr uint64_t kMaxNonceAhead = 1'000'000;
inline constexpr uint64_t kMaxMempoolTtlSeconds = 7 * 86'400;
struct LedgerSection {
  uint64_t unstake_cooldown_epochs = 7;  // 0..kMaxUnstakeCooldownEpochs
  uint64_t min_fee = 0;                  // base units, burned; at most token.supply_cap
  std::optional<uint32_t> slash_quorum;  // 1..len(keys.reward_oracles); absent: a majority
  uint64_t block_interval_ms = 0;        // at most one block per interval; 0..kMaxBlockIntervalMs
  uint64_t max_block_txs = 20'000;       // 1..kMaxBlockTxsLimit
  uint64_t mempool_size = 200'000;       // pending txs; 1..kMaxMempoolSize
  uint64_t mempool_max_per_sender = 1'000;   // pending txs per sender; 1..kMaxMempoolSize
  uint64_t mempool_max_nonce_ahead = 1'000;  // past the account's nonce; 1..kMaxNonceAhead
  uint64_t mempool_reserved =
      1'000;  // for the network's own keys (at most half); 0..kMaxMempoolSize
  uint64_t mempool_ttl_seconds = 600;  // pending ordinary txs are dropped after; 0 = never
};

struct KeysSection {  // every key is a validated base58 Ed25519 public key
  std::string governance;
  std::string producer;
  std::vector<std::string> price_oracles;
  std::vector<std::string> reward_oracles;
  std::vector<std::string> makers;
};

inline constexpr uint64_t kMaxConnectionsLimit = 1'048'576;  // Linux's default nr_open

struct ApiSection {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; `depin node --api` overrides it
  std::string admin_token_file;           // relative paths are relative to the data dir
  uint64_t body_limit_bytes = 1 << 20;
  uint64_t header_limit_bytes = 16 << 10;
  uint64_t max_connections = 4096;           // open connections in all (0: unlimited)
  uint64_t max_connections_per_client = 64;  // per IPv4 address or IPv6 /64 (0: unlimited)
  uint64_t idle_timeout_seconds = 10;        // no byte of a next request: close
  uint64_t header_timeout_seconds = 10;      // first byte to end of headers
  uint64_t read_timeout_seconds = 30;
  uint64_t write_timeout_seconds = 30;
  uint32_t io_threads = 0;  // 0: one per core
};

// [ingest]: the report front door and its log (all optional; docs/operations.md explains them).
inline constexpr uint64_t kMaxInFlightReportsLimit = 16'777'216;
inline constexpr uint64_t kMaxGroupIntervalUs = 1'000'000;
inline constexpr uint64_t kMinSegmentBytes = 1 << 16;
inline constexpr uint64_t kMaxSegmentBytes = 4ull << 30;
struct IngestSection {
  uint64_t max_report_age_seconds = 600;    // older device timestamps: too_old
  uint64_t max_clock_skew_seconds = 60;     // further in the future: too_new
  uint64_t receipt_max_age_seconds = 3600;  // usage receipts signed earlier: stale_receipt
  uint64_t device_rate = 0;                 // reports/s per device; 0: unlimited
  uint64_t device_burst = 0;                // 0: equal to device_rate
  uint64_t client_rate = 0;                 // reports/s per client address; 0: unlimited
  uint64_t client_burst = 0;                // 0: equal to client_rate
  uint64_t origin_rate = 1000;              // reports/s per network origin (/24, /48); 0: off
  uint64_t origin_burst = 10000;            // 0: equal to origin_rate
  uint64_t max_in_flight_reports = 65'536;  // 1..kMaxInFlightReportsLimit; beyond: 503
  uint64_t max_dedup_ids = 32ull << 20;     // report ids remembered; 0: unbounded; full: 503
  uint32_t verify_threads = 0;              // 0: one per core
  uint64_t retain_epochs = 0;  // closed epochs of reports kept on disk; 0: keep everything
  uint64_t segment_max_bytes = 64ull << 20;  // kMinSegmentBytes..kMaxSegmentBytes
  uint64_t segment_max_age_seconds = 300;
  uint64_t group_interval_us = 1000;  // 0..kMaxGroupIntervalUs
};

struct NetworkConfig {
  NetworkSection network;
  TokenSection token;
  EpochSection epoch;
  EmissionSection emission;
  std::vector<ResourceClass> resource_classes;
  std::vector<RewardPool> pools;        // [[rewards.pools]]
  OriginDensitySection origin_density;  // [rewards.origin]
  VerifyRulesSection verify_rules;      // [rewards.verify]
  CreditsSection credits;
  FeesSection fees;
  LedgerSection ledger;
  KeysSection keys;
  ApiSection api;
  IngestSection ingest;
  ProofsSection proofs;
};

// Parses and validates `text`; `source_name` (e.g. "network.toml") prefixes every error.
util::Result<NetworkConfig> ParseNetworkConfig(std::string_view text, std::string_view source_name);
// Reads `path` through `env` and parses it; errors name `path`.
util::Result<NetworkConfig> LoadNetworkConfig(util::Env* env, const std::string& path);

// Value parsers, exposed for tests and for other config files.
// "30s", "5m", "24h", "7d", or a combination like "1h30m"; the result must be > 0.
util::Result<uint64_t> ParseDurationSeconds(std::string_view text);
// Exact decimal ("0.40", "1", "0.00001") scaled by 10^scale_digits; more fractional digits than
// scale_digits, signs, exponents and overflow are errors.
util::Result<uint64_t> ParseFixedDecimal(std::string_view text, uint32_t scale_digits);
// Formats `value` / 10^scale_digits with at least `min_fraction_digits` fractional digits.
std::string FormatFixedDecimal(uint64_t value, uint32_t scale_digits, uint32_t min_fraction_digits);

}  // namespace depin::config
