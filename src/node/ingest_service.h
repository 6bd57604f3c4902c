// IngestService: the node's side of report ingest. It owns the report log (<data dir>/reports),
// the in-memory device registry and the ingest pipeline, exposes their metrics on the node's
// registry, and registers the HTTP routes (docs/api.md):
//   POST /v1/reports         signed reports, lists and batches (application/x-protobuf)
//   POST /v1/admin/devices   dev mode only, bearer admin token: add or (de)activate devices
//
// The registry is the seam to the ledger: until the ledger keeps it in sync (by calling
// registry().Upsert/SetActive as devices are onboarded and deactivated), devices are registered
// through the admin endpoint in dev mode.
//
// Thread-safety: routes run on the server's io threads; registry() is thread-safe. Shutdown order:
// stop the HTTP server, then destroy the service (it waits for requests in flight, then closes
// the log).
#pragma once

#include <memory>
#include <string>

#include "config/network_config.h"
#include "http/metrics.h"
#include "http/router.h"
#include "ingest/device_registry.h"
#include "ingest/pipeline.h"
#include "ingest/report_log.h"
#include "util/env.h"

namespace depin::node {

struct IngestServiceOptions {
  std::string data_dir;
  bool dev = false;
  util::Env* env = util::Env::Default();
  ingest::IngestOptions pipeline;  // epoch length and env are filled from the config
  ingest::ReportLogOptions log;    // env and data_dir are filled from the fields above
};

// Fills the pipeline and log settings of `options` from network.toml's [ingest] section.
// (Retention of closed epochs is applied by the node: Node::ApplyReportRetention.)
void ApplyIngestConfig(const config::IngestSection& section, IngestServiceOptions* options);

class IngestService {
 public:
  static util::Result<std::unique_ptr<IngestService>> Start(IngestServiceOptions options,
                                                            const config::NetworkConfig& config,
                                                            http::metrics::Registry* registry);
  ~IngestService();
  IngestService(const IngestService&) = delete;
  IngestService& operator=(const IngestService&) = delete;

  void AddRoutes(http::Router* router);
  ingest::InMemoryDeviceRegistry& registry() { return devices_; }
  ingest::IngestPipeline& pipeline() { return *pipeline_; }
  ingest::ReportLog& log() { return *log_; }

  // The report kinds a resource class may send (from [[resource_classes]]); nullopt if unknown.
  std::optional<ingest::KindMask> KindsOfClass(std::string_view name) const;

  class Observer;  // metrics; defined in ingest_service.cc

 private:
  IngestService() = default;
  void HandleReports(const http::Request& request, http::Responder respond);
  void HandleAdminDevices(const http::Request& request, http::Responder respond);

  IngestServiceOptions options_;
  const config::NetworkConfig* config_ = nullptr;
  std::string admin_token_;
  ingest::InMemoryDeviceRegistry devices_;
  std::unique_ptr<Observer> observer_;
  std::unique_ptr<ingest::ReportLog> log_;
  std::unique_ptr<ingest::IngestPipeline> pipeline_;  // after log_: destroyed first
};

// The wire report-kind bit for a config proof kind.
ingest::KindMask KindBitOf(config::ProofKind kind);

}  // namespace depin::node
