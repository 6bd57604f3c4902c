// LedgerApi: the ledger's HTTP API as plain request -> reply functions, so the node (which owns
// the HTTP server, src/node) wires them to routes without the ledger depending on it:
//
//   POST /v1/ledger/tx                       submit a tx: protobuf wire v1 SignedTransaction
//                                            (Content-Type application/x-protobuf), or JSON
//                                            {"tx_hex": "<native encoding>"}; 202 + tx id
//   GET  /v1/ledger/tx/{id}                  pending | committed (height, index) | rejected (code)
//   GET  /v1/ledger/accounts/{address}       balance, nonce, credits
//   GET  /v1/ledger/accounts/{address}/devices   devices owned
//   GET  /v1/ledger/devices/{key}            device record
//   GET  /v1/ledger/blocks/{height or hash}  header and tx ids
//   GET  /v1/ledger/head                     height, tip hash, state hash, supply totals
//
// Keys and addresses are base58, hashes hex. Errors are {"error": {"code", "message"}} with the
// HTTP status from the Status code; rejected transactions also carry "tx_error" (its stable name).
// While the ledger's store cannot be read (a full disk, an I/O error; Ledger::Read*), reads and
// submissions answer 503 {"code": "unavailable", "reason": "store_unavailable"} (submissions
// also "mempool_error": "store_unavailable"), never a zero balance or an unfunded sender.
// docs/api.md documents every route. Thread-safe (Ledger and Mempool are).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "ledger/ledger.h"
#include "ledger/mempool.h"

namespace depin::ledger {

struct ApiReply {
  int status = 200;
  std::string json;
};

struct ApiRequest {
  std::string_view content_type;
  std::string_view body;
  std::function<std::string_view(std::string_view)> param;  // path parameter by name
};

using ApiHandler = std::function<ApiReply(const ApiRequest&)>;

class LedgerApi {
 public:
  LedgerApi(Ledger* ledger, Mempool* mempool) : ledger_(ledger), mempool_(mempool) {}

  // Called on the request's thread after every POST /v1/ledger/tx that reached the mempool
  // (accepted or refused), e.g. for metrics. Set it before serving.
  void set_on_submit(std::function<void(const SubmitResult&)> fn) { on_submit_ = std::move(fn); }
  // The height up to which committed blocks are acknowledged: a tx in a later block is still
  // reported "pending", so a client that saw "committed" also sees everything its block caused
  // (the node registers onboarded devices with ingest before acknowledging). Unset: every
  // durable block counts. Set it before serving.
  void set_acknowledged_height(std::function<uint64_t()> fn) { acked_height_ = std::move(fn); }
  // Called on the request's thread for every answer 503 store_unavailable, with the query's name
  // ("account", "devices", "delegation", "device", "head", "tx"), e.g. for metrics. Set it
  // before serving.
  void set_on_store_unavailable(std::function<void(std::string_view)> fn) {
    on_store_unavailable_ = std::move(fn);
  }

  ApiReply SubmitTx(std::string_view content_type, std::string_view body) const;
  ApiReply GetTx(std::string_view id_hex) const;
  ApiReply GetAccount(std::string_view address) const;
  ApiReply ListDevices(std::string_view owner) const;
  // The DC `owner` has delegated to `delegate` (0 when there is no delegation).
  ApiReply GetDelegation(std::string_view owner, std::string_view delegate) const;
  ApiReply GetDevice(std::string_view key) const;
  ApiReply GetBlock(std::string_view height_or_hash) const;
  ApiReply GetHead() const;

  // Calls add(method, pattern, handler) once per route above; patterns use "{name}" parameters.
  void RegisterRoutes(
      const std::function<void(std::string method, std::string pattern, ApiHandler)>& add) const;

 private:
  // The 503 store_unavailable answer, reported to on_store_unavailable_.
  ApiReply StoreError(std::string_view route,
                      MempoolError mempool_error = MempoolError::kNone) const;

  Ledger* ledger_;
  Mempool* mempool_;
  std::function<void(const SubmitResult&)> on_submit_;
  std::function<uint64_t()> acked_height_;
  std::function<void(std::string_view)> on_store_unavailable_;
};

}  // namespace depin::ledger
