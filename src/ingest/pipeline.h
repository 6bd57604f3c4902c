// IngestPipeline: takes the body of one POST /v1/reports request and answers it with a status per
// report, acknowledging accepted reports only after the report log made them durable.
//
// Checks run cheapest first, and a report that fails one goes no further:
//   1. envelope framing, size and structure of each entry (wire decoders: size limit first)
//   2. device timestamp inside [server time - max_age, server time + max_skew]
//   3. device known, active and allowed to send this report kind (DeviceRegistry)
//   4. duplicate: report id (SHA-256 of the signing bytes) in the DedupWindow; in-flight ids are
//      reserved so two copies submitted at once cannot both be accepted; a full window (the
//      max_dedup_ids bound) answers 503. A data-transfer report's usage receipt is then checked
//      on its own: signed no longer than receipt_max_age_ms ago (stale_receipt), not after the
//      report (receipt_time), and its (payer, session, sequence) not accepted before in any
//      report (duplicate_receipt: a second DedupWindow, keyed by the receipt, over the receipt
//      validity window), all before any signature is checked
//   5. per-device, per-client-address and per-origin token buckets (origin.h: a keyed hash of the
//      source's /24 or /48); a request the origin's bucket cannot cover is answered 429
//   6. signatures, on the VerifyPool (one check per individually signed report, one per batch)
//   7. append to the ReportLog with the server receive time and the request's network origin, one
//      group-committed fsync
// Nothing rejected reaches the log. When the pipeline is saturated (too many reports in flight,
// verify queue or log queue full) the whole request is answered 503 with Retry-After and nothing
// of it is kept, instead of queueing without bound.
//
// Submit may be called from any thread; the callback runs exactly once, on the calling thread
// (immediate answers), a verify worker, or the log's writer thread. The body must stay valid and
// unchanged until the callback has run. The registry, log and observer must outlive the pipeline;
// destroy the pipeline only after every callback has run (stop the HTTP server first).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/dedup_window.h"
#include "ingest/device_registry.h"
#include "ingest/origin.h"
#include "ingest/rate_limiter.h"
#include "ingest/report_log.h"
#include "ingest/verify_pool.h"
#include "util/bytes.h"
#include "util/env.h"
#include "util/mutex.h"

namespace depin::wire::v1 {
class Report;
}  // namespace depin::wire::v1

namespace depin::ingest {

enum class ReportStatus : uint8_t { kAccepted, kDuplicate, kRejected };

// Why a report was rejected. ReasonName gives the stable text used in responses and metrics.
enum class RejectReason : uint8_t {
  kNone = 0,
  kMalformed,           // undecodable protobuf, bad field sizes, missing body, truncated batch
  kTooLarge,            // entry over the wire size limit
  kUnsupportedVersion,  // report.version is not 1
  kTooOld,              // device timestamp older than the window
  kTooNew,              // device timestamp too far in the future
  kUnknownDevice,       // key not in the registry
  kDeactivated,         // device known but not active
  kKindNotAllowed,      // the device's class may not send this report kind
  kInFlight,            // the same report is being accepted by another request right now
  kRateLimited,         // per-device or per-address token bucket empty
  kBadSignature,        // device (or payer) signature does not verify
  kBadBatchSignature,   // batch signature does not verify over the Merkle root of its reports
  kBadMerkleProof,      // a proven report is not the leaf its inclusion proof claims
  kOverloaded,          // not kept: the request was answered 503 (queues full); retry later
  kDuplicateReceipt,    // the usage receipt (payer, session, sequence) was already accepted
  kStaleReceipt,        // the usage receipt was signed longer than receipt_max_age_ms ago
  kReceiptTime,         // the usage receipt is dated after the report carrying it
  kCount,
};
std::string_view ReasonName(RejectReason reason);
std::string_view StatusName(ReportStatus status);

struct ReportResult {
  ReportId id{};        // wire report id (SHA-256 of the signing bytes)
  bool has_id = false;  // false when the entry could not be decoded far enough to name it
  ReportStatus status = ReportStatus::kRejected;
  RejectReason reason = RejectReason::kNone;
};

// The answer to one request: HTTP status, JSON body (docs/api.md) and the per-report results.
struct IngestReply {
  int http_status = 200;
  uint32_t retry_after_s = 0;  // > 0 only with 503
  std::string body;
  std::vector<ReportResult> results;
};
using IngestDone = std::function<void(IngestReply)>;

// Metrics hooks (the node implements them with its Prometheus registry). Called from any thread.
class IngestObserver {
 public:
  virtual ~IngestObserver() = default;
  virtual void OnReports(ReportStatus /*status*/, RejectReason /*reason*/, uint64_t /*count*/) {}
  // Once per answered request: its HTTP status and the time from Submit to the answer.
  virtual void OnRequest(int /*http_status*/, uint64_t /*latency_micros*/) {}
};

struct IngestOptions {
  util::Env* env = util::Env::Default();
  uint64_t max_age_ms = 10 * 60 * 1000;  // reports older than this are rejected (too_old)
  uint64_t max_skew_ms = 60 * 1000;      // ... and further in the future than this (too_new)
  // Usage receipts signed longer ago are rejected (stale_receipt); receipt keys are remembered
  // this long for duplicate_receipt (and rebuilt from this much of the log after a restart).
  uint64_t receipt_max_age_ms = 3600ull * 1000;
  uint64_t device_rate_per_s = 0;  // 0: no per-device limit
  uint64_t device_burst = 0;
  uint64_t client_rate_per_s = 0;  // per client address; 0: no limit
  uint64_t client_burst = 0;
  // Per network origin (a /24 or /48, origin.h); 0: no limit. The node turns it on by default
  // ([ingest] origin_rate = 1000, origin_burst = 10000: generous for a building of honest devices
  // behind one uplink, a wall for one host flooding).
  uint64_t origin_rate_per_s = 0;
  uint64_t origin_burst = 0;
  // Key of the origin hash (LoadOrCreateOriginKey); the node loads it from its data directory.
  OriginKey origin_key{};
  size_t max_in_flight_reports = 1 << 16;  // beyond this, requests get 503
  // Report ids remembered for the duplicate check (35-70 bytes each); while it is full, requests
  // with new reports get 503. 0: no bound.
  size_t max_dedup_ids = 32u << 20;
  unsigned verify_threads = 0;  // 0: one per core
  uint32_t retry_after_s = 1;
  // Reward epochs: epoch = (receive_ms - genesis_unix_ms) / epoch_ms.
  uint64_t epoch_ms = 24ull * 3600 * 1000;
  uint64_t genesis_unix_ms = 0;
  // The network reports must be signed for (network.toml `[network] id`, wire/domain.h). A report,
  // batch or receipt signed for another network fails its signature check (bad_signature,
  // bad_batch_signature) and has another report id here.
  std::string network_id;
};

class IngestPipeline {
 public:
  // Rebuilds the dedup window from the log's epochs that can hold reports still inside the
  // timestamp window, then starts the verify workers. `data_dir` is the log's data directory.
  static util::Result<std::unique_ptr<IngestPipeline>> Create(IngestOptions options,
                                                              const DeviceRegistry* registry,
                                                              ReportLog* log,
                                                              const std::string& data_dir,
                                                              IngestObserver* observer = nullptr);
  ~IngestPipeline();
  IngestPipeline(const IngestPipeline&) = delete;
  IngestPipeline& operator=(const IngestPipeline&) = delete;

  // `client` is the peer's IP address (text): the per-address limit's key and the report origin.
  void Submit(util::ByteView body, std::string_view client, IngestDone done);

  // Blocks until no admitted request is waiting for verification or the log (for shutdown: stop
  // the HTTP server first, then WaitIdle, then destroy the pipeline, then close the log).
  void WaitIdle();

  uint64_t EpochOf(uint64_t unix_ms) const;
  size_t in_flight_reports() const { return in_flight_.load(std::memory_order_relaxed); }
  size_t verify_pending() const { return pool_.pending_items(); }
  unsigned verify_threads() const { return pool_.threads(); }
  size_t dedup_size() const { return dedup_.size(); }
  size_t receipt_ids() const { return receipts_.size(); }
  uint64_t rebuilt_ids() const { return rebuilt_ids_; }

  struct Request;  // one request's state; defined in pipeline.cc

 private:
  IngestPipeline(IngestOptions options, const DeviceRegistry* registry, ReportLog* log,
                 IngestObserver* observer);
  util::Status RebuildDedup(const std::string& data_dir);
  // Steps 2-3 for one report; kNone when it may go on (and *key is its device).
  RejectReason CheckSender(const wire::v1::Report& report, uint64_t now, DeviceKey* key) const;
  // Steps 2-5 for every decoded entry; returns how many reports it reserved. When the dedup
  // window is full it sets *dedup_full and returns 0 (nothing stays reserved).
  size_t Screen(Request* request, std::string_view client, uint64_t now, bool* dedup_full);
  // Step 6: one verify item per single report, batch and proven report, and per payer receipt.
  void AddSignatureItems(Request* request);
  void Verified(Request* request);
  void Finish(Request* request, IngestReply reply);
  void Reject503(Request* request, std::string_view why);
  // Step 4 for a data-transfer report's receipt: time checks, then its reservation.
  RejectReason ScreenReceipt(Request* request, uint32_t entry, const wire::v1::Report& report,
                             uint64_t now, bool* full);
  // Forgets the entry's in-flight reservations (its report id and, if any, its receipt).
  void ReleaseEntry(Request* request, uint32_t entry);

  const IngestOptions options_;
  const DeviceRegistry* registry_;
  ReportLog* log_;
  IngestObserver default_observer_;
  IngestObserver* observer_;
  DedupWindow dedup_;
  DedupWindow receipts_;  // receipt ids (ReceiptIdOf) by receipt time
  RateLimiter device_limiter_;
  RateLimiter client_limiter_;
  RateLimiter origin_limiter_;
  std::atomic<size_t> in_flight_{0};
  util::Mutex idle_mu_;
  util::CondVar idle_cv_;
  std::atomic<uint64_t> last_epoch_{0};
  uint64_t rebuilt_ids_ = 0;
  VerifyPool pool_;  // last: its workers stop first
};

}  // namespace depin::ingest
