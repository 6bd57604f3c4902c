#include "node/node.h"

#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <nlohmann/json.hpp>

#include "crypto/hash.h"
#include "dashboard/api.h"
#include "epoch/service.h"
#include "http/json_error.h"
#include "node/data_dir_lock.h"

namespace depin::node {

namespace asio = boost::asio;

struct Node::Control {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::optional<asio::signal_set> signals;
  bool waited = false;
};

Node::Node(NodeOptions options, config::NetworkConfig config)
    : options_(std::move(options)),
      config_(std::move(config)),
      health_(std::make_unique<HealthBoard>(&registry_)),
      control_(std::make_unique<Control>()) {}

util::Result<std::unique_ptr<Node>> Node::Start(NodeOptions options) {
  util::Env* env = options.env;
  if (options.data_dir.empty() || !env->FileExists(options.data_dir)) {
    return util::Status::NotFound("data directory \"" + options.data_dir +
                                  "\" does not exist (create one with `depin init DIR`)");
  }
  // One node per directory: a second one would append to the same log segments and database.
  DEPIN_ASSIGN_OR_RETURN(std::unique_ptr<util::FileLock> dir_lock,
                         LockDataDir(env, options.data_dir, util::LockMode::kExclusive));
  DEPIN_ASSIGN_OR_RETURN(
      config::NetworkConfig config,
      config::LoadNetworkConfig(env, util::JoinPath(options.data_dir, "network.toml")));
  {  // a malformed --api fails before anything starts (and logs)
    std::string host;
    uint16_t port = 0;
    DEPIN_RETURN_IF_ERROR(
        http::ParseHostPort(options.api_address.value_or(config.api.listen), &host, &port));
  }
  std::unique_ptr<Node> node(new Node(std::move(options), std::move(config)));
  node->dir_lock_ = std::move(dir_lock);
  const config::ApiSection& api = node->config_.api;
  http::HttpServerOptions http;
  http.address = node->options_.api_address.value_or(api.listen);
  http.io_threads = node->options_.io_threads ? node->options_.io_threads : api.io_threads;
  http.body_limit = api.body_limit_bytes;
  http.header_limit = static_cast<uint32_t>(std::min<uint64_t>(api.header_limit_bytes, UINT32_MAX));
  http.max_connections = static_cast<size_t>(api.max_connections);
  http.max_connections_per_client = static_cast<size_t>(api.max_connections_per_client);
  http.idle_timeout = std::chrono::seconds(api.idle_timeout_seconds);
  http.header_timeout = std::chrono::seconds(api.header_timeout_seconds);
  http.read_timeout = std::chrono::seconds(api.read_timeout_seconds);
  http.write_timeout = std::chrono::seconds(api.write_timeout_seconds);

  IngestServiceOptions ingest_options;
  ApplyIngestConfig(node->config_.ingest, &ingest_options);
  ingest_options.data_dir = node->options_.data_dir;
  ingest_options.dev = node->options_.dev;
  ingest_options.env = env;
  ingest_options.log.on_health = [board = node->health_.get()](const util::Status& health) {
    board->Set("report_log", health);
  };
  DEPIN_ASSIGN_OR_RETURN(node->ingest_, IngestService::Start(std::move(ingest_options),
                                                             node->config_, &node->registry_));
  DEPIN_RETURN_IF_ERROR(node->StartLedger());  // also adds the /v1/ledger/ routes
  DEPIN_RETURN_IF_ERROR(node->PrepareEpochs());
  DEPIN_RETURN_IF_ERROR(node->StartEntropy());
  DEPIN_RETURN_IF_ERROR(node->StartAdmin());
  node->AddRoutes();
  // Handle signals before the server announces itself, so a signal sent as soon as
  // "listening on" appears is never the default (killing) action.
  if (node->options_.handle_signals) {
    Control* control = node->control_.get();
    control->signals.emplace(control->io, SIGINT, SIGTERM);
    control->signals->async_wait([control](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      spdlog::info("node: received signal {}, stopping", signal);
      control->io.stop();
    });
  }
  // Every connection holds a descriptor: take all the OS allows before the server sizes its cap.
  if (util::Result<util::FileLimit> limit = util::RaiseFileLimit(); limit.ok()) {
    spdlog::debug("node: descriptor limit {}", limit->soft);
  } else {
    spdlog::warn("node: cannot raise the descriptor limit: {}", limit.status().ToString());
  }
  util::Result<std::unique_ptr<http::HttpServer>> server =
      http::HttpServer::Start(std::move(http), &node->router_, &node->registry_);
  if (!server.ok()) return server.status().WithContext("api");
  node->server_ = std::move(server).value();
  spdlog::info("node: network {} ({}), api on {}:{}{}", node->config_.network.name,
               node->config_.network.id, node->server_->host(), node->server_->port(),
               node->options_.dev ? ", dev mode" : "");
  return node;
}

void Node::AddRoutes() {
  registry_
      .AddGauge("depin_node_info", "Constant 1, labelled with the network and build version.",
                {"network", "version"})
      .WithLabels({config_.network.id, options_.version})
      .Set(1);
  // 503 while a component repairs itself, naming it (and the code of its cause, not the cause:
  // that names files).
  router_.Get("/v1/health", [this](const http::Request&, http::Responder respond) {
    const std::vector<HealthBoard::Degraded> degraded = health_->degraded();
    nlohmann::json body = {{"status", degraded.empty() ? "ok" : "degraded"},
                           {"network", config_.network.name},
                           {"network_id", config_.network.id},  // what clients sign for
                           {"version", options_.version},
                           {"height", ledger_->height()},
                           {"state_hash", crypto::ToHex(ledger_->state_hash())}};
    if (!degraded.empty()) {
      nlohmann::json& list = body["degraded"] = nlohmann::json::array();
      for (const HealthBoard::Degraded& d : degraded) {
        list.push_back({{"component", d.component}, {"code", d.code}});
      }
    }
    respond(http::Response::Json(degraded.empty() ? 200 : 503, body.dump()));
  });
  ingest_->AddRoutes(&router_);
  epoch::AddEpochRoutes(&router_, options_.env,
                        options_.data_dir);  // manifests in <data dir>/rewards
  if (entropy_) entropy_->AddRoutes(&router_);
  dashboard::AddDashboard(&router_,  // web dashboard: its JSON API and the built bundle at /
                          {options_.env, options_.data_dir, ledger_.get(), &registry_,
                           config_.network.name, std::chrono::milliseconds(1000)},
                          options_.dashboard_dir);
  router_.Get("/metrics", [this](const http::Request&, http::Responder respond) {
    respond(http::Response{200, std::string(http::metrics::kContentType), registry_.Render(), {}});
  });
}

void Node::Wait() {
  if (!control_->waited) {
    control_->waited = true;
    control_->io.run();
  }
  if (server_) server_->Stop();
  admin_.reset();  // waits for a running re-run
  StopEpochs();
  if (entropy_) entropy_->Stop();
  StopLedger();
  spdlog::info("node: stopped");
}

void Node::Stop() { control_->io.stop(); }

Node::~Node() {
  Stop();
  if (server_) server_->Stop();
  admin_.reset();
  StopEpochs();
  if (entropy_) entropy_->Stop();
  StopLedger();
}

}  // namespace depin::node
