// Blocks: a header that chains to its parent, commits to its transactions (RFC 6962 Merkle root
// of the tx ids) and to the whole state after them (the LtHash digest), signed by the producer.
//
//   block hash    = SHA-256(header signing bytes), which are wire v2's BlockHeader signing bytes
//                   (domain(block, network id = chain id) from wire/domain.h, version 2, height,
//                   prev_hash, tx_root, tx_count, state_hash, timestamp, producer), so
//                   ToWireHeader(h) has the same hash and signature in wire format
//   genesis hash  = SHA-256("opendepin/genesis/v1" || chain_id || genesis state hash); block 1's
//                   prev_hash. Height 0 is the genesis state; the first block has height 1.
//
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "ledger/tx.h"
#include "util/bytes.h"
#include "util/result.h"
#include "wire/constants.h"
#include "wire/proto/ledger.pb.h"

namespace depin::ledger {

inline constexpr std::string_view kGenesisDomain = "opendepin/genesis/v1";
inline constexpr size_t kMaxBlockTxs = 100'000;

inline constexpr uint32_t kBlockVersion = wire::kWireVersion;

struct BlockHeader {
  std::string network_id;  // the chain id (LedgerParams::chain_id)
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

// The same header as a wire v1 BlockHeader (wire/proto/ledger.proto); its wire hash is BlockHash.
wire::v1::BlockHeader ToWireHeader(const BlockHeader& h);

util::Bytes EncodeBlockHeader(const BlockHeader& h);
util::Result<BlockHeader> DecodeBlockHeader(util::ByteView data);
// Body: u32 count, then each tx as u32 length || EncodeTx.
util::Bytes EncodeBlockBody(const std::vector<Tx>& txs);
util::Result<std::vector<Tx>> DecodeBlockBody(util::ByteView data);

}  // namespace depin::ledger
