// Signing, co-signing, verification and decoding of transactions; layouts are in tx_signing.cc.
#include "wire/transaction.h"

#include <algorithm>
#include <string>

#include "crypto/merkle.h"
#include "wire/constants.h"
#include "wire/fields.h"
#include "wire/limits.h"

namespace depin::wire {
namespace {

using internal::HashField;
using internal::KeyField;
using internal::SameKey;
using internal::SignatureField;

std::string CosigPath(int i) { return "signed_tx.cosignatures[" + std::to_string(i) + "]"; }

bool Contains(const std::vector<crypto::PublicKey>& keys, const crypto::PublicKey& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

}  // namespace

std::vector<crypto::PublicKey> RequiredCosigners(const v1::Transaction& tx) {
  std::vector<crypto::PublicKey> out;
  std::vector<const std::string*> raws;
  if (tx.body_case() == v1::Transaction::kOnboardDevice) {
    const auto& b = tx.onboard_device();
    raws = {&b.device_key(), &b.owner(), &b.maker()};
  } else if (tx.body_case() == v1::Transaction::kSlash) {
    for (const std::string& k : tx.slash().cosigners()) raws.push_back(&k);
  }
  for (const std::string* raw : raws) {
    auto key = KeyField(*raw, "");
    if (!key.ok() || SameKey(*key, tx.signer()) || Contains(out, *key)) continue;
    out.push_back(*key);
  }
  return out;
}

util::Result<TxId> ComputeTxId(const v1::Transaction& tx) {
  DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, TransactionSigningBytes(tx));
  return crypto::Sha256(bytes);
}

util::Result<v1::SignedTransaction> SignTransaction(const v1::Transaction& tx,
                                                    const crypto::KeyPair& signer) {
  DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, TransactionSigningBytes(tx));
  if (!SameKey(signer.public_key(), tx.signer())) {
    return util::Status::InvalidArgument("SignTransaction: signing key " +
                                         signer.public_key().ToBase58() + " is not tx.signer");
  }
  const crypto::Signature sig = signer.Sign(bytes);
  v1::SignedTransaction out;
  *out.mutable_tx() = tx;
  out.set_signature(sig.data(), sig.size());
  return out;
}

util::Status AddCosignature(v1::SignedTransaction* signed_tx, const crypto::KeyPair& cosigner) {
  DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, TransactionSigningBytes(signed_tx->tx()));
  const crypto::PublicKey& key = cosigner.public_key();
  if (!Contains(RequiredCosigners(signed_tx->tx()), key)) {
    return util::Status::InvalidArgument("AddCosignature: " + key.ToBase58() + " is not a " +
                                         std::string(TxKindName(KindOf(signed_tx->tx()))) +
                                         " co-signer");
  }
  for (const v1::CoSignature& c : signed_tx->cosignatures()) {
    if (SameKey(key, c.key())) {
      return util::Status::AlreadyExists("AddCosignature: " + key.ToBase58() + " already signed");
    }
  }
  const crypto::Signature sig = cosigner.Sign(bytes);
  v1::CoSignature* c = signed_tx->add_cosignatures();
  c->set_key(key.bytes.data(), key.bytes.size());
  c->set_signature(sig.data(), sig.size());
  return util::Status::Ok();
}

util::Result<CheckedTransaction> CheckTransaction(v1::SignedTransaction signed_tx) {
  CheckedTransaction out;
  DEPIN_ASSIGN_OR_RETURN(out.signature,
                         SignatureField(signed_tx.signature(), "signed_tx.signature"));
  if (!signed_tx.has_tx()) return util::Status::InvalidArgument("signed_tx.tx: missing");
  DEPIN_ASSIGN_OR_RETURN(out.signing_bytes, TransactionSigningBytes(signed_tx.tx()));
  DEPIN_ASSIGN_OR_RETURN(out.signer, KeyField(signed_tx.tx().signer(), "tx.signer"));
  if (static_cast<size_t>(signed_tx.cosignatures_size()) > kMaxCosignatures) {
    return util::Status::InvalidArgument(
        "signed_tx.cosignatures: " + std::to_string(signed_tx.cosignatures_size()) +
        " entries, max " + std::to_string(kMaxCosignatures));
  }
  const std::vector<crypto::PublicKey> required = RequiredCosigners(signed_tx.tx());
  for (int i = 0; i < signed_tx.cosignatures_size(); ++i) {
    const v1::CoSignature& c = signed_tx.cosignatures(i);
    DEPIN_ASSIGN_OR_RETURN(crypto::PublicKey key, KeyField(c.key(), CosigPath(i) + ".key"));
    DEPIN_ASSIGN_OR_RETURN(crypto::Signature sig,
                           SignatureField(c.signature(), CosigPath(i) + ".signature"));
    if (!Contains(required, key)) {
      return util::Status::InvalidArgument(CosigPath(i) + ".key: " + key.ToBase58() +
                                           " is not a required co-signer");
    }
    if (Contains(out.cosigners, key)) {
      return util::Status::InvalidArgument(CosigPath(i) + ".key: " + key.ToBase58() +
                                           " co-signs twice");
    }
    out.cosigners.push_back(key);
    out.cosignatures.push_back(sig);
  }
  for (const crypto::PublicKey& key : required) {
    if (!Contains(out.cosigners, key)) {
      return util::Status::InvalidArgument("signed_tx.cosignatures: missing co-signature of " +
                                           key.ToBase58());
    }
  }
  out.id = crypto::Sha256(out.signing_bytes);
  out.message = std::move(signed_tx);
  return out;
}

util::Result<CheckedTransaction> DecodeSignedTransaction(util::ByteView bytes) {
  v1::SignedTransaction message;
  DEPIN_RETURN_IF_ERROR(ParseLimited(bytes, kMaxTxBytes, "SignedTransaction", &message));
  return CheckTransaction(std::move(message));
}

util::Status VerifyCheckedTransaction(const CheckedTransaction& tx) {
  if (!crypto::Verify(tx.signer, tx.signing_bytes, tx.signature)) {
    return util::Status::Unauthenticated("signed_tx.signature: does not verify under signer " +
                                         tx.signer.ToBase58());
  }
  for (size_t i = 0; i < tx.cosigners.size(); ++i) {
    if (!crypto::Verify(tx.cosigners[i], tx.signing_bytes, tx.cosignatures[i])) {
      return util::Status::Unauthenticated(CosigPath(static_cast<int>(i)) +
                                           ".signature: does not verify under " +
                                           tx.cosigners[i].ToBase58());
    }
  }
  return util::Status::Ok();
}

util::Status VerifySignedTransaction(const v1::SignedTransaction& signed_tx) {
  DEPIN_ASSIGN_OR_RETURN(CheckedTransaction checked, CheckTransaction(signed_tx));
  return VerifyCheckedTransaction(checked);
}

util::Bytes RewardLeafBytes(const crypto::PublicKey& device_key, uint64_t cumulative_amount) {
  util::Bytes out(kRewardLeafBytesSize);
  WriteRewardLeafBytes(device_key, cumulative_amount,
                       std::span<uint8_t, kRewardLeafBytesSize>(out.data(), out.size()));
  return out;
}

void WriteRewardLeafBytes(const crypto::PublicKey& device_key, uint64_t cumulative_amount,
                          std::span<uint8_t, kRewardLeafBytesSize> out) {
  uint8_t* p = std::copy(kRewardLeafTag.begin(), kRewardLeafTag.end(), out.data());
  *p++ = 0;
  p = std::copy(device_key.bytes.begin(), device_key.bytes.end(), p);
  for (int i = 0; i < 8; ++i) *p++ = static_cast<uint8_t>(cumulative_amount >> (8 * i));
}

util::Status VerifyClaimProof(const v1::ClaimRewards& claim, const crypto::Hash256& posted_root) {
  DEPIN_ASSIGN_OR_RETURN(crypto::PublicKey device,
                         KeyField(claim.device_key(), "claim_rewards.device_key"));
  if (static_cast<size_t>(claim.siblings_size()) > kMaxMerkleSiblings) {
    return util::Status::InvalidArgument(
        "claim_rewards.siblings: " + std::to_string(claim.siblings_size()) + " entries, max " +
        std::to_string(kMaxMerkleSiblings));
  }
  crypto::MerkleProof proof;
  proof.leaf_index = claim.leaf_index();
  proof.leaf_count = claim.leaf_count();
  for (const std::string& s : claim.siblings()) {
    DEPIN_ASSIGN_OR_RETURN(crypto::Hash256 h, HashField(s, "claim_rewards.siblings"));
    proof.siblings.push_back(h);
  }
  const util::Bytes leaf = RewardLeafBytes(device, claim.cumulative_amount());
  if (!crypto::VerifyMerkleProof(posted_root, crypto::MerkleLeafHash(leaf), proof)) {
    return util::Status::Unauthenticated(
        "claim_rewards: proof of leaf " + std::to_string(claim.leaf_index()) + " for device " +
        device.ToBase58() + " does not verify against root " + crypto::ToHex(posted_root));
  }
  return util::Status::Ok();
}

}  // namespace depin::wire
