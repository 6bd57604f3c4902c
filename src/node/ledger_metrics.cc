#include "node/ledger_metrics.h"

#include <string>

namespace depin::node {

LedgerMetrics::LedgerMetrics(http::metrics::Registry* r)
    : height_(&r->AddGauge("depin_ledger_height", "Height of the last committed block.")
                   .WithLabels({})),
      committed_(&r->AddCounter("depin_ledger_txs_committed_total",
                                "Transactions committed in durable blocks.")
                      .WithLabels({})),
      rejected_(&r->AddCounter("depin_ledger_txs_rejected_total",
                               "Transactions rejected, by stage (submit or block) and TxError.",
                               {"stage", "tx_error"})),
      mempool_refused_(&r->AddCounter(
          "depin_ledger_mempool_refused_total",
          "Transactions the mempool refused or dropped although they may be valid, by reason "
          "(unfunded_sender, nonce_too_far_ahead, sender_quota, mempool_full, duplicate, "
          "expired, evicted, store_unavailable).",
          {"reason"})),
      store_unavailable_(&r->AddCounter(
          "depin_ledger_store_unavailable_total",
          "Ledger API answers 503 store_unavailable (the ledger's store could not be read), by "
          "query.",
          {"query"})),
      depth_(&r->AddGauge("depin_ledger_mempool_depth", "Transactions waiting in the mempool.")
                  .WithLabels({})),
      commit_latency_(&r->AddHistogram("depin_ledger_block_commit_seconds",
                                       "Time to apply, hash, sign and durably commit a block.", {},
                                       http::metrics::DefaultLatencyBucketsMicros(), 6)
                           .WithLabels({})) {}

void LedgerMetrics::OnProduced(const ledger::ProducedBlock& produced, uint64_t produce_micros,
                               uint64_t height, size_t mempool_depth) const {
  for (ledger::TxError e : produced.results) {
    if (e == ledger::TxError::kOk) continue;
    rejected_->WithLabels({"block", std::string(ledger::TxErrorName(e))}).Inc();
  }
  if (produced.committed) {
    committed_->Inc(produced.block.txs.size());
    commit_latency_->Observe(produce_micros);
  }
  SetHeight(height);
  SetMempoolDepth(mempool_depth);
}

void LedgerMetrics::OnSubmit(const ledger::SubmitResult& result, size_t mempool_depth) const {
  if (result.tx_error != ledger::TxError::kOk) {
    rejected_->WithLabels({"submit", std::string(ledger::TxErrorName(result.tx_error))}).Inc();
  }
  if (result.mempool_error != ledger::MempoolError::kNone) OnMempoolRefusal(result.mempool_error);
  SetMempoolDepth(mempool_depth);
}

void LedgerMetrics::OnMempoolRefusal(ledger::MempoolError reason) const {
  mempool_refused_->WithLabels({std::string(ledger::MempoolErrorName(reason))}).Inc();
}

void LedgerMetrics::OnStoreUnavailable(std::string_view query) const {
  store_unavailable_->WithLabels({std::string(query)}).Inc();
}

void AttachLedgerMetrics(http::metrics::Registry* registry, const ledger::Ledger* chain,
                         ledger::Mempool* mempool, ledger::BlockProducer* producer,
                         ledger::LedgerApi* api) {
  const LedgerMetrics m(registry);
  mempool->set_drop_observer([m](ledger::MempoolError reason) { m.OnMempoolRefusal(reason); });
  m.SetHeight(chain->height());
  producer->set_observer([m, chain, mempool](const ledger::ProducedBlock& b, uint64_t micros) {
    m.OnProduced(b, micros, chain->height(), mempool->size());
  });
  api->set_on_submit(
      [m, mempool](const ledger::SubmitResult& r) { m.OnSubmit(r, mempool->size()); });
  api->set_on_store_unavailable([m](std::string_view query) { m.OnStoreUnavailable(query); });
}

}  // namespace depin::node
