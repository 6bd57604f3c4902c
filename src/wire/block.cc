#include "wire/block.h"

#include <set>
#include <string>

#include "crypto/merkle.h"
#include "wire/codec.h"
#include "wire/constants.h"
#include "wire/fields.h"
#include "wire/limits.h"
#include "wire/signing_writer.h"

namespace depin::wire {
namespace {

using internal::KeyField;
using internal::SameKey;
using internal::SignatureField;

std::string TxPath(size_t i) { return "block.transactions[" + std::to_string(i) + "]"; }

}  // namespace

util::Result<util::Bytes> BlockHeaderSigningBytes(const v1::BlockHeader& h) {
  internal::SigningWriter w(SigningKind::kBlock, h.network_id(), "block.header.network_id");
  w.Version("block.header.version", h.version());
  w.U64(h.height());
  w.Fixed("block.header.prev_hash", h.prev_hash(), kHashBytes);
  w.Fixed("block.header.tx_root", h.tx_root(), kHashBytes);
  w.U32(h.tx_count());
  w.Fixed("block.header.state_hash", h.state_hash(), kHashBytes);
  w.U64(h.timestamp_ms());
  w.Fixed("block.header.producer", h.producer(), kKeyBytes);
  return std::move(w).Finish();
}

util::Result<BlockHash> ComputeBlockHash(const v1::BlockHeader& header) {
  DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, BlockHeaderSigningBytes(header));
  return crypto::Sha256(bytes);
}

crypto::Hash256 TxRoot(const std::vector<TxId>& ids) {
  std::vector<crypto::Hash256> leaves;
  leaves.reserve(ids.size());
  for (const TxId& id : ids) leaves.push_back(crypto::MerkleLeafHash(id));
  return crypto::MerkleRoot(leaves);
}

util::Result<v1::Block> SignBlock(v1::BlockHeader header,
                                  const std::vector<v1::SignedTransaction>& transactions,
                                  const crypto::KeyPair& producer) {
  if (!SameKey(producer.public_key(), header.producer())) {
    return util::Status::InvalidArgument("SignBlock: signing key " +
                                         producer.public_key().ToBase58() +
                                         " is not block.header.producer");
  }
  std::vector<TxId> ids;
  ids.reserve(transactions.size());
  for (size_t i = 0; i < transactions.size(); ++i) {
    auto id = ComputeTxId(transactions[i].tx());
    if (!id.ok()) return id.status().WithContext(TxPath(i));
    ids.push_back(*id);
  }
  const crypto::Hash256 root = TxRoot(ids);
  header.set_tx_root(root.data(), root.size());
  header.set_tx_count(static_cast<uint32_t>(transactions.size()));
  DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, BlockHeaderSigningBytes(header));
  const crypto::Signature sig = producer.Sign(bytes);
  v1::Block block;
  *block.mutable_header() = std::move(header);
  block.set_signature(sig.data(), sig.size());
  for (const v1::SignedTransaction& tx : transactions) *block.add_transactions() = tx;
  // Full structure check so that a block we sign is one we would accept.
  DEPIN_RETURN_IF_ERROR(CheckBlock(block).status());
  return block;
}

util::Result<CheckedBlock> CheckBlock(v1::Block block) {
  CheckedBlock out;
  DEPIN_ASSIGN_OR_RETURN(out.signature, SignatureField(block.signature(), "block.signature"));
  if (!block.has_header()) return util::Status::InvalidArgument("block.header: missing");
  const v1::BlockHeader& h = block.header();
  DEPIN_ASSIGN_OR_RETURN(out.header_signing_bytes, BlockHeaderSigningBytes(h));
  DEPIN_ASSIGN_OR_RETURN(out.producer, KeyField(h.producer(), "block.header.producer"));
  const size_t n = static_cast<size_t>(block.transactions_size());
  if (n > kMaxBlockTransactions) {
    return util::Status::InvalidArgument("block.transactions: " + std::to_string(n) +
                                         " entries, max " + std::to_string(kMaxBlockTransactions));
  }
  if (h.tx_count() != n) {
    return util::Status::InvalidArgument("block.header.tx_count: " + std::to_string(h.tx_count()) +
                                         " but the block holds " + std::to_string(n));
  }
  std::vector<TxId> ids;
  ids.reserve(n);
  std::set<TxId> seen;
  out.transactions.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto tx = CheckTransaction(block.transactions(static_cast<int>(i)));
    if (!tx.ok()) return tx.status().WithContext(TxPath(i));
    if (tx->message.tx().network_id() != h.network_id()) {
      return util::Status::InvalidArgument(TxPath(i) +
                                           ": tx.network_id differs from block.header.network_id");
    }
    if (!seen.insert(tx->id).second) {
      return util::Status::InvalidArgument(TxPath(i) + ": duplicate transaction " +
                                           crypto::ToHex(tx->id));
    }
    ids.push_back(tx->id);
    out.transactions.push_back(std::move(tx).value());
  }
  const crypto::Hash256 root = TxRoot(ids);
  if (!std::equal(root.begin(), root.end(), reinterpret_cast<const uint8_t*>(h.tx_root().data()))) {
    return util::Status::InvalidArgument("block.header.tx_root: does not match the transactions (" +
                                         crypto::ToHex(root) + ")");
  }
  out.hash = crypto::Sha256(out.header_signing_bytes);
  out.message = std::move(block);
  return out;
}

util::Result<CheckedBlock> DecodeBlock(util::ByteView bytes) {
  v1::Block message;
  DEPIN_RETURN_IF_ERROR(ParseLimited(bytes, kMaxBlockBytes, "Block", &message));
  return CheckBlock(std::move(message));
}

util::Status VerifyCheckedBlock(const CheckedBlock& block) {
  if (!crypto::Verify(block.producer, block.header_signing_bytes, block.signature)) {
    return util::Status::Unauthenticated("block.signature: does not verify under producer " +
                                         block.producer.ToBase58());
  }
  for (size_t i = 0; i < block.transactions.size(); ++i) {
    util::Status s = VerifyCheckedTransaction(block.transactions[i]);
    if (!s.ok()) return s.WithContext(TxPath(i));
  }
  return util::Status::Ok();
}

util::Status VerifyBlock(const v1::Block& block) {
  DEPIN_ASSIGN_OR_RETURN(CheckedBlock checked, CheckBlock(block));
  return VerifyCheckedBlock(checked);
}

}  // namespace depin::wire
