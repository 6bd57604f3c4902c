#include "config/network_template.h"

#include <cstdio>
#include <string_view>

namespace depin::config {
namespace {

// Placeholders are {{name}}; docs/config.md explains every field.
constexpr std::string_view kTemplate =
    R"(# OpenDePIN network configuration, written by `depin init`.
# A development network: short epochs so rewards can be watched live. Every field is documented in
# docs/config.md. Amounts are integers in base units (1 DPN = 10^6 base units here); shares and
# prices are decimal strings, parsed exactly (never as floating point).

[network]
name = "opendepin-dev"
id = "dev-1"                      # mixed into signing domains; a-z, 0-9 and '-'
genesis_time = {{genesis_time}}  # epoch 0 starts here (RFC 3339; `depin init` writes "now")

[token]
symbol = "DPN"
decimals = 6                      # at most 18
supply_cap = 10000000000000000    # 10 billion DPN, in base units

[[token.genesis]]                 # initial balances
account = "{{governance}}"        # the governance treasury
amount = 1000000000000000         # 1 billion DPN

[epoch]
length = "30s"                    # "24h" for a real network; accepts s, m, h, d ("1h30m")

[emission]
schedule = "halving"              # "fixed" | "halving" | "decay"
initial_per_epoch = 1000000000    # 1000 DPN in the first epoch
halving_interval_epochs = 1000    # "halving": emission halves every N epochs
# half_life_epochs = 1000         # "decay": emission halves continuously every N epochs
# cap = 5000000000000000          # total ever emitted (default: the rest of supply_cap)
net_reemit_bps = 5000             # re-emit 50% of the tokens burned for data credits...
net_reemit_cap_per_epoch = 100000000  # ...but at most 100 DPN per epoch

# What devices do, and which proofs of it the network accepts. Known proof kinds: heartbeat,
# coverage_beacon, coverage_witness, data_transfer, speedtest, sensor_batch, storage_proof,
# compute_receipt.
# Each class runs the verifiers of its proofs (docs/proofs.md): heartbeat -> uptime and location,
# speedtest -> speedtest tiers, data_transfer -> paid usage, coverage_beacon + coverage_witness ->
# proof of coverage, sensor_batch -> quality of data. storage_proof and compute_receipt have no
# verifier yet and are refused.
[[resource_classes]]
name = "wireless"                 # mobile hotspots: uptime x location x speedtest, paid usage
proofs = ["heartbeat", "data_transfer", "speedtest"]

[[resource_classes]]
name = "sensor"                   # weather stations: quality of data
proofs = ["heartbeat", "sensor_batch"]

[[resource_classes]]
name = "hotspot"                  # LoRa-style hotspots: proof of coverage, paid usage
proofs = ["heartbeat", "coverage_beacon", "coverage_witness", "data_transfer"]

[proofs]                          # physical proofs' timing (docs/proofs.md)
entropy_cadence = "60s"           # the node publishes PoC entropy this often
max_entropy_age = "3m"            # a beacon must arrive within this of its entropy
beacon_interval = "6h"            # at most one beacon per hotspot per interval (and per epoch)

# Each epoch's emission is split between pools; shares must sum to exactly 1.
[[rewards.pools]]
name = "usage"                    # paid usage: data transfer bought with burned credits
share = "0.40"
proofs = ["data_transfer"]
overflow_to = "coverage"          # what usage does not use goes to coverage

[[rewards.pools]]
name = "coverage"                 # proof of coverage and uptime: the bootstrap incentive
share = "0.45"
proofs = ["heartbeat", "coverage_beacon", "coverage_witness", "speedtest", "sensor_batch"]

[[rewards.pools]]
name = "operations"               # oracles and the treasury
share = "0.15"

[rewards.verify]                  # the verifiers' rules (docs/rewards.md 1.2-1.4); dev values
min_heartbeat_hours = 1           # distinct hours with a heartbeat for uptime; 12 for a "24h"
                                  # epoch (the default, lowered to the epoch's hours when absent)
min_speedtests = 2                # speedtests inside the window for a speed tier
speedtest_window = "48h"          # the rolling window of speedtests judged at each close
max_clock_skew = "5m"             # report timestamps may fall this far outside their epoch
bytes_per_dc = 24                 # bytes of paid traffic one data credit buys

[credits]
usd_per_dc = "0.00001"            # 1 data credit = $0.00001, fixed
price_max_age = "10m"             # refuse oracle prices older than this
price_quorum = 1                  # distinct price oracles needed for a price

[fees]                            # paid in data credits
onboarding_dc = 4000000           # $40 to onboard a device
location_dc = 1000000             # $10 per location assertion
first_location_free = true

[ledger]                          # the embedded ledger and its block producer
unstake_cooldown_epochs = 7       # unstaked tokens can be withdrawn this many epochs later
min_fee = 0                       # base units per transaction, burned
# slash_quorum = 1                # reward-oracle keys that may slash together (default: majority)
block_interval_ms = 0             # at most one block per interval; 0: as soon as txs are ready
max_block_txs = 20000             # transactions per block, at most
mempool_size = 200000             # pending transactions; when full a tx must outrank one to enter
mempool_max_per_sender = 1000     # pending transactions per sender
mempool_max_nonce_ahead = 1000    # how far past its account's nonce a transaction may be
mempool_reserved = 1000           # places only the network's own keys may fill (at most half)
mempool_ttl_seconds = 600         # pending transactions are dropped after this; 0: never

[keys]                            # base58 Ed25519 public keys; secrets live in keys/
governance = "{{governance}}"
producer = "{{producer}}"
price_oracles = ["{{price_oracle}}"]
reward_oracles = ["{{reward_oracle}}"]
makers = ["{{maker}}"]

[api]
listen = "127.0.0.1:8080"         # `depin node --api HOST:PORT` overrides this
admin_token_file = "{{admin_token_file}}"
body_limit = 1048576              # bytes; larger request bodies get 413
header_limit = 16384              # bytes
max_connections = 4096            # open connections in all (lowered to fit the fd limit)
max_connections_per_client = 64   # per IPv4 address or IPv6 /64; more are closed at once
idle_timeout = "10s"              # a connection with no request in progress is closed after this
header_timeout = "10s"            # a request's headers must arrive within this of its first byte
read_timeout = "30s"              # a request (headers and body) must arrive within this
write_timeout = "30s"
io_threads = 0                    # 0: one per core

[ingest]                          # POST /v1/reports and the report log (docs/operations.md)
max_report_age = "10m"            # device timestamps older than this are rejected (too_old)
max_clock_skew = "60s"            # ... and further ahead of server time than this (too_new)
receipt_max_age = "1h"            # usage receipts signed longer ago are refused (stale_receipt)
device_rate = 0                   # reports per second per device; 0: unlimited
device_burst = 0                  # reports a device may send at once; 0: same as device_rate
client_rate = 0                   # reports per second per client address; 0: unlimited
client_burst = 0
origin_rate = 1000                # reports per second per network origin (source /24 or /48); 0: off
origin_burst = 10000              # reports an origin may send at once; 0: same as origin_rate
max_in_flight_reports = 65536     # beyond this, requests get 503 with Retry-After
max_dedup_ids = 33554432          # report ids remembered (35-70 bytes each); full: 503; 0: no bound
verify_threads = 0                # signature-checking threads; 0: one per core
retain_epochs = 0                 # closed epochs of raw reports kept on disk; 0: keep everything
segment_max_bytes = 67108864      # a log segment is sealed at this size...
segment_max_age = "5m"            # ... or age, and always at an epoch boundary
group_interval_us = 1000          # at most one fsync group per interval (more reports per fsync)
)";

// The civil date of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

void ReplaceAll(std::string* text, std::string_view from, const std::string& to) {
  for (size_t pos = text->find(from); pos != std::string::npos;
       pos = text->find(from, pos + to.size())) {
    text->replace(pos, from.size(), to);
  }
}

}  // namespace

std::string RenderNetworkTemplate(const TemplateKeys& keys) {
  std::string text(kTemplate);
  ReplaceAll(&text, "{{governance}}", keys.governance);
  ReplaceAll(&text, "{{producer}}", keys.producer);
  ReplaceAll(&text, "{{price_oracle}}", keys.price_oracle);
  ReplaceAll(&text, "{{reward_oracle}}", keys.reward_oracle);
  ReplaceAll(&text, "{{maker}}", keys.maker);
  ReplaceAll(&text, "{{admin_token_file}}", keys.admin_token_file);
  ReplaceAll(&text, "{{genesis_time}}", FormatUtcTimestamp(keys.genesis_time_ms));
  return text;
}

std::string FormatUtcTimestamp(int64_t unix_ms) {
  const int64_t s = unix_ms / 1000;
  int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(s / 86400, &y, &m, &d);
  const int64_t sod = s % 86400;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(sod / 3600),
                static_cast<long long>(sod / 60 % 60), static_cast<long long>(sod % 60));
  return buf;
}

}  // namespace depin::config
