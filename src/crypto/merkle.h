// Binary Merkle trees over SHA-256 with domain-separated hashing, so a leaf can never be passed off
// as an inner node (second-preimage attack) and no level duplicates its last node (the Bitcoin
// CVE-2012-2459 mistake):
//   leaf(x)    = SHA-256(0x00 || x)
//   node(l, r) = SHA-256(0x01 || l || r)
// Shape follows RFC 6962 §2.1: a list of n > 1 leaves splits at k, the largest power of two < n;
// root(list) = node(root(first k), root(rest)). The root of an empty list is SHA-256("").
// Documented in docs/wire-format.md; device SDKs reproduce it from there.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "crypto/hash.h"
#include "util/bytes.h"
#include "util/result.h"

namespace depin::crypto {

Hash256 MerkleLeafHash(util::ByteView data);
Hash256 MerkleNodeHash(const Hash256& left, const Hash256& right);

// Root over already-hashed leaves (each the output of MerkleLeafHash).
Hash256 MerkleRoot(const std::vector<Hash256>& leaf_hashes);

struct MerkleProof {
  uint64_t leaf_index = 0;
  uint64_t leaf_count = 0;
  std::vector<Hash256> siblings;  // bottom-up, as RFC 6962 audit paths
};

// The inclusion proof for leaf `index`; OutOfRange if index >= leaf_hashes.size().
util::Result<MerkleProof> MakeMerkleProof(const std::vector<Hash256>& leaf_hashes, uint64_t index);

// True iff `proof` shows that `leaf_hash` is leaf proof.leaf_index of a tree with `root`.
bool VerifyMerkleProof(const Hash256& root, const Hash256& leaf_hash, const MerkleProof& proof);

}  // namespace depin::crypto
