// DashboardApi: the read-only JSON API behind the web dashboard (docs/api.md, "Dashboard routes";
// docs/dashboard.md says which panel uses which route):
//
//   GET  /v1/network/summary            the network now: height, supply totals, devices, cells,
//                                       epochs, ingest counters
//   GET  /v1/network/health             per closed epoch, newest first: DC burned (value) vs
//                                       tokens emitted, active vs registered devices, invalid
//                                       reports by reason, top-10 owners' share of rewards
//   GET  /v1/devices                    devices in key order with location and latest reward/flags
//   GET  /v1/devices/{key}              one device: ledger record, location, latest reward and
//                                       flags, per-epoch history (the load-tested lookup)
//   POST /v1/devices/query              {"keys": [...]} (at most 1000): the same rows in one call
//   GET  /v1/cells                      covered S2 cells (?level=, default 12) with corners,
//                                       device count and the latest epoch's rewards in them
//   GET  /v1/epochs                     closed epochs, newest first: emission, minted, pools,
//                                       unallocated, roots, claim status
//   GET  /v1/epochs/{epoch}             one closed epoch in full
//   GET  /v1/explorer/blocks            latest blocks (newest first)
//   GET  /v1/explorer/blocks/{height}   one block with its transactions
//   GET  /v1/explorer/tx/{id}           one committed transaction, decoded
//   GET  /v1/explorer/accounts/{address}  balance, credits, devices, recent transactions
//
// Lists take ?offset=&limit= (limit 1..1000, default 100; offset past the end: 400
// out_of_range) and answer {"total","offset","limit","items":[...]}. Epoch aggregates are cached
// per epoch (dashboard_epochs.h) and the ledger is followed incrementally (dashboard_index.h), so
// no request re-reads a manifest or scans the chain.
//
// Thread-safety: handlers run on any server thread; everything they touch is thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

#include "dashboard/economy_metrics.h"
#include "dashboard/epochs.h"
#include "dashboard/index.h"
#include "http/metrics.h"
#include "http/router.h"
#include "ledger/ledger.h"
#include "util/env.h"
#include "util/mutex.h"
#include "util/result.h"

namespace depin::dashboard {

struct DashboardSources {
  util::Env* env = util::Env::Default();
  std::string data_dir;                    // manifests in <data_dir>/rewards
  const ledger::Ledger* ledger = nullptr;  // outlives every request
  http::metrics::Registry* metrics =
      nullptr;  // ingest counters read, economy metrics added (optional)
  std::string network_name;
  std::chrono::milliseconds epoch_rescan{1000};  // how often new manifests are looked for
};

inline constexpr uint64_t kDefaultPageLimit = 100;
inline constexpr uint64_t kMaxPageLimit = 1000;

struct Page {
  uint64_t offset = 0;
  uint64_t limit = kDefaultPageLimit;
};
// Parses ?offset=&limit= from a raw query string. InvalidArgument for a value that is not a
// decimal integer; OutOfRange for limit 0 or > 1000, or offset > total.
util::Result<Page> ParsePage(std::string_view query, uint64_t total);
// The raw value of query parameter `name` (last occurrence), or nullopt.
std::optional<std::string_view> QueryParam(std::string_view query, std::string_view name);

// Ingest totals parsed from the metrics text: accepted, duplicate, rejected by reason.
struct IngestCounts {
  uint64_t accepted = 0, duplicate = 0;
  std::vector<std::pair<std::string, uint64_t>> rejected;  // reasons with a non-zero count
};
IngestCounts IngestCountsFromMetrics(std::string_view prometheus_text);

class DashboardApi {
 public:
  explicit DashboardApi(DashboardSources sources);

  // Adds every route above; the handlers share ownership of `api`.
  static void AddRoutes(std::shared_ptr<DashboardApi> api, http::Router* router);

  LedgerIndex& index() { return index_; }
  EpochCache& epochs() { return epochs_; }

  // The handlers' bodies, callable directly (tests, benchmarks). Each returns the response.
  http::Response Summary();
  http::Response Health(const http::Request& r);
  http::Response DeviceList(const http::Request& r);
  http::Response DeviceDetail(std::string_view key);
  http::Response DeviceQuery(const http::Request& r);
  http::Response CellList(const http::Request& r);
  http::Response EpochList(const http::Request& r);
  http::Response EpochDetail(std::string_view epoch);
  http::Response BlockList(const http::Request& r);
  http::Response BlockDetail(std::string_view height);
  http::Response TxDetail(std::string_view id);
  http::Response AccountDetail(std::string_view address);

 private:
  // Brings the index up to the ledger's tip; a failure is logged and the last state is used.
  void Sync();
  // A page of closed epochs, newest first, each rendered by `item` (Health, EpochList).
  http::Response EpochPage(
      const http::Request& r,
      const std::function<util::Result<nlohmann::json>(const EpochSummary&)>& item);

  // The claim counts of an epoch (CountEpochClaims: one ledger read per device leaf), cached
  // until the next block, or for good once every leaf is claimed; so listing epochs costs ledger
  // reads once per block, not once per request.
  util::Result<EpochClaims> Claims(const EpochSummary& s);

  DashboardSources sources_;
  LedgerIndex index_;
  EpochCache epochs_;
  std::unique_ptr<EconomyMetrics> economy_;  // on sources_.metrics, when given

  // Device lookups answered at (ledger height, newest closed epoch + 1); a new block or a new
  // epoch makes every entry stale. Cleared when it exceeds kMaxCachedDevices.
  struct CachedDevice {
    uint64_t height = 0;
    uint64_t epoch_plus_one = 0;
    std::string body;
  };
  static constexpr size_t kMaxCachedDevices = 200'000;
  struct CachedClaims {
    uint64_t height = 0;
    EpochClaims claims;
  };
  static constexpr size_t kMaxCachedEpochClaims = 4096;
  util::Mutex claims_mu_;
  std::map<uint64_t, CachedClaims> claims_cache_ GUARDED_BY(claims_mu_);  // by epoch
  util::SharedMutex device_cache_mu_;
  std::unordered_map<crypto::PublicKey, CachedDevice, crypto::PublicKeyHash> device_cache_
      GUARDED_BY(device_cache_mu_);
};

// Creates a DashboardApi owned by its route handlers and adds its routes.
void AddDashboardRoutes(http::Router* router, DashboardSources sources);
// The node's one call: the API above plus the dashboard's static files (static_files.h) from
// `assets_dir`, or from DefaultDashboardDir() when it is empty.
void AddDashboard(http::Router* router, DashboardSources sources, const std::string& assets_dir);

}  // namespace depin::dashboard
