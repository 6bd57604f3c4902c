// LedgerMetrics: the embedded ledger's Prometheus metrics on the node's registry (GET /metrics):
//
//   depin_ledger_height                      gauge: height of the last committed block
//   depin_ledger_txs_committed_total         counter
//   depin_ledger_txs_rejected_total          counter, labels stage ("submit": refused by the
//                                            mempool; "block": rejected when applied), tx_error
//   depin_ledger_mempool_refused_total       counter, label reason (ledger::MempoolErrorName):
//                                            refused at submission or dropped later
//   depin_ledger_store_unavailable_total     counter, label query ("account", "devices",
//                                            "delegation", "device", "head", "tx"): API answers
//                                            503 store_unavailable (the store could not be read)
//   depin_ledger_mempool_depth               gauge: pending transactions
//   depin_ledger_block_commit_seconds        histogram: apply + hash + sign + durable commit
//
// The families are registered once, by the constructor; the object only holds references into
// the registry, so copies are cheap. Thread-safe (the metrics are atomics).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/metrics.h"
#include "ledger/api.h"
#include "ledger/ledger.h"
#include "ledger/mempool.h"
#include "ledger/producer.h"

namespace depin::node {

class LedgerMetrics {
 public:
  explicit LedgerMetrics(http::metrics::Registry* registry);

  // After the producer settled a batch (committed or not): counts, height, latency, depth.
  void OnProduced(const ledger::ProducedBlock& produced, uint64_t produce_micros, uint64_t height,
                  size_t mempool_depth) const;
  // After a submission reached the mempool: counts a refusal with a TxError, sets the depth.
  void OnSubmit(const ledger::SubmitResult& result, size_t mempool_depth) const;
  // A tx the mempool refused (at submission) or dropped (expired, evicted).
  void OnMempoolRefusal(ledger::MempoolError reason) const;
  // An API answer 503 store_unavailable to `query` (LedgerApi::set_on_store_unavailable).
  void OnStoreUnavailable(std::string_view query) const;
  void SetHeight(uint64_t height) const { height_->Set(static_cast<int64_t>(height)); }
  void SetMempoolDepth(size_t depth) const { depth_->Set(static_cast<int64_t>(depth)); }

 private:
  http::metrics::Gauge* height_;
  http::metrics::Counter* committed_;
  http::metrics::Family<http::metrics::Counter>* rejected_;
  http::metrics::Family<http::metrics::Counter>* mempool_refused_;
  http::metrics::Family<http::metrics::Counter>* store_unavailable_;
  http::metrics::Gauge* depth_;
  http::metrics::Histogram* commit_latency_;
};

// Registers the metrics on `registry` and hooks them to the producer (set_observer), the mempool
// (set_drop_observer) and the API (set_on_submit, set_on_store_unavailable); call once, before the
// producer starts. The pointers must outlive the hooks.
void AttachLedgerMetrics(http::metrics::Registry* registry, const ledger::Ledger* chain,
                         ledger::Mempool* mempool, ledger::BlockProducer* producer,
                         ledger::LedgerApi* api);

}  // namespace depin::node
