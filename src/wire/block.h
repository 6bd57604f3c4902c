// Blocks (wire format v2): header signing bytes, block hash, transaction Merkle root, signing by
// the producer, verification and the decoder for untrusted bytes.
//
//   block hash = SHA-256(header signing bytes)          (domain "opendepin/block/v2" + network id)
//   tx_root    = crypto::MerkleRoot(MerkleLeafHash(tx id_0) .. MerkleLeafHash(tx id_{n-1}))
//
// Whether a block extends the chain (height, prev_hash, state_hash, producer schedule) is the
// ledger's decision; this layer checks form, the tx root and signatures. Pure; thread-safe.
#pragma once

#include <vector>

#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "util/bytes.h"
#include "util/result.h"
#include "wire/proto/ledger.pb.h"
#include "wire/transaction.h"

namespace depin::wire {

using BlockHash = crypto::Hash256;

// "opendepin/block/v2" signing bytes (domain bound to the header's network_id); InvalidArgument
// naming the field if malformed; Unsupported if its version is not kWireVersion.
util::Result<util::Bytes> BlockHeaderSigningBytes(const v1::BlockHeader& header);
util::Result<BlockHash> ComputeBlockHash(const v1::BlockHeader& header);
// Merkle root over the transaction ids, in block order (SHA-256("") for none).
crypto::Hash256 TxRoot(const std::vector<TxId>& ids);

// Fills header.tx_root and header.tx_count from `transactions` (each must pass CheckTransaction),
// checks header.producer is producer's key, and signs.
util::Result<v1::Block> SignBlock(v1::BlockHeader header,
                                  const std::vector<v1::SignedTransaction>& transactions,
                                  const crypto::KeyPair& producer);

struct CheckedBlock {
  v1::Block message;
  util::Bytes header_signing_bytes;
  BlockHash hash{};
  crypto::PublicKey producer;
  crypto::Signature signature{};
  std::vector<CheckedTransaction> transactions;
};

// Structure checks: header fields, signature length, 0..kMaxBlockTransactions transactions each
// passing CheckTransaction and each network id equal to the header's, no transaction twice,
// tx_count and tx_root matching the transactions. Does not verify signatures.
util::Result<CheckedBlock> CheckBlock(v1::Block block);
// As CheckBlock after the kMaxBlockBytes size limit and parsing.
util::Result<CheckedBlock> DecodeBlock(util::ByteView bytes);
// Verifies the producer's signature, then every transaction's signatures.
util::Status VerifyCheckedBlock(const CheckedBlock& block);
// CheckBlock + VerifyCheckedBlock.
util::Status VerifyBlock(const v1::Block& block);

}  // namespace depin::wire
