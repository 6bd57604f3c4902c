// Proof-of-coverage entropy: the unpredictable value a hotspot's beacon must embed, published by
// the node every `cadence` (docs/proofs.md, "Entropy and beacons"):
//
//   entropy(p) = verify::DeriveEntropy(network id, hash of the ledger tip when p was published,
//                                      period_start_ms)
//              = SHA-256(domain(entropy, network id) || block hash || period_start_ms u64 LE)
//
// where period p starts at genesis + p x cadence and domain() is the network-bound signing
// domain of wire/domain.h, so entropy of one network is never valid on another.
//
// Durable: each published period is appended, then fsynced, to <data dir>/poc/entropy.log before
// it is served — one line per period,
//   <period> <period_start_ms> <published_ms> <height> <block hash hex> <entropy hex>
// A line is self-checking (the entropy is recomputed from the rest), so a torn last line after a
// crash is ignored and a restart serves exactly the history it served before. A period the node
// was down for is never published late: it is published when the node is up again, with that
// time as published_ms, so a beacon cannot cite entropy from before it existed. The epoch close
// reads the entropy valid during the epoch from this file (EntropyForEpoch).
//
// Thread-safety: EntropyLog's functions are pure file reads; EntropyService's methods are
// thread-safe (one mutex guards the published history; the timer thread publishes).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "crypto/hash.h"
#include "http/router.h"
#include "util/env.h"
#include "util/mutex.h"
#include "util/result.h"
#include "verify/coverage_verifier.h"

namespace depin::epoch {

struct EntropyEntry {
  uint64_t period = 0;
  uint64_t period_start_ms = 0;
  uint64_t published_ms = 0;  // beacons must be received at or after this
  uint64_t height = 0;        // the ledger tip it was derived from
  crypto::Hash256 block_hash{};
  crypto::Hash256 entropy{};
};

// <data_dir>/poc/entropy.log
std::string EntropyLogPath(const std::string& data_dir);

// Every entry of the log, oldest first. A missing file is an empty history. Corruption names the
// line when a line other than the last does not parse or check; a bad last line (torn by a
// crash) is dropped.
util::Result<std::vector<EntropyEntry>> LoadEntropyLog(util::Env* env, const std::string& data_dir,
                                                       std::string_view network_id);

// The entropy a beacon received in [start_ms, end_ms) may cite: published in
// [start_ms - max_age_ms, end_ms). Errors are those of LoadEntropyLog.
util::Result<std::vector<verify::EntropyRecord>> EntropyForEpoch(util::Env* env,
                                                                 const std::string& data_dir,
                                                                 std::string_view network_id,
                                                                 uint64_t start_ms, uint64_t end_ms,
                                                                 uint64_t max_age_ms);

// The ledger tip an entropy is derived from.
struct LedgerTip {
  uint64_t height = 0;
  crypto::Hash256 hash{};
};

struct EntropyServiceOptions {
  util::Env* env = util::Env::Default();
  std::string data_dir;
  std::string network_id;
  uint64_t genesis_ms = 0;
  uint64_t cadence_ms = 60'000;
  std::function<int64_t()> now_ms;  // defaults to env->NowUnixMillis()
  std::function<LedgerTip()> tip;   // the ledger's current tip (required)
};

class EntropyService {
 public:
  // Loads the history; errors are LoadEntropyLog's.
  static util::Result<std::unique_ptr<EntropyService>> Open(EntropyServiceOptions options);
  ~EntropyService();

  // Publishes the current period if it is not yet: appends and fsyncs the log line first.
  util::Status PublishDue();
  // Runs PublishDue at each period start on a thread until Stop(). Errors are logged and retried.
  void Start();
  void Stop();

  std::optional<EntropyEntry> Latest() const;
  std::optional<EntropyEntry> Get(uint64_t period) const;

  // GET /v1/poc/entropy/latest and GET /v1/poc/entropy/{period} (docs/api.md).
  void AddRoutes(http::Router* router);

 private:
  explicit EntropyService(EntropyServiceOptions options) : options_(std::move(options)) {}

  EntropyServiceOptions options_;
  mutable util::Mutex mu_;
  std::vector<EntropyEntry> history_ GUARDED_BY(mu_);  // by period, ascending
  util::CondVar cv_;
  bool stop_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace depin::epoch
