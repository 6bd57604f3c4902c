// network.toml parsing and validation; see network_config.h and docs/config.md.
#include "config/network_config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <set>

#include "config/toml_reader.h"
#include "util/encoding.h"
#include "verify/registry.h"

namespace depin::config {
namespace {

using internal::ConfigError;
using internal::LineOf;
using internal::TableReader;
using util::Status;

constexpr size_t kPublicKeySize = 32;
constexpr uint32_t kShareDigits = 6;    // parts per million
constexpr uint32_t kUsdNanoDigits = 9;  // nano-USD
constexpr uint64_t kMaxIoThreads = 256;

std::string ElementPath(const TableReader& parent, std::string_view key, size_t index) {
  return parent.FieldPath(key) + "[" + std::to_string(index) + "]";
}

// Validates a base58 Ed25519 public key; `field` names it in the error.
bool CheckKey(TableReader& r, std::string_view field, const std::string& text, uint32_t line) {
  util::Result<util::Bytes> raw = util::Base58Decode(text);
  if (!raw.ok()) {
    r.Fail(field, "malformed base58 key: " + std::string(raw.status().message()), line);
    return false;
  }
  if (raw->size() != kPublicKeySize) {
    r.Fail(field,
           "malformed base58 key: decodes to " + std::to_string(raw->size()) +
               " bytes, an Ed25519 public key has 32",
           line);
    return false;
  }
  return true;
}

bool KeyField(TableReader& r, std::string_view key, std::string* out, bool required) {
  return r.String(key, out, required) && CheckKey(r, key, *out, 0);
}

bool KeyList(TableReader& r, std::string_view key, std::vector<std::string>* out, bool required,
             bool non_empty) {
  std::vector<uint32_t> lines;
  if (!r.StringArray(key, out, required, &lines)) return false;
  if (non_empty && out->empty()) {
    r.Fail(key, "needs at least one key");
    return false;
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < out->size(); ++i) {
    const std::string element = std::string(key) + "[" + std::to_string(i) + "]";
    if (!CheckKey(r, element, (*out)[i], lines[i])) return false;
    if (!seen.insert((*out)[i]).second) {
      r.Fail(element, "duplicate key " + (*out)[i], lines[i]);
      return false;
    }
  }
  return true;
}

bool ProofList(TableReader& r, std::string_view key, std::vector<ProofKind>* out, bool required) {
  std::vector<std::string> names;
  std::vector<uint32_t> lines;
  if (!r.StringArray(key, &names, required, &lines)) return false;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string element = std::string(key) + "[" + std::to_string(i) + "]";
    std::optional<ProofKind> kind = ProofKindFromName(names[i]);
    if (!kind) {
      r.Fail(element,
             "unknown proof kind \"" + names[i] +
                 "\" (known: heartbeat, coverage_beacon, coverage_witness, data_transfer, "
                 "speedtest, sensor_batch, storage_proof, compute_receipt)",
             lines[i]);
      return false;
    }
    for (ProofKind seen : *out) {
      if (seen == *kind) {
        r.Fail(element, "duplicate proof kind \"" + names[i] + "\"", lines[i]);
        return false;
      }
    }
    out->push_back(*kind);
  }
  return true;
}

// verify::ClassProblem, with proof kinds named as in the network file.
std::string ClassProblemInWords(verify::KindMask kinds) {
  std::string problem = verify::ClassProblem(kinds);
  for (uint32_t k = 0; k <= static_cast<uint32_t>(ProofKind::kComputeReceipt); ++k) {
    const std::string number = "proof kind " + std::to_string(WireKindOf(ProofKind(k)));
    const size_t at = problem.find(number + " ");
    if (at != std::string::npos) {
      problem.replace(at, number.size(),
                      "proof kind \"" + std::string(ProofKindName(ProofKind(k))) + "\"");
    }
  }
  return problem;
}

// Every proof kind a pool rewards must be accepted by some class (else the pool never pays),
// and every kind a class accepts must be rewarded by some pool (else its reports are verified
// and never paid), so the verifiers the close runs are exactly those the file names.
Status CheckClassesAgainstPools(const NetworkConfig& c, std::string_view source) {
  auto accepted = [&](ProofKind k) {
    for (const ResourceClass& rc : c.resource_classes) {
      if (std::find(rc.proofs.begin(), rc.proofs.end(), k) != rc.proofs.end()) return true;
    }
    return false;
  };
  auto rewarded = [&](ProofKind k) {
    for (const RewardPool& p : c.pools) {
      if (std::find(p.proofs.begin(), p.proofs.end(), k) != p.proofs.end()) return true;
    }
    return false;
  };
  for (size_t i = 0; i < c.pools.size(); ++i) {
    for (ProofKind k : c.pools[i].proofs) {
      if (accepted(k)) continue;
      return ConfigError(source, c.pools[i].proofs_line,
                         "rewards.pools[" + std::to_string(i) + "].proofs",
                         "proof kind \"" + std::string(ProofKindName(k)) +
                             "\" is accepted by no [[resource_classes]]: this pool would never "
                             "pay for it");
    }
  }
  for (size_t i = 0; i < c.resource_classes.size(); ++i) {
    for (ProofKind k : c.resource_classes[i].proofs) {
      if (rewarded(k)) continue;
      return ConfigError(source, c.resource_classes[i].proofs_line,
                         "resource_classes[" + std::to_string(i) + "].proofs",
                         "proof kind \"" + std::string(ProofKindName(k)) +
                             "\" is rewarded by no [[rewards.pools]]: its reports would be "
                             "verified and never paid");
    }
  }
  return Status::Ok();
}

Status ParseProofs(TableReader& r, uint64_t epoch_seconds, ProofsSection* out) {
  r.Duration("entropy_cadence", &out->entropy_cadence_seconds, false);
  r.Duration("max_entropy_age", &out->max_entropy_age_seconds, false);
  if (r.Duration("beacon_interval", &out->beacon_interval_seconds, false) &&
      (epoch_seconds + out->beacon_interval_seconds - 1) / out->beacon_interval_seconds >
          kMaxBeaconIntervalsPerEpoch) {
    r.Fail("beacon_interval", "allows more than " + std::to_string(kMaxBeaconIntervalsPerEpoch) +
                                  " beacons per epoch; make it at least epoch.length / 64");
  }
  return r.Finish();
}

Status ParseNetwork(TableReader& r, NetworkSection* out) {
  r.String("name", &out->name, true);
  if (r.String("id", &out->id, true)) {
    for (char c : out->id) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        r.Fail("id", "must use only a-z, 0-9 and '-'");
        break;
      }
    }
    if (out->id.empty()) r.Fail("id", "must not be empty (it is mixed into every signature)");
    if (out->id.size() > 32) r.Fail("id", "is longer than 32 characters");
  }
  r.Timestamp("genesis_time", &out->genesis_time_ms, false);
  return r.Finish();
}

Status ParseToken(TableReader& r, TokenSection* out) {
  if (r.String("symbol", &out->symbol, true) && out->symbol.size() > 11) {
    r.Fail("symbol", "is longer than 11 characters");
  }
  uint64_t decimals = 0;
  if (r.Uint("decimals", &decimals, true, 0, kMaxDecimals)) {
    out->decimals = static_cast<uint32_t>(decimals);
  }
  r.Uint("supply_cap", &out->supply_cap, true, 1);
  if (const toml::array* genesis = r.TableArray("genesis", false)) {
    uint64_t total = 0;  // saturates: anything above supply_cap is an error anyway
    for (size_t i = 0; i < genesis->size(); ++i) {
      TableReader g(*(*genesis)[i].as_table(), ElementPath(r, "genesis", i), r.source());
      GenesisAllocation alloc;
      KeyField(g, "account", &alloc.account, true);
      g.Uint("amount", &alloc.amount, true, 1);
      DEPIN_RETURN_IF_ERROR(g.Finish());
      total = alloc.amount > UINT64_MAX - total ? UINT64_MAX : total + alloc.amount;
      out->genesis.push_back(std::move(alloc));
    }
    if (!r.failed() && total > out->supply_cap) {
      r.Fail("genesis",
             "allocations total more than supply_cap " + std::to_string(out->supply_cap));
    }
  }
  return r.Finish();
}

Status ParseEmission(TableReader& r, const TokenSection& token, EmissionSection* out) {
  std::string schedule;
  if (r.String("schedule", &schedule, true)) {
    if (schedule == "fixed") {
      out->schedule = EmissionSchedule::kFixed;
    } else if (schedule == "halving") {
      out->schedule = EmissionSchedule::kHalving;
    } else if (schedule == "decay") {
      out->schedule = EmissionSchedule::kDecay;
    } else {
      r.Fail("schedule", "is \"" + schedule + "\", must be \"fixed\", \"halving\" or \"decay\"");
    }
  }
  r.Uint("initial_per_epoch", &out->initial_per_epoch, true, 1, token.supply_cap);
  const bool halving = out->schedule == EmissionSchedule::kHalving;
  const bool decay = out->schedule == EmissionSchedule::kDecay;
  r.Uint("halving_interval_epochs", &out->halving_interval_epochs, halving, 1);
  if (!halving && out->halving_interval_epochs) {
    r.Fail("halving_interval_epochs", "is only used with schedule = \"halving\"");
  }
  r.Uint("half_life_epochs", &out->half_life_epochs, decay, 1);
  if (!decay && out->half_life_epochs) {
    r.Fail("half_life_epochs", "is only used with schedule = \"decay\"");
  }
  uint64_t cap = 0;
  if (r.Uint("cap", &cap, false, 1, token.supply_cap)) out->cap = cap;
  uint64_t bps = 0;
  if (r.Uint("net_reemit_bps", &bps, false, 0, kBasisPointsOne)) {
    out->net_reemit_bps = static_cast<uint32_t>(bps);
  }
  r.Uint("net_reemit_cap_per_epoch", &out->net_reemit_cap_per_epoch, false);
  return r.Finish();
}

Status ParseResourceClasses(TableReader& root, std::vector<ResourceClass>* out) {
  const toml::array* classes = root.TableArray("resource_classes", true);
  if (!classes) return root.Finish();
  if (classes->empty()) root.Fail("resource_classes", "needs at least one resource class");
  DEPIN_RETURN_IF_ERROR(root.Finish());
  std::set<std::string> names;
  for (size_t i = 0; i < classes->size(); ++i) {
    TableReader c(*(*classes)[i].as_table(), ElementPath(root, "resource_classes", i),
                  root.source());
    ResourceClass rc;
    if (c.String("name", &rc.name, true) && !names.insert(rc.name).second) {
      c.Fail("name", "duplicate resource class name \"" + rc.name + "\"");
    }
    if (ProofList(c, "proofs", &rc.proofs, true)) {
      if (rc.proofs.empty()) c.Fail("proofs", "needs at least one proof kind");
      verify::KindMask kinds = 0;
      for (ProofKind k : rc.proofs) kinds |= verify::KindBitOf(WireKindOf(k));
      if (std::string problem = ClassProblemInWords(kinds); !problem.empty()) {
        c.Fail("proofs", problem);
      }
    }
    rc.proofs_line = c.KeyLine("proofs");
    DEPIN_RETURN_IF_ERROR(c.Finish());
    out->push_back(std::move(rc));
  }
  return Status::Ok();
}

Status ParseOriginDensity(TableReader& r, OriginDensitySection* out) {
  uint64_t full = out->full_devices;
  if (r.Uint("full_devices", &full, false, 0, 1'000'000)) {
    out->full_devices = static_cast<uint32_t>(full);
  }
  uint64_t decay = 0;
  if (r.Decimal("decay", kShareDigits, &decay, false)) {
    if (decay > kShareOne) r.Fail("decay", "must be at most 1");
    out->decay_ppm = static_cast<uint32_t>(std::min<uint64_t>(decay, kShareOne));
  }
  KeyList(r, "exempt_owners", &out->exempt_owners, false, false);
  return r.Finish();
}

// An epoch holds ceil(length / 1h) distinct hours; more required heartbeat hours could never
// be met, so an explicit value above that is refused rather than silently lowered.
Status ParseVerifyRules(TableReader& r, uint64_t epoch_seconds, VerifyRulesSection* out) {
  const uint64_t epoch_hours = std::max<uint64_t>(1, (epoch_seconds + 3599) / 3600);
  uint64_t v = 0;
  if (r.Uint("min_heartbeat_hours", &v, false, 1, kMaxHeartbeatHours)) {
    if (v > epoch_hours) {
      r.Fail("min_heartbeat_hours", "is " + std::to_string(v) + " but an epoch holds only " +
                                        std::to_string(epoch_hours) + " distinct hour(s)");
    }
    out->min_heartbeat_hours = static_cast<uint32_t>(v);
  }
  if (r.Uint("min_speedtests", &v, false, 1, 1000)) out->min_speedtests = static_cast<uint32_t>(v);
  if (r.Duration("speedtest_window", &v, false)) out->speedtest_window_seconds = v;
  if (r.Duration("max_clock_skew", &v, false)) out->max_clock_skew_seconds = v;
  if (r.Uint("bytes_per_dc", &v, false, 1, 1ull << 40)) out->bytes_per_dc = v;
  return r.Finish();
}

Status ParseRewards(TableReader& r, uint64_t epoch_seconds, std::vector<RewardPool>* out,
                    OriginDensitySection* origin, VerifyRulesSection* rules) {
  if (const toml::table* t = r.Table("origin", false)) {
    TableReader o(*t, r.FieldPath("origin"), r.source());
    DEPIN_RETURN_IF_ERROR(ParseOriginDensity(o, origin));
  }
  if (const toml::table* t = r.Table("verify", false)) {
    TableReader v(*t, r.FieldPath("verify"), r.source());
    DEPIN_RETURN_IF_ERROR(ParseVerifyRules(v, epoch_seconds, rules));
  }
  const toml::array* pools = r.TableArray("pools", true);
  if (!pools) return r.Finish();
  DEPIN_RETURN_IF_ERROR(r.Finish());
  if (pools->empty()) {
    return ConfigError(r.source(), r.table_line(), r.FieldPath("pools"), "needs at least one pool");
  }
  std::set<std::string> names;
  std::vector<uint32_t> overflow_lines;
  uint64_t total = 0;
  for (size_t i = 0; i < pools->size(); ++i) {
    TableReader p(*(*pools)[i].as_table(), ElementPath(r, "pools", i), r.source());
    RewardPool pool;
    if (p.String("name", &pool.name, true) && !names.insert(pool.name).second) {
      p.Fail("name", "duplicate pool name \"" + pool.name + "\"");
    }
    uint64_t share = 0;
    if (p.Decimal("share", kShareDigits, &share, true)) {
      if (share == 0 || share > kShareOne) p.Fail("share", "must be greater than 0 and at most 1");
      pool.share_ppm = static_cast<uint32_t>(share);
    }
    ProofList(p, "proofs", &pool.proofs, false);
    pool.proofs_line = p.KeyLine("proofs");
    const bool usage = std::find(pool.proofs.begin(), pool.proofs.end(),
                                 ProofKind::kDataTransfer) != pool.proofs.end();
    if (usage && pool.proofs.size() > 1) {
      p.Fail("proofs",
             "data_transfer is paid by DC-backed bytes in a pool of its own; list the other "
             "proof kinds in another pool");
    }
    std::string overflow;
    if (p.String("overflow_to", &overflow, false)) pool.overflow_to = overflow;
    overflow_lines.push_back(p.KeyLine("overflow_to"));
    DEPIN_RETURN_IF_ERROR(p.Finish());
    total += pool.share_ppm;
    out->push_back(std::move(pool));
  }
  for (size_t i = 0; i < out->size(); ++i) {
    const RewardPool& pool = (*out)[i];
    if (!pool.overflow_to) continue;
    const std::string field = ElementPath(r, "pools", i) + ".overflow_to";
    if (*pool.overflow_to == pool.name) {
      return ConfigError(r.source(), overflow_lines[i], field, "a pool cannot overflow to itself");
    }
    if (!names.count(*pool.overflow_to)) {
      return ConfigError(r.source(), overflow_lines[i], field,
                         "names no pool \"" + *pool.overflow_to + "\"");
    }
  }
  if (total != kShareOne) {
    return ConfigError(
        r.source(), LineOf(*pools), r.FieldPath("pools"),
        "shares sum to " + FormatFixedDecimal(total, kShareDigits, 2) + ", must be 1.00");
  }
  return Status::Ok();
}

Status ParseCredits(TableReader& r, size_t price_oracles, CreditsSection* out) {
  if (r.Decimal("usd_per_dc", kUsdNanoDigits, &out->usd_per_dc_nanos, true) &&
      out->usd_per_dc_nanos == 0) {
    r.Fail("usd_per_dc", "must be greater than zero");
  }
  r.Duration("price_max_age", &out->price_max_age_seconds, true);
  uint64_t quorum = 1;
  if (r.Uint("price_quorum", &quorum, false, 1)) {
    if (quorum > price_oracles) {
      r.Fail("price_quorum", "is " + std::to_string(quorum) + " but keys.price_oracles has only " +
                                 std::to_string(price_oracles) + " keys");
    }
  }
  out->price_quorum = static_cast<uint32_t>(std::min<uint64_t>(quorum, UINT32_MAX));
  return r.Finish();
}

Status ParseFees(TableReader& r, FeesSection* out) {
  r.Uint("onboarding_dc", &out->onboarding_dc, true);
  r.Uint("location_dc", &out->location_dc, true);
  r.Bool("first_location_free", &out->first_location_free, false);
  return r.Finish();
}

Status ParseLedger(TableReader& r, const TokenSection& token, size_t reward_oracles,
                   LedgerSection* out) {
  r.Uint("unstake_cooldown_epochs", &out->unstake_cooldown_epochs, false, 0,
         kMaxUnstakeCooldownEpochs);
  r.Uint("min_fee", &out->min_fee, false, 0, token.supply_cap);
  uint64_t quorum = 0;
  if (r.Uint("slash_quorum", &quorum, false, 1, std::max<size_t>(1, reward_oracles))) {
    out->slash_quorum = static_cast<uint32_t>(quorum);
  }
  r.Uint("block_interval_ms", &out->block_interval_ms, false, 0, kMaxBlockIntervalMs);
  r.Uint("max_block_txs", &out->max_block_txs, false, 1, kMaxBlockTxsLimit);
  r.Uint("mempool_size", &out->mempool_size, false, 1, kMaxMempoolSize);
  r.Uint("mempool_max_per_sender", &out->mempool_max_per_sender, false, 1, kMaxMempoolSize);
  r.Uint("mempool_max_nonce_ahead", &out->mempool_max_nonce_ahead, false, 1, kMaxNonceAhead);
  r.Uint("mempool_reserved", &out->mempool_reserved, false, 0, kMaxMempoolSize);
  r.Uint("mempool_ttl_seconds", &out->mempool_ttl_seconds, false, 0, kMaxMempoolTtlSeconds);
  return r.Finish();
}

Status ParseKeys(TableReader& r, KeysSection* out) {
  KeyField(r, "governance", &out->governance, true);
  KeyField(r, "producer", &out->producer, true);
  KeyList(r, "price_oracles", &out->price_oracles, true, true);
  KeyList(r, "reward_oracles", &out->reward_oracles, true, true);
  KeyList(r, "makers", &out->makers, false, false);
  return r.Finish();
}

Status ParseApi(TableReader& r, ApiSection* out) {
  if (r.String("listen", &out->listen, false) && out->listen.find(':') == std::string::npos) {
    r.Fail("listen", "must be HOST:PORT, e.g. \"127.0.0.1:8080\"");
  }
  r.String("admin_token_file", &out->admin_token_file, false);
  r.Uint("body_limit", &out->body_limit_bytes, false, 1);
  r.Uint("header_limit", &out->header_limit_bytes, false, 256);
  r.Uint("max_connections", &out->max_connections, false, 0, kMaxConnectionsLimit);
  r.Uint("max_connections_per_client", &out->max_connections_per_client, false, 0,
         kMaxConnectionsLimit);
  r.Duration("idle_timeout", &out->idle_timeout_seconds, false);
  r.Duration("header_timeout", &out->header_timeout_seconds, false);
  r.Duration("read_timeout", &out->read_timeout_seconds, false);
  r.Duration("write_timeout", &out->write_timeout_seconds, false);
  uint64_t threads = 0;
  if (r.Uint("io_threads", &threads, false, 0, kMaxIoThreads)) {
    out->io_threads = static_cast<uint32_t>(threads);
  }
  return r.Finish();
}

Status ParseIngest(TableReader& r, IngestSection* out) {
  r.Duration("max_report_age", &out->max_report_age_seconds, false);
  r.Duration("max_clock_skew", &out->max_clock_skew_seconds, false);
  if (r.Duration("receipt_max_age", &out->receipt_max_age_seconds, false) &&
      out->receipt_max_age_seconds == 0) {
    r.Fail("receipt_max_age", "must be at least 1s");
  }
  r.Uint("device_rate", &out->device_rate, false);
  r.Uint("device_burst", &out->device_burst, false);
  r.Uint("client_rate", &out->client_rate, false);
  r.Uint("client_burst", &out->client_burst, false);
  r.Uint("origin_rate", &out->origin_rate, false);
  r.Uint("origin_burst", &out->origin_burst, false);
  r.Uint("max_in_flight_reports", &out->max_in_flight_reports, false, 1, kMaxInFlightReportsLimit);
  r.Uint("max_dedup_ids", &out->max_dedup_ids, false);
  uint64_t threads = 0;
  if (r.Uint("verify_threads", &threads, false, 0, kMaxIoThreads)) {
    out->verify_threads = static_cast<uint32_t>(threads);
  }
  r.Uint("retain_epochs", &out->retain_epochs, false);
  r.Uint("segment_max_bytes", &out->segment_max_bytes, false, kMinSegmentBytes, kMaxSegmentBytes);
  r.Duration("segment_max_age", &out->segment_max_age_seconds, false);
  r.Uint("group_interval_us", &out->group_interval_us, false, 0, kMaxGroupIntervalUs);
  if (out->device_burst == 0) out->device_burst = out->device_rate;
  if (out->client_burst == 0) out->client_burst = out->client_rate;
  if (out->origin_burst == 0) out->origin_burst = out->origin_rate;
  return r.Finish();
}

// Runs `parse` on root[key] (a required table unless `required` is false).
template <typename Fn>
Status Section(TableReader& root, std::string_view key, bool required, Fn&& parse) {
  const toml::table* table = root.Table(key, required);
  DEPIN_RETURN_IF_ERROR(root.Finish());
  if (!table) return Status::Ok();
  TableReader r(*table, std::string(key), root.source());
  return parse(r);
}

}  // namespace

util::Result<NetworkConfig> ParseNetworkConfig(std::string_view text,
                                               std::string_view source_name) {
  toml::table root_table;
  try {
    root_table = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    return ConfigError(source_name, std::max<uint32_t>(1, e.source().begin.line), "",
                       "TOML syntax error: " + std::string(e.description()));
  }
  TableReader root(root_table, "", source_name);
  // Declare every section first so an unknown (misspelt) section is reported before anything.
  for (std::string_view key :
       {"network", "token", "epoch", "emission", "resource_classes", "rewards", "credits", "fees",
        "ledger", "keys", "api", "ingest", "proofs"}) {
    root.Declare(key);
  }
  DEPIN_RETURN_IF_ERROR(root.Finish());

  NetworkConfig c;
  DEPIN_RETURN_IF_ERROR(
      Section(root, "network", true, [&](TableReader& r) { return ParseNetwork(r, &c.network); }));
  DEPIN_RETURN_IF_ERROR(
      Section(root, "token", true, [&](TableReader& r) { return ParseToken(r, &c.token); }));
  DEPIN_RETURN_IF_ERROR(Section(root, "epoch", true, [&](TableReader& r) {
    r.Duration("length", &c.epoch.length_seconds, true);
    return r.Finish();
  }));
  DEPIN_RETURN_IF_ERROR(Section(root, "emission", true, [&](TableReader& r) {
    return ParseEmission(r, c.token, &c.emission);
  }));
  DEPIN_RETURN_IF_ERROR(ParseResourceClasses(root, &c.resource_classes));
  DEPIN_RETURN_IF_ERROR(Section(root, "rewards", true, [&](TableReader& r) {
    return ParseRewards(r, c.epoch.length_seconds, &c.pools, &c.origin_density, &c.verify_rules);
  }));
  DEPIN_RETURN_IF_ERROR(
      Section(root, "keys", true, [&](TableReader& r) { return ParseKeys(r, &c.keys); }));
  DEPIN_RETURN_IF_ERROR(Section(root, "credits", true, [&](TableReader& r) {
    return ParseCredits(r, c.keys.price_oracles.size(), &c.credits);
  }));
  DEPIN_RETURN_IF_ERROR(
      Section(root, "fees", true, [&](TableReader& r) { return ParseFees(r, &c.fees); }));
  DEPIN_RETURN_IF_ERROR(Section(root, "ledger", false, [&](TableReader& r) {
    return ParseLedger(r, c.token, c.keys.reward_oracles.size(), &c.ledger);
  }));
  DEPIN_RETURN_IF_ERROR(
      Section(root, "api", false, [&](TableReader& r) { return ParseApi(r, &c.api); }));
  DEPIN_RETURN_IF_ERROR(
      Section(root, "ingest", false, [&](TableReader& r) { return ParseIngest(r, &c.ingest); }));
  DEPIN_RETURN_IF_ERROR(Section(root, "proofs", false, [&](TableReader& r) {
    return ParseProofs(r, c.epoch.length_seconds, &c.proofs);
  }));
  DEPIN_RETURN_IF_ERROR(CheckClassesAgainstPools(c, source_name));
  return c;
}

util::Result<NetworkConfig> LoadNetworkConfig(util::Env* env, const std::string& path) {
  if (!env->FileExists(path)) {
    return util::Status::NotFound(path + ": no such file (create one with `depin init`)");
  }
  DEPIN_ASSIGN_OR_RETURN(util::Bytes text, env->ReadFile(path));
  return ParseNetworkConfig(util::AsChars(text), path);
}

}  // namespace depin::config
