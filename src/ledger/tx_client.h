// Building, signing and submitting ledger transactions from outside the node: the library behind
// `depin tx …`, usable by any tool (device agents, fleets, benchmarks) that talks to a node's
// ledger API (api.h, docs/api.md).
//
//   BuildSignedTx   lists the co-signers, then the signer and every co-signer signs (tx.h), for
//                   the network id the node publishes (LedgerClient::GetNetworkId).
//   SubmitJson      the body of POST /v1/ledger/tx for a native transaction: {"tx_hex": "…"}.
//   LedgerClient    GET /v1/ledger/accounts/{address}, POST /v1/ledger/tx, GET /v1/ledger/tx/{id}
//                   and WaitForTx (polls until committed or rejected, with a deadline) over any
//                   HTTP transport (a function), so the ledger does not depend on an HTTP client.
//
// Thread-safety: the free functions are pure and thread-safe. A LedgerClient is as thread-safe as
// its transport (DeviceClient-based transports: one per thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "ledger/tx.h"
#include "util/result.h"

namespace depin::ledger {

// A transaction signed for `network_id`: `cosigners` are listed in order, then everyone signs the
// same bytes.
Tx BuildSignedTx(std::string_view network_id, const crypto::KeyPair& signer, uint64_t nonce,
                 uint64_t fee, TxBody body,
                 const std::vector<const crypto::KeyPair*>& cosigners = {});

// {"tx_hex": "<EncodeTx(tx) in hex>"}.
std::string SubmitJson(const Tx& tx);

struct HttpExchange {
  int status = 0;
  std::string body;
};
// Performs one request: method "GET" or "POST" (POST bodies are JSON); any HTTP status is a
// successful Result, transport failures are errors.
using HttpCall = std::function<util::Result<HttpExchange>(
    std::string_view method, std::string_view target, std::string_view body)>;

struct AccountView {
  uint64_t balance = 0;
  uint64_t nonce = 0;
  uint64_t credits = 0;
};

enum class TxProgress : uint8_t { kPending, kCommitted, kRejected };
struct TxOutcome {
  Hash256 id{};
  TxProgress state = TxProgress::kPending;
  uint64_t height = 0;   // committed only
  uint64_t index = 0;    // committed only
  std::string tx_error;  // rejected only: the stable TxError name (e.g. "bad_nonce")
};

class LedgerClient {
 public:
  explicit LedgerClient(HttpCall http) : http_(std::move(http)) {}

  // The network id the node signs for and accepts (`network_id` of GET /v1/health): what a client
  // signs its transactions and reports for. Fetch it once per node.
  util::Result<std::string> GetNetworkId() const;
  util::Result<AccountView> GetAccount(const Address& address) const;
  // Submits `tx`. A transaction the node refuses with a TxError (e.g. a stale nonce) is a
  // successful Result in state kRejected; other refusals (malformed request, full mempool) and
  // transport failures are errors naming the HTTP status and the node's message.
  util::Result<TxOutcome> Submit(const Tx& tx) const;
  util::Result<TxOutcome> GetTx(const Hash256& id) const;
  // Polls GetTx every `poll` until the tx is committed or rejected; Unavailable naming the tx if
  // it is still pending after `timeout`.
  util::Result<TxOutcome> WaitForTx(
      const Hash256& id, std::chrono::milliseconds timeout,
      std::chrono::milliseconds poll = std::chrono::milliseconds(25)) const;

 private:
  HttpCall http_;
};

}  // namespace depin::ledger
