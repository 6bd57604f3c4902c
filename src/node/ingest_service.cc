#include "node/ingest_service.h"

#include <algorithm>
#include <array>

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "crypto/ed25519.h"
#include "http/json_error.h"
#include "ingest/log_version.h"
#include "node/admin_routes.h"

namespace depin::node {

ingest::KindMask KindBitOf(config::ProofKind kind) {
  // Wire ReportKind values are the config's proof kinds in the same order, starting at 1.
  return ingest::KindBit(static_cast<uint32_t>(kind) + 1);
}

// Turns pipeline events into Prometheus metrics (docs/api.md lists them). The hot path touches
// only counters and histograms resolved here once; queue depths are read when /metrics is scraped.
class IngestService::Observer final : public ingest::IngestObserver {
 public:
  Observer(http::metrics::Registry* r, IngestService* service)
      : requests_(r->AddCounter("depin_ingest_requests_total",
                                "POST /v1/reports requests by HTTP status.", {"code"})),
        ack_(r->AddHistogram("depin_ingest_ack_latency_seconds",
                             "Time from receiving a request to answering it (after fsync).", {},
                             http::metrics::DefaultLatencyBucketsMicros(), 6)
                 .WithLabels({})),
        fsync_(r->AddHistogram("depin_ingest_log_fsync_seconds",
                               "Report-log group-commit fdatasync latency, every sync.", {},
                               http::metrics::DefaultLatencyBucketsMicros(), 6)
                   .WithLabels({})) {
    auto& reports = r->AddCounter("depin_ingest_reports_total",
                                  "Reports answered accepted or duplicate.", {"status"});
    accepted_ = &reports.WithLabels({"accepted"});
    duplicate_ = &reports.WithLabels({"duplicate"});
    auto& rejected =
        r->AddCounter("depin_ingest_rejected_total",
                      "Reports rejected, by reason (nothing rejected is logged).", {"reason"});
    for (size_t i = 1; i < rejected_.size(); ++i) {
      rejected_[i] = &rejected.WithLabels(
          {std::string(ingest::ReasonName(static_cast<ingest::RejectReason>(i)))});
    }
    for (size_t i = 0; i < kCommonCodes.size(); ++i) {
      common_requests_[i] = &requests_.WithLabels({std::to_string(kCommonCodes[i])});
    }
    auto& in_flight =
        r->AddGauge("depin_ingest_in_flight_reports", "Reports admitted and not yet answered.")
            .WithLabels({});
    auto& verify_queue = r->AddGauge("depin_ingest_verify_queue_signatures",
                                     "Signatures queued for or being verified.")
                             .WithLabels({});
    auto& dedup_ids =
        r->AddGauge("depin_ingest_dedup_ids", "Report ids remembered for the duplicate check.")
            .WithLabels({});
    auto& log_queue =
        r->AddGauge("depin_ingest_log_queue_records", "Records queued for the report log's writer.")
            .WithLabels({});
    collect_ = r->OnCollect([service, &in_flight, &verify_queue, &dedup_ids, &log_queue] {
      if (service->pipeline_) {
        in_flight.Set(static_cast<int64_t>(service->pipeline_->in_flight_reports()));
        verify_queue.Set(static_cast<int64_t>(service->pipeline_->verify_pending()));
        dedup_ids.Set(static_cast<int64_t>(service->pipeline_->dedup_size()));
      }
      if (service->log_) {
        log_queue.Set(static_cast<int64_t>(service->log_->stats().queue_records));
      }
    });
  }

  void OnReports(ingest::ReportStatus status, ingest::RejectReason reason,
                 uint64_t count) override {
    switch (status) {
      case ingest::ReportStatus::kAccepted:
        return accepted_->Inc(count);
      case ingest::ReportStatus::kDuplicate:
        return duplicate_->Inc(count);
      case ingest::ReportStatus::kRejected:
        break;
    }
    size_t i = static_cast<size_t>(reason);
    if (i > 0 && i < rejected_.size()) rejected_[i]->Inc(count);
  }

  void OnRequest(int http_status, uint64_t latency_micros) override {
    if (http_status == 200) ack_.Observe(latency_micros);
    for (size_t i = 0; i < kCommonCodes.size(); ++i) {
      if (kCommonCodes[i] == http_status) return common_requests_[i]->Inc();
    }
    requests_.WithLabels({std::to_string(http_status)}).Inc();
  }

  void OnSync(uint64_t micros) { fsync_.Observe(micros); }
  // Before the service tears down the pipeline and log that the hook reads.
  void StopCollecting() { collect_.reset(); }

 private:
  static constexpr std::array<int, 3> kCommonCodes = {200, 400, 503};

  http::metrics::Family<http::metrics::Counter>& requests_;
  http::metrics::Histogram& ack_;
  http::metrics::Histogram& fsync_;
  http::metrics::Counter* accepted_ = nullptr;
  http::metrics::Counter* duplicate_ = nullptr;
  std::array<http::metrics::Counter*, static_cast<size_t>(ingest::RejectReason::kCount)>
      rejected_{};
  std::array<http::metrics::Counter*, kCommonCodes.size()> common_requests_{};
  std::unique_ptr<http::metrics::Registry::CollectHook> collect_;
};

void ApplyIngestConfig(const config::IngestSection& section, IngestServiceOptions* options) {
  ingest::IngestOptions& p = options->pipeline;
  p.max_age_ms = section.max_report_age_seconds * 1000;
  p.max_skew_ms = section.max_clock_skew_seconds * 1000;
  p.receipt_max_age_ms = section.receipt_max_age_seconds * 1000;
  p.device_rate_per_s = section.device_rate;
  p.device_burst = section.device_burst;
  p.client_rate_per_s = section.client_rate;
  p.client_burst = section.client_burst;
  p.origin_rate_per_s = section.origin_rate;
  p.origin_burst = section.origin_burst;
  p.max_in_flight_reports = section.max_in_flight_reports;
  p.max_dedup_ids = section.max_dedup_ids;
  p.verify_threads = section.verify_threads;
  ingest::ReportLogOptions& log = options->log;
  log.segment_max_bytes = section.segment_max_bytes;
  log.segment_max_age_ms = section.segment_max_age_seconds * 1000;
  log.min_group_interval_us = section.group_interval_us;
}

util::Result<std::unique_ptr<IngestService>> IngestService::Start(
    IngestServiceOptions options, const config::NetworkConfig& config,
    http::metrics::Registry* registry) {
  std::unique_ptr<IngestService> s(new IngestService());
  s->options_ = std::move(options);
  s->config_ = &config;
  util::Env* env = s->options_.env;
  if (s->options_.dev) {
    util::Result<std::string> token = LoadAdminToken(env, config, s->options_.data_dir);
    if (token.ok()) {
      s->admin_token_ = std::move(token).value();
    } else {
      spdlog::warn("ingest: {}; POST /v1/admin/devices disabled", token.status().ToString());
    }
  }
  s->observer_ = std::make_unique<Observer>(registry, s.get());
  ingest::ReportLogOptions log_options = s->options_.log;
  log_options.on_sync = [observer = s->observer_.get()](uint64_t micros) {
    observer->OnSync(micros);
  };
  log_options.env = env;
  log_options.data_dir = s->options_.data_dir;
  // Before the log is opened (and recovered): a log of another format version changes nothing.
  DEPIN_RETURN_IF_ERROR(ingest::CheckReportLogFormat(env, s->options_.data_dir, /*record=*/true));
  util::Result<std::unique_ptr<ingest::ReportLog>> log = ingest::ReportLog::Open(log_options);
  if (!log.ok()) return log.status().WithContext("report log");
  s->log_ = std::move(log).value();
  const ingest::RecoveryReport& rec = s->log_->recovery();
  if (rec.dropped_bytes > 0) {
    spdlog::warn("ingest: report log recovery cut {} bytes of torn tail from {}", rec.dropped_bytes,
                 rec.truncated_segment);
  }
  ingest::IngestOptions p = s->options_.pipeline;
  p.env = env;
  // The key of the origin hash never leaves the data directory (ingest/origin.h).
  util::Result<ingest::OriginKey> origin_key =
      ingest::LoadOrCreateOriginKey(env, s->options_.data_dir);
  if (!origin_key.ok()) return origin_key.status().WithContext("ingest");
  p.origin_key = *origin_key;
  p.epoch_ms = config.epoch.length_seconds * 1000;
  // The same epoch numbering as the ledger's (ledger_params.cc): the epoch close reads epoch e's
  // log segment for the ledger's epoch e.
  p.genesis_unix_ms = static_cast<uint64_t>(std::max<int64_t>(config.network.genesis_time_ms, 0));
  p.network_id = config.network.id;  // reports are signed for it (wire/domain.h)
  util::Result<std::unique_ptr<ingest::IngestPipeline>> pipeline = ingest::IngestPipeline::Create(
      p, &s->devices_, s->log_.get(), s->options_.data_dir, s->observer_.get());
  if (!pipeline.ok()) return pipeline.status().WithContext("ingest");
  s->pipeline_ = std::move(pipeline).value();
  spdlog::info("ingest: {} records in the log, {} recent report ids rebuilt, {} verify threads",
               rec.records, s->pipeline_->rebuilt_ids(), s->pipeline_->verify_threads());
  return s;
}

IngestService::~IngestService() {
  if (observer_) observer_->StopCollecting();
  if (pipeline_) pipeline_->WaitIdle();
  pipeline_.reset();
  if (log_) {
    util::Status st = log_->Close();
    if (!st.ok()) spdlog::error("ingest: closing the report log: {}", st.ToString());
  }
}

std::optional<ingest::KindMask> IngestService::KindsOfClass(std::string_view name) const {
  for (const config::ResourceClass& rc : config_->resource_classes) {
    if (rc.name != name) continue;
    ingest::KindMask mask = 0;
    for (config::ProofKind k : rc.proofs) mask |= KindBitOf(k);
    return mask;
  }
  return std::nullopt;
}

void IngestService::AddRoutes(http::Router* router) {
  router->Post("/v1/reports", [this](const http::Request& req, http::Responder respond) {
    HandleReports(req, respond);
  });
  if (options_.dev) {
    router->Post("/v1/admin/devices", [this](const http::Request& req, http::Responder respond) {
      HandleAdminDevices(req, respond);
    });
  }
}

void IngestService::HandleReports(const http::Request& request, http::Responder respond) {
  std::string_view type = request.Header("Content-Type");
  if (type.substr(0, type.find(';')) != "application/x-protobuf") {
    respond(http::JsonError(415, "unsupported_media_type",
                            "POST /v1/reports takes Content-Type application/x-protobuf"));
    return;
  }
  std::string_view client = request.remote;
  if (size_t colon = client.rfind(':'); colon != std::string_view::npos) {
    client = client.substr(0, colon);
  }
  pipeline_->Submit(util::AsBytes(request.body), client, [respond](ingest::IngestReply reply) {
    http::Response response = http::Response::Json(reply.http_status, std::move(reply.body));
    if (reply.retry_after_s > 0) {
      response.headers.push_back({"Retry-After", std::to_string(reply.retry_after_s)});
    }
    respond(std::move(response));
  });
}

// Body: {"devices":[{"key":"<base58>","class":"<resource class>"|"kinds":["heartbeat",...],
//                    "active":true}]}
void IngestService::HandleAdminDevices(const http::Request& request, http::Responder respond) {
  if (!HasAdminToken(request, admin_token_)) {
    respond(http::JsonError(401, "unauthenticated", "missing or wrong admin bearer token"));
    return;
  }
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("devices") || !body["devices"].is_array()) {
    respond(http::JsonError(400, "invalid_argument", "body: want {\"devices\":[...]}"));
    return;
  }
  std::vector<std::pair<ingest::DeviceKey, ingest::DeviceInfo>> updates;
  size_t i = 0;
  for (const nlohmann::json& d : body["devices"]) {
    std::string where = "devices[" + std::to_string(i++) + "]";
    if (!d.is_object() || !d.contains("key") || !d["key"].is_string()) {
      respond(http::JsonError(400, "invalid_argument", where + ".key: missing"));
      return;
    }
    util::Result<crypto::PublicKey> key =
        crypto::PublicKey::FromBase58(d["key"].get<std::string>());
    if (!key.ok()) {
      respond(http::JsonError(400, "invalid_argument", where + ".key: " + key.status().ToString()));
      return;
    }
    // Every field's type is checked before it is read: a wrong type is the client's error (400
    // naming the field), never a json exception (500).
    if (d.contains("active") && !d["active"].is_boolean()) {
      respond(http::JsonError(400, "invalid_argument", where + ".active: want true or false"));
      return;
    }
    if (d.contains("class") && !d["class"].is_string()) {
      respond(http::JsonError(400, "invalid_argument", where + ".class: want a string"));
      return;
    }
    if (d.contains("kinds") && !d["kinds"].is_array()) {
      respond(http::JsonError(400, "invalid_argument", where + ".kinds: want an array of strings"));
      return;
    }
    ingest::DeviceInfo info{0, d.contains("active") ? d["active"].get<bool>() : true};
    if (d.contains("class")) {
      std::optional<ingest::KindMask> mask = KindsOfClass(d["class"].get<std::string>());
      if (!mask) {
        respond(http::JsonError(400, "invalid_argument", where + ".class: no such resource class"));
        return;
      }
      info.allowed_kinds = *mask;
    } else if (d.contains("kinds")) {
      for (const nlohmann::json& k : d["kinds"]) {
        std::optional<config::ProofKind> kind =
            k.is_string() ? config::ProofKindFromName(k.get<std::string>()) : std::nullopt;
        if (!kind) {
          respond(http::JsonError(400, "invalid_argument", where + ".kinds: unknown proof kind"));
          return;
        }
        info.allowed_kinds |= KindBitOf(*kind);
      }
    } else {
      respond(http::JsonError(400, "invalid_argument", where + ": want \"class\" or \"kinds\""));
      return;
    }
    updates.push_back({key->bytes, info});
  }
  for (const auto& [key, info] : updates) devices_.Upsert(key, info);
  respond(http::Response::Json(200, nlohmann::json{{"registered", updates.size()}}.dump()));
}

}  // namespace depin::node
