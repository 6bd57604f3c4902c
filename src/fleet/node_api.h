// NodeApi: what a device agent needs from a node's HTTP API — the ledger routes (accounts,
// delegations, devices, transaction submission and status; docs/api.md) and report submission —
// over one keep-alive connection (http::DeviceClient) that is opened lazily and reopened after
// any transport error, so a node that restarts is simply reconnected to on the next call.
//
// Errors: transport failures, 429 and 5xx are Unavailable (retry later with backoff); answers
// that cannot be parsed are InvalidArgument naming the route.
//
// Thread-safety: none; one NodeApi per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/client.h"
#include "ledger/tx.h"
#include "util/result.h"

namespace depin::fleet {

struct AccountInfo {
  uint64_t balance = 0;
  uint64_t nonce = 0;
  uint64_t credits = 0;
};

struct DeviceInfo {
  std::string owner;  // base58
  uint64_t cell = 0;  // 0: no location asserted
  uint32_t location_asserts = 0;
};

enum class TxState : uint8_t { kPending, kCommitted, kRejected, kUnknown };
struct TxStatus {
  TxState state = TxState::kUnknown;
  std::string tx_error;  // rejected: the ledger's TxError name
};

// The outcome of POST /v1/ledger/tx: pending (in the mempool, or already there), or refused with
// the ledger's TxError name (bad_nonce, ...) or the API's error code.
struct SubmitOutcome {
  bool pending = false;
  crypto::Hash256 id{};
  std::string error;  // tx_error if present, else the error code
};

class NodeApi {
 public:
  // `url` is http://HOST:PORT; InvalidArgument if it is not. `source_address`, when set, is the
  // local address connections are made from (http::DeviceClientOptions::source_address).
  static util::Result<std::unique_ptr<NodeApi>> Create(const std::string& url,
                                                       const std::string& source_address = {});

  // The network id the node signs for and accepts (`network_id` of GET /v1/health), fetched on the
  // first call and kept: transactions, reports and receipts are signed for it.
  util::Result<std::string> NetworkId();
  util::Result<AccountInfo> GetAccount(const ledger::Address& address);
  // The DC `owner` has delegated to `delegate` and not yet spent; 0 when there is no delegation.
  util::Result<uint64_t> Delegation(const ledger::Address& owner, const ledger::Address& delegate);
  // nullopt when the device is not onboarded (404).
  util::Result<std::optional<DeviceInfo>> GetDevice(const ledger::Address& device);
  util::Result<SubmitOutcome> SubmitTx(const ledger::Tx& tx);
  util::Result<TxStatus> GetTx(const crypto::Hash256& id);
  // POST /v1/reports; the per-report results of a 200 answer.
  util::Result<std::vector<http::SubmitResultJson>> SubmitReports(util::ByteView body);
  // Any GET; the body of a 200 answer, nullopt for 404.
  util::Result<std::optional<std::string>> GetJson(const std::string& target);
  // POST with a JSON body and an optional bearer token; the body of a 200 answer.
  util::Result<std::string> PostJson(const std::string& target, const std::string& body,
                                     const std::string& bearer = {});

 private:
  NodeApi(std::string host, uint16_t port, std::string source)
      : host_(std::move(host)), port_(port), source_(std::move(source)) {}
  util::Result<http::HttpReply> Call(bool post, const std::string& target,
                                     std::string_view content_type, util::ByteView body,
                                     const std::string& authorization);

  std::string host_;
  uint16_t port_ = 0;
  std::string source_;
  std::unique_ptr<http::DeviceClient> client_;
  std::string network_id_;  // empty until NetworkId() succeeded
};

}  // namespace depin::fleet
