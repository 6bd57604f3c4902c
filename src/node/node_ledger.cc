// Node's embedded ledger: opening <data dir>/ledger.db, running the mempool and block producer,
// serving the ledger API on the node's router, and the ordered shutdown (node.h).
#include <spdlog/spdlog.h>

#include "config/ledger_params.h"
#include "crypto/key_file.h"
#include "node/ledger_metrics.h"
#include "node/node.h"

namespace depin::node {

util::Status Node::StartLedger() {
  util::Env* env = options_.env;
  DEPIN_ASSIGN_OR_RETURN(ledger::LedgerParams params, config::LedgerParamsFromConfig(config_));
  config::LedgerRuntime runtime =
      config::LedgerRuntimeFromConfig(config_);  // [ledger] mempool, producer
  runtime.mempool.env = env;                     // the expiry clock
  runtime.producer.on_health = [board = health_.get()](const util::Status& health) {
    board->Set("ledger", health);
  };
  const std::string key_path = util::JoinPath(options_.data_dir, "keys/producer.key");
  util::Result<crypto::KeyPair> key = crypto::ReadKeyFile(env, key_path);
  if (!key.ok()) return key.status().WithContext("ledger: block producer key");
  if (key->public_key().ToBase58() != config_.keys.producer) {
    return util::Status::FailedPrecondition(
        key_path + ": its public key " + key->public_key().ToBase58() +
        " is not the network's producer key (keys.producer = " + config_.keys.producer + ")");
  }
  const std::string db = config::LedgerDbPath(options_.data_dir);
  util::Result<std::unique_ptr<ledger::Ledger>> opened = ledger::Ledger::Open(db, params);
  if (!opened.ok()) return opened.status().WithContext("ledger " + db);
  ledger_ = std::move(opened).value();
  ledger::Ledger* chain = ledger_.get();
  mempool_ = std::make_unique<ledger::Mempool>(
      chain->machine(), runtime.mempool,
      [chain](std::string_view state_key) { return chain->ReadState(state_key); });
  device_sync_ =
      std::make_unique<DeviceSync>(chain, &ingest_->registry(), KindMasksOfClasses(config_));
  DEPIN_ASSIGN_OR_RETURN(const size_t devices, device_sync_->LoadAll());
  waiter_ = std::make_unique<epoch::CommitWaiter>(chain, mempool_.get());
  waiter_->Notify(chain->height());  // blocks committed before this run are acknowledged
  producer_ = std::make_unique<ledger::BlockProducer>(
      chain, mempool_.get(), std::move(key).value(), runtime.producer, env,
      [this](const ledger::ProducedBlock& b) { OnBlockCommitted(b); });
  ledger_api_ = std::make_unique<ledger::LedgerApi>(chain, mempool_.get());
  epoch::CommitWaiter* waiter = waiter_.get();
  ledger_api_->set_acknowledged_height([waiter] { return waiter->notified_height(); });
  AttachLedgerMetrics(&registry_, chain, mempool_.get(), producer_.get(), ledger_api_.get());
  ledger_api_->RegisterRoutes(
      [this](std::string method, std::string pattern, ledger::ApiHandler handler) {
        router_.Add(
            std::move(method), std::move(pattern),
            [handler = std::move(handler)](const http::Request& request, http::Responder respond) {
              ledger::ApiRequest api;
              api.content_type = request.Header("Content-Type");
              api.body = request.body;
              api.param = [&request](std::string_view name) { return request.Param(name); };
              ledger::ApiReply reply = handler(api);
              respond(http::Response::Json(reply.status, std::move(reply.json)));
            });
      });
  producer_->Start();
  spdlog::info("ledger: {} at height {}, {} devices", db, chain->height(), devices);
  return util::Status::Ok();
}

// Runs on the producer's thread after each durable block.
void Node::OnBlockCommitted(const ledger::ProducedBlock& b) {
  spdlog::debug("ledger: block {} committed with {} txs", b.block.header.height,
                b.block.txs.size());
  device_sync_->OnBlock(b.block);
  waiter_->Notify(b.block.header.height);
  if (!epochs_started_.load(std::memory_order_relaxed)) MaybeStartEpochs();
}

void Node::StopLedger() {
  if (!producer_) return;
  mempool_->WakeAll();
  producer_->Stop();
  // Commit what was accepted (the server no longer takes requests); txs that can never become
  // ready (a nonce gap) stay behind, unacknowledged.
  while (mempool_->size() > 0 || producer_->retrying()) {
    util::Result<ledger::ProducedBlock> b = producer_->ProduceOnce();
    if (!b.ok()) {
      spdlog::error("ledger: draining the mempool: {}", b.status().ToString());
      break;
    }
    if (!b->committed && b->results.empty()) break;
  }
  if (util::Status s = producer_->last_error(); !s.ok()) {
    spdlog::error("ledger: the block producer stopped: {}", s.ToString());
  }
  spdlog::info("ledger: closed at height {}", ledger_->height());
  // The server has stopped, so no request can reach these any more.
  producer_.reset();
  ledger_api_.reset();
  waiter_.reset();
  device_sync_.reset();
  mempool_.reset();
  ledger_.reset();  // closes the database
}

}  // namespace depin::node
