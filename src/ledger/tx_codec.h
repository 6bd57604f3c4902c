// Conversion between wire format v1 (src/wire: protobuf SignedTransaction, canonical signing
// bytes "opendepin/tx/v1" as docs/wire-format.md defines them) and the ledger's Tx. Every ledger
// transaction kind has a wire form and back (docs/wire-format.md, "Ledger mapping").
//
// A Tx converted from wire keeps wire's signing bytes (so its signatures verify and its id is the
// wire tx id), the protobuf bytes (block bodies store them) and the network id it was signed for
// (CheckStateless rejects another network's transactions with wrong_network). Informational wire
// fields the ledger does not store (price confidence and observation time, antenna gain and
// elevation, manifest hash and leaf count, slash evidence hash) are covered by the signature only;
// TxToWire writes them as zeros.
//
// Pure functions; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "ledger/tx.h"
#include "util/result.h"
#include "wire/transaction.h"

namespace depin::ledger {

// Decodes untrusted protobuf bytes of a wire v1 SignedTransaction (size limit, structure,
// co-signer set; not the signatures — CheckStateless verifies those) into a ledger Tx.
util::Result<Tx> DecodeWireTx(util::ByteView protobuf_bytes);
// As DecodeWireTx for an already structure-checked transaction.
util::Result<Tx> TxFromWire(const wire::CheckedTransaction& checked, util::Bytes protobuf_bytes);

// The unsigned wire transaction for `tx`'s signer, nonce, fee and body on `network_id`; a slash
// lists tx.cosigs' keys as its co-signers. InvalidArgument naming the field for a value wire v1
// cannot carry (a slash reason outside SlashReason, a zero amount where wire requires > 0).
util::Result<wire::v1::Transaction> TxToWire(const Tx& tx, std::string_view network_id);
// TxToWire, signed by `signer` and co-signed by `cosigners` in wire format, decoded back into a
// ledger Tx (so it carries wire's signing bytes and protobuf bytes).
util::Result<Tx> SignWireTx(const Tx& unsigned_tx, std::string_view network_id,
                            const crypto::KeyPair& signer,
                            const std::vector<const crypto::KeyPair*>& cosigners = {});

}  // namespace depin::ledger
