// Claiming a device's rewards where the node does not (dev nodes auto-claim; a production network
// leaves it to owners): GET /v1/epochs/{e}/devices/{key} gives the device's cumulative reward and
// its Merkle proof against epoch e's posted root, and claim_rewards pays the owner the difference
// to what was already claimed. Claims are cumulative, so claiming the newest closed epoch is
// enough.
//
// Thread-safety: ParseClaim is pure; ClaimEpoch uses the caller's NodeApi (one per thread).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fleet/node_api.h"
#include "fleet/onboarding.h"
#include "ledger/tx.h"
#include "util/result.h"

namespace depin::fleet {

// The claim in an answer of GET /v1/epochs/{epoch}/devices/{key}; nullopt when the device has no
// leaf (cumulative 0, no proof). InvalidArgument naming the field for a malformed answer.
util::Result<std::optional<ledger::ClaimRewards>> ParseClaim(std::string_view json,
                                                             const ledger::Address& device,
                                                             uint64_t epoch);

enum class ClaimResult : uint8_t {
  kNotClosed,  // the node has no manifest for the epoch yet
  kNothing,    // no leaf, or nothing new to claim (already claimed, e.g. by the node)
  kClaimed,    // committed
};

// Claims `device`'s reward as of `epoch`, signed by `payer` (any account; the owner is paid), and
// waits up to `timeout_ms` for the outcome. Errors: transport, malformed answers, other rejections.
util::Result<ClaimResult> ClaimEpoch(NodeApi& api, NonceSigner* payer,
                                     const ledger::Address& device, uint64_t epoch,
                                     int64_t timeout_ms = 10'000);

}  // namespace depin::fleet
