// Signing domains: the one construction that opens every block of bytes OpenDePIN signs, so that
// a signature made for one kind of message or for one network is never valid for another.
//
//   domain(kind, network_id) = ASCII "opendepin/<kind>/v2" || 0x00
//                              || u32 little-endian length of network_id || network_id
//
// `network_id` is the network's `[network] id` from network.toml (the ledger's chain id), 1..32
// bytes. Reports, usage receipts, report batches, transactions, blocks, the operator's denylist
// and proof-of-coverage entropy all start with it (docs/wire-format.md section 3). This file is
// the only place that defines the tags and the layout; every signer and verifier calls it.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "util/bytes.h"
#include "util/result.h"

namespace depin::wire {

enum class SigningKind : uint8_t {
  kReport,        // a Report, signed by its device
  kUsageReceipt,  // a UsageReceipt, signed by its payer
  kReportBatch,   // the Merkle root of a ReportBatch, signed by its device
  kTx,            // a wire Transaction, signed by its signer and co-signers
  kLedgerTx,      // the embedded ledger's native transaction layout (docs/ledger.md)
  kBlock,         // a BlockHeader, signed by its producer
  kDenylist,      // the operator's denylist file, signed by the operator (governance) key
  kEntropy,       // proof-of-coverage entropy, derived (and signed) by the node
};

// "opendepin/report/v2", "opendepin/usage-receipt/v2", ... (the table in docs/wire-format.md §3).
std::string_view DomainTag(SigningKind kind);

// OK iff `network_id` is 1..kMaxNetworkIdBytes bytes; InvalidArgument naming `field` otherwise.
util::Status CheckNetworkId(std::string_view network_id, std::string_view field = "network_id");

// Appends domain(kind, network_id) to `w`. The caller checks the network id (CheckNetworkId):
// an empty or oversized one is written as it is and verifies nowhere.
void AppendSigningDomain(util::ByteWriter& w, SigningKind kind, std::string_view network_id);
// domain(kind, network_id) on its own, e.g. as the prefix of a hash (entropy).
util::Bytes SigningDomain(SigningKind kind, std::string_view network_id);

}  // namespace depin::wire
