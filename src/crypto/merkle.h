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
// The same root, reducing the caller's vector in place (no copy of a million leaf hashes).
Hash256 MerkleRoot(std::vector<Hash256>&& leaf_hashes);

struct MerkleProof {
  uint64_t leaf_index = 0;
  uint64_t leaf_count = 0;
  std::vector<Hash256> siblings;  // bottom-up, as RFC 6962 audit paths
};

// The inclusion proof for leaf `index`; OutOfRange if index >= leaf_hashes.size(). Builds the
// whole tree: for proofs of many leaves of one tree, use MerkleTree.
util::Result<MerkleProof> MakeMerkleProof(const std::vector<Hash256>& leaf_hashes, uint64_t index);

// Every level of one tree (leaves first), built once — n - 1 node hashes — so each inclusion
// proof then costs O(log n) copies instead of rebuilding the tree. Immutable after
// construction; thread-safe for concurrent readers.
class MerkleTree {
 public:
  explicit MerkleTree(std::vector<Hash256> leaf_hashes);
  // MerkleRoot(leaf_hashes) (SHA-256 of nothing for no leaves).
  const Hash256& root() const { return root_; }
  uint64_t leaf_count() const { return levels_.empty() ? 0 : levels_[0].size(); }
  // OutOfRange if index >= leaf_count().
  util::Result<MerkleProof> Proof(uint64_t index) const;

 private:
  std::vector<std::vector<Hash256>> levels_;  // levels_[0] = leaves; the last has one node
  Hash256 root_{};
};

// True iff `proof` shows that `leaf_hash` is leaf proof.leaf_index of a tree with `root`.
bool VerifyMerkleProof(const Hash256& root, const Hash256& leaf_hash, const MerkleProof& proof);

}  // namespace depin::crypto
