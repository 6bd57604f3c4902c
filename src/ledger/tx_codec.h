// Conversion from wire format v1 (src/wire: protobuf SignedTransaction, canonical signing bytes
// "opendepin/tx/v1" as docs/wire-format.md defines them) to the ledger's Tx.
//
// The converted Tx keeps wire's signing bytes (so its signatures verify and its id is the wire
// tx id), the protobuf bytes (block bodies store them) and the network id it was signed for
// (CheckStateless rejects another network's transactions with wrong_network). Wire fields the
// ledger does not model yet are refused with InvalidArgument naming the field rather than
// silently dropped when they would change the meaning (see docs/ledger.md, "Wire format"):
// burn_for_credits to another recipient, onboard_device whose owner is not the signer,
// set_device_status. Informational fields (price confidence and observation time, antenna gain
// and elevation, manifest hash and leaf count, slash evidence hash) are accepted; only the signed
// bytes keep them.
//
// Pure functions; thread-safe.
#pragma once

#include "ledger/tx.h"
#include "util/result.h"
#include "wire/transaction.h"

namespace depin::ledger {

// Decodes untrusted protobuf bytes of a wire v1 SignedTransaction (size limit, structure,
// co-signer set; not the signatures — CheckStateless verifies those) into a ledger Tx.
util::Result<Tx> DecodeWireTx(util::ByteView protobuf_bytes);
// As DecodeWireTx for an already structure-checked transaction.
util::Result<Tx> TxFromWire(const wire::CheckedTransaction& checked, util::Bytes protobuf_bytes);

}  // namespace depin::ledger
