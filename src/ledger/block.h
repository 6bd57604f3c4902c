// Blocks: a header that chains to its parent, commits to its transactions (RFC 6962 Merkle root
// of the tx ids) and to the whole state after them (the LtHash digest), signed by the producer.
//
//   block hash    = SHA-256("opendepin/block/v1" || header fields without the signature)
//   genesis hash  = SHA-256("opendepin/genesis/v1" || chain_id || genesis state hash); block 1's
//                   prev_hash. Height 0 is the genesis state; the first block has height 1.
//
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "ledger/tx.h"
#include "util/bytes.h"
#include "util/result.h"

namespace depin::ledger {

inline constexpr std::string_view kBlockDomain = "opendepin/block/v1";
inline constexpr std::string_view kGenesisDomain = "opendepin/genesis/v1";
inline constexpr size_t kMaxBlockTxs = 100'000;

struct BlockHeader {
  uint64_t height = 0;
  Hash256 prev_hash{};
  int64_t timestamp_ms = 0;
  uint32_t tx_count = 0;
  Hash256 tx_root{};
  Hash256 state_hash{};
  Address producer;
  crypto::Signature sig{};
};

struct Block {
  BlockHeader header;
  std::vector<Tx> txs;
};

util::Bytes BlockSigningBytes(const BlockHeader& h);
Hash256 BlockHash(const BlockHeader& h);
Hash256 GenesisHash(std::string_view chain_id, const Hash256& genesis_state_hash);
// Merkle root over the tx ids (each leaf is MerkleLeafHash(tx id)).
Hash256 TxRoot(const std::vector<Hash256>& tx_ids);

void SignBlock(BlockHeader* h, const crypto::KeyPair& producer);
bool VerifyBlockSignature(const BlockHeader& h);

util::Bytes EncodeBlockHeader(const BlockHeader& h);
util::Result<BlockHeader> DecodeBlockHeader(util::ByteView data);
// Body: u32 count, then each tx as u32 length || EncodeTx.
util::Bytes EncodeBlockBody(const std::vector<Tx>& txs);
util::Result<std::vector<Tx>> DecodeBlockBody(util::ByteView data);

}  // namespace depin::ledger
