#include "ledger/block.h"

#include <algorithm>
#include <string>

#include "crypto/merkle.h"
#include "ledger/tx_codec.h"
#include "wire/domain.h"

namespace depin::ledger {
namespace {

void EncodeUnsigned(util::ByteWriter& w, const BlockHeader& h) {
  w.U64(h.height);
  w.Raw(h.prev_hash);
  w.I64(h.timestamp_ms);
  w.U32(h.tx_count);
  w.Raw(h.tx_root);
  w.Raw(h.state_hash);
  w.Raw(h.producer.view());
}

util::Status ReadInto(util::ByteReader& r, uint8_t* out, size_t n, std::string_view field) {
  auto raw = r.Raw(n);
  if (!raw.ok()) return raw.status().WithContext("block." + std::string(field));
  std::copy(raw->begin(), raw->end(), out);
  return util::Status::Ok();
}

}  // namespace

util::Bytes BlockSigningBytes(const BlockHeader& h) {
  util::Bytes out;
  util::ByteWriter w(&out);
  // wire's BlockHeader layout (docs/wire-format.md 7.3); block_test.cc compares them.
  wire::AppendSigningDomain(w, wire::SigningKind::kBlock, h.network_id);
  w.U32(kBlockVersion);
  w.U64(h.height);
  w.Raw(h.prev_hash);
  w.Raw(h.tx_root);
  w.U32(h.tx_count);
  w.Raw(h.state_hash);
  w.U64(static_cast<uint64_t>(h.timestamp_ms));
  w.Raw(h.producer.view());
  return out;
}

wire::v1::BlockHeader ToWireHeader(const BlockHeader& h) {
  auto raw = [](const auto& bytes) { return std::string(bytes.begin(), bytes.end()); };
  wire::v1::BlockHeader out;
  out.set_version(kBlockVersion);
  out.set_network_id(h.network_id);
  out.set_height(h.height);
  out.set_prev_hash(raw(h.prev_hash));
  out.set_tx_root(raw(h.tx_root));
  out.set_tx_count(h.tx_count);
  out.set_state_hash(raw(h.state_hash));
  out.set_timestamp_ms(static_cast<uint64_t>(h.timestamp_ms));
  out.set_producer(raw(h.producer.bytes));
  return out;
}

Hash256 BlockHash(const BlockHeader& h) { return crypto::Sha256(BlockSigningBytes(h)); }

Hash256 GenesisHash(std::string_view chain_id, const Hash256& genesis_state_hash) {
  util::Bytes out;
  util::ByteWriter w(&out);
  w.Raw(kGenesisDomain);
  w.LengthPrefixed(util::AsBytes(chain_id));
  w.Raw(genesis_state_hash);
  return crypto::Sha256(out);
}

Hash256 TxRoot(const std::vector<Hash256>& tx_ids) {
  std::vector<Hash256> leaves;
  leaves.reserve(tx_ids.size());
  for (const Hash256& id : tx_ids) leaves.push_back(crypto::MerkleLeafHash(id));
  return crypto::MerkleRoot(leaves);
}

void SignBlock(BlockHeader* h, const crypto::KeyPair& producer) {
  h->producer = producer.public_key();
  h->sig = producer.Sign(BlockSigningBytes(*h));
}

bool VerifyBlockSignature(const BlockHeader& h) {
  return crypto::Verify(h.producer, BlockSigningBytes(h), h.sig);
}

util::Bytes EncodeBlockHeader(const BlockHeader& h) {
  util::Bytes out;
  util::ByteWriter w(&out);
  EncodeUnsigned(w, h);
  w.LengthPrefixed(util::AsBytes(h.network_id));
  w.Raw(h.sig);
  return out;
}

util::Result<BlockHeader> DecodeBlockHeader(util::ByteView data) {
  util::ByteReader r(data);
  BlockHeader h;
  auto height = r.U64();
  if (!height.ok()) return height.status().WithContext("block.height");
  h.height = *height;
  DEPIN_RETURN_IF_ERROR(ReadInto(r, h.prev_hash.data(), 32, "prev_hash"));
  auto ts = r.U64();
  if (!ts.ok()) return ts.status().WithContext("block.timestamp_ms");
  h.timestamp_ms = static_cast<int64_t>(*ts);
  auto count = r.U32();
  if (!count.ok()) return count.status().WithContext("block.tx_count");
  h.tx_count = *count;
  DEPIN_RETURN_IF_ERROR(ReadInto(r, h.tx_root.data(), 32, "tx_root"));
  DEPIN_RETURN_IF_ERROR(ReadInto(r, h.state_hash.data(), 32, "state_hash"));
  DEPIN_RETURN_IF_ERROR(ReadInto(r, h.producer.bytes.data(), 32, "producer"));
  auto id_len = r.U32();
  if (!id_len.ok()) return id_len.status().WithContext("block.network_id");
  if (*id_len > 64) return util::Status::InvalidArgument("block.network_id: longer than 64 bytes");
  auto id = r.Raw(*id_len);
  if (!id.ok()) return id.status().WithContext("block.network_id");
  h.network_id.assign(util::AsChars(*id));
  DEPIN_RETURN_IF_ERROR(ReadInto(r, h.sig.data(), 64, "signature"));
  if (r.remaining() != 0) return util::Status::InvalidArgument("block header: trailing bytes");
  return h;
}

util::Bytes EncodeBlockBody(const std::vector<Tx>& txs) {
  util::Bytes out;
  util::ByteWriter w(&out);
  w.U32(static_cast<uint32_t>(txs.size()));
  for (const Tx& tx : txs) {
    // Format byte: 0 = native encoding, 1 = wire v1 protobuf (signed over wire's bytes).
    const bool is_wire = !tx.wire_encoded.empty();
    w.U8(is_wire ? 1 : 0);
    w.LengthPrefixed(is_wire ? tx.wire_encoded : EncodeTx(tx));
  }
  return out;
}

util::Result<std::vector<Tx>> DecodeBlockBody(util::ByteView data) {
  util::ByteReader r(data);
  auto count = r.U32();
  if (!count.ok()) return count.status().WithContext("block body");
  if (*count > kMaxBlockTxs) {
    return util::Status::InvalidArgument("block body: " + std::to_string(*count) + " txs, limit " +
                                         std::to_string(kMaxBlockTxs));
  }
  std::vector<Tx> txs;
  txs.reserve(*count);
  for (uint32_t i = 0; i < *count; ++i) {
    auto format = r.U8();
    if (!format.ok()) return format.status().WithContext("block body tx " + std::to_string(i));
    if (*format > 1) {
      return util::Status::InvalidArgument("block body tx " + std::to_string(i) +
                                           ": unknown format " + std::to_string(*format));
    }
    auto len = r.U32();
    if (!len.ok()) return len.status().WithContext("block body tx " + std::to_string(i));
    auto raw = r.Raw(*len);
    if (!raw.ok()) return raw.status().WithContext("block body tx " + std::to_string(i));
    auto tx = *format == 1 ? DecodeWireTx(*raw) : DecodeTx(*raw);
    if (!tx.ok()) return tx.status().WithContext("block body tx " + std::to_string(i));
    txs.push_back(std::move(tx).value());
  }
  if (r.remaining() != 0) return util::Status::InvalidArgument("block body: trailing bytes");
  return txs;
}

}  // namespace depin::ledger
