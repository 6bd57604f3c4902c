// Node: a running OpenDePIN node — loads <data dir>/network.toml, serves the HTTP API
// (GET /v1/health, GET /metrics; docs/api.md) and stops cleanly on Stop() or, when asked,
// SIGINT/SIGTERM. The ledger, ingest and the epoch service are started and stopped here.
// The embedded ledger lives in <data dir>/ledger.db (created at genesis on first start); its
// mempool and block producer (signing with <data dir>/keys/producer.key) run while the node
// runs, its API is served under /v1/ledger/ (ledger/api.h), and shutdown stops the server,
// commits the transactions already accepted, then closes the database. Devices onboarded on the
// ledger are registered with ingest as their block commits (device_sync.h); ended epochs are
// closed and their reward roots posted through the mempool (node_epochs.cc; in --dev mode every
// device's reward is also claimed for its owner).
//
//   DEPIN_ASSIGN_OR_RETURN(auto node, Node::Start(options));
//   std::printf("listening on http://%s:%u\n", node->host().c_str(), node->port());
//   node->Wait();  // until Stop() or a signal
//
// Thread-safety: Stop() may be called from any thread (and from a signal, via handle_signals);
// the other methods are for the owning thread. Only one thread may call Wait().
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "config/network_config.h"
#include "epoch/commit_waiter.h"
#include "epoch/poc_entropy.h"
#include "epoch/service.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "ledger/api.h"
#include "ledger/ledger.h"
#include "ledger/mempool.h"
#include "ledger/producer.h"
#include "node/admin_routes.h"
#include "node/device_sync.h"
#include "node/health_board.h"
#include "node/ingest_service.h"
#include "node/logging.h"  // ConfigureLogging, for the commands that start a node
#include "util/env.h"
#include "util/mutex.h"
#include "util/result.h"

namespace depin::node {

// [ingest] retain_epochs: once `computed_epoch` is computed, raw reports of epochs below the
// returned epoch may be deleted (0: none). It keeps the `retain_epochs` newest computed epochs
// (for re-runs and `depin rewards recompute`), and always the epoch before `oldest_live_epoch` (the
// epoch of the oldest timestamp ingest still accepts) and after: ingest rebuilds its duplicate
// check from those after a restart.
uint64_t ReportDropFloor(uint64_t computed_epoch, uint64_t retain_epochs,
                         uint64_t oldest_live_epoch);

struct NodeOptions {
  std::string data_dir;
  bool dev = false;                        // development mode
  std::optional<std::string> api_address;  // HOST:PORT; overrides [api] listen
  unsigned io_threads = 0;                 // 0: [api] io_threads (0 there: one per core)
  bool handle_signals = false;             // SIGINT/SIGTERM call Stop() (the CLI sets this)
  std::string version = "0.0.0";           // reported by /v1/health
  std::string dashboard_dir;  // built web dashboard; "" = <executable dir>/../dashboard
  util::Env* env = util::Env::Default();
};

class Node {
 public:
  // Loads the config (errors name the file and line), starts the API server; returns once the
  // server listens, so port() is valid.
  static util::Result<std::unique_ptr<Node>> Start(NodeOptions options);
  ~Node();  // Stop() and wait for the shutdown
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  uint16_t port() const { return server_->port(); }
  const std::string& host() const { return server_->host(); }
  const config::NetworkConfig& config() const { return config_; }
  http::metrics::Registry& metrics() { return registry_; }
  // Every API route, complete once Start returns: lets a caller drive the handlers without a
  // socket (fuzz/http_router_fuzz.cc feeds it parsed requests).
  const http::Router& router() const { return router_; }
  // Report ingest (POST /v1/reports): its device registry is the seam the ledger will feed.
  IngestService& ingest() { return *ingest_; }
  // The embedded ledger (thread-safe); valid until Wait() returns or the node is destroyed.
  ledger::Ledger& ledger() { return *ledger_; }

  // Submits a transaction through the node's mempool and waits until its block is durable and
  // the node has reacted to it (ingest registry, ...): kOk, or the TxError that rejected it.
  util::Result<ledger::TxError> SubmitAndWait(const ledger::Tx& tx) {
    return waiter_->SubmitAndWait(tx);
  }
  // Waits until block `height` is committed and processed; false after timeout_ms.
  bool WaitForBlock(uint64_t height, int64_t timeout_ms) {
    return waiter_->WaitForHeight(height, timeout_ms);
  }

  // Blocks until Stop() is called or a handled signal arrives, then shuts the node down.
  void Wait();
  // Asks the node to stop; returns at once. Wait() (or the destructor) completes the shutdown.
  void Stop();

 private:
  struct Control;  // the signal-handling io_context (Asio stays out of this header)
  Node(NodeOptions options, config::NetworkConfig config);
  void AddRoutes();
  util::Status StartLedger();
  void StopLedger();  // after the server stopped: drains the producer; idempotent
  // Epoch service (node_epochs.cc): validated at start, running from the first block on.
  util::Status PrepareEpochs();
  void MaybeStartEpochs();
  void StopEpochs();  // before StopLedger: a close waiting on a commit gives up
  // [ingest] retain_epochs: once `epoch` is computed, drops raw reports of older epochs.
  void ApplyReportRetention(uint64_t computed_epoch);
  void OnBlockCommitted(const ledger::ProducedBlock& block);
  util::Status StartAdmin();    // node_admin.cc: /v1/admin/ routes and the stored denylist
  util::Status StartEntropy();  // node_epochs.cc: PoC entropy, published on its cadence

  NodeOptions options_;
  config::NetworkConfig config_;
  std::unique_ptr<util::FileLock> dir_lock_;  // <data dir>/LOCK; released last
  http::metrics::Registry registry_;
  std::unique_ptr<HealthBoard> health_;  // components repairing themselves (GET /v1/health)
  http::Router router_;
  std::unique_ptr<Control> control_;
  std::unique_ptr<ledger::Ledger> ledger_;  // the ledger members outlive every request
  std::unique_ptr<ledger::Mempool> mempool_;
  std::unique_ptr<ledger::BlockProducer> producer_;
  std::unique_ptr<ledger::LedgerApi> ledger_api_;
  std::unique_ptr<DeviceSync> device_sync_;  // ledger devices -> ingest registry
  std::unique_ptr<AdminRoutes> admin_;       // reset before the ledger: a re-run reads it
  std::unique_ptr<epoch::CommitWaiter> waiter_;
  util::Mutex epochs_mu_;
  std::optional<epoch::EpochServiceOptions> epoch_options_ GUARDED_BY(epochs_mu_);
  std::unique_ptr<epoch::EpochService> epochs_ GUARDED_BY(epochs_mu_);
  bool stopping_epochs_ GUARDED_BY(epochs_mu_) = false;
  std::atomic<bool> epochs_started_{false};
  // PoC entropy (poc_entropy.h), when a resource class uses proof of coverage.
  std::unique_ptr<epoch::EntropyService> entropy_;
  std::unique_ptr<IngestService> ingest_;     // before server_: outlives every request
  std::unique_ptr<http::HttpServer> server_;  // last: stopped and destroyed first
};

}  // namespace depin::node
