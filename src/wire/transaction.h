// Ledger transactions (wire format v2): canonical signing bytes, transaction ids, signing with
// co-signatures, verification and the decoder for untrusted bytes. Types are depin::wire::v1::*
// from wire/proto/ledger.pb.h; docs/wire-format.md defines fields and layouts. The ledger's state
// machine decides whether a well-formed, correctly signed transaction is allowed; this layer only
// decides whether it is well formed and correctly signed.
//
// All functions are pure and thread-safe (call crypto::InitCrypto() once before signing).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "util/bytes.h"
#include "util/result.h"
#include "wire/codec.h"
#include "wire/constants.h"
#include "wire/proto/ledger.pb.h"

namespace depin::wire {

// SHA-256 of a transaction's signing bytes (co-signatures are not part of it).
using TxId = crypto::Hash256;

// The kind named by the transaction's body; TX_KIND_UNSPECIFIED when no body is set.
v1::TxKind KindOf(const v1::Transaction& tx);
// Stable lower-case name, e.g. "burn_for_credits"; "unspecified" for unknown values.
std::string_view TxKindName(v1::TxKind kind);

// "opendepin/tx/v2" signing bytes (domain bound to tx.network_id); InvalidArgument naming the field
// if malformed; Unsupported if its version is not kWireVersion.
util::Result<util::Bytes> TransactionSigningBytes(const v1::Transaction& tx);
util::Result<TxId> ComputeTxId(const v1::Transaction& tx);

// Keys other than the signer whose co-signatures the transaction needs, in body order without
// duplicates: for onboard_device the device, owner and maker keys; for slash the listed
// slash.cosigners; empty for every other kind.
std::vector<crypto::PublicKey> RequiredCosigners(const v1::Transaction& tx);

// Signs as tx.signer (InvalidArgument if signer's key differs); no co-signatures yet.
util::Result<v1::SignedTransaction> SignTransaction(const v1::Transaction& tx,
                                                    const crypto::KeyPair& signer);
// Appends cosigner's signature over the same signing bytes. InvalidArgument if cosigner is not in
// RequiredCosigners or has already signed.
util::Status AddCosignature(v1::SignedTransaction* signed_tx, const crypto::KeyPair& cosigner);

struct CheckedTransaction {
  v1::SignedTransaction message;
  util::Bytes signing_bytes;
  TxId id{};
  crypto::PublicKey signer;
  crypto::Signature signature{};
  std::vector<crypto::PublicKey> cosigners;  // parallel to cosignatures
  std::vector<crypto::Signature> cosignatures;
};

// Structure checks: signature lengths, version, network id, keys, body, field limits, and that the
// co-signers are exactly RequiredCosigners (no missing, extra or duplicate ones).
util::Result<CheckedTransaction> CheckTransaction(v1::SignedTransaction signed_tx);
// As CheckTransaction after the kMaxTxBytes size limit and parsing.
util::Result<CheckedTransaction> DecodeSignedTransaction(util::ByteView bytes);
// Verifies the signer's signature, then each co-signature. Unauthenticated names the failing key.
util::Status VerifyCheckedTransaction(const CheckedTransaction& tx);
// CheckTransaction + VerifyCheckedTransaction.
util::Status VerifySignedTransaction(const v1::SignedTransaction& signed_tx);

// A reward-manifest leaf: "opendepin/reward-leaf/v1" 0x00 || device key || u64 cumulative amount.
// PostRewardRoot.root is crypto::MerkleRoot over MerkleLeafHash of these, in manifest order;
// ClaimRewards proves one of them.
util::Bytes RewardLeafBytes(const crypto::PublicKey& device_key, uint64_t cumulative_amount);
// The same bytes written into a fixed buffer, for hashing a manifest's million leaves without
// an allocation each.
inline constexpr size_t kRewardLeafBytesSize = kRewardLeafTag.size() + 1 + 32 + 8;
void WriteRewardLeafBytes(const crypto::PublicKey& device_key, uint64_t cumulative_amount,
                          std::span<uint8_t, kRewardLeafBytesSize> out);
// OK iff claim's (device_key, cumulative_amount) leaf is at claim.leaf_index of a tree of
// claim.leaf_count leaves with `posted_root`; Unauthenticated if the proof does not verify.
util::Status VerifyClaimProof(const v1::ClaimRewards& claim, const crypto::Hash256& posted_root);

}  // namespace depin::wire
