// RFC 6962 Merkle Tree Hash, built bottom-up: pair nodes level by level and carry an unpaired last
// node up unchanged. That gives exactly RFC 6962's tree (left subtrees are the largest perfect
// trees), and the audit path of a leaf is its sibling on every level where it has one.
#include "crypto/merkle.h"

#include <string>

namespace depin::crypto {
namespace {

constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;

// Replaces `level` with the level above it.
void Reduce(std::vector<Hash256>& level) {
  size_t out = 0;
  for (size_t i = 0; i + 1 < level.size(); i += 2) {
    level[out++] = MerkleNodeHash(level[i], level[i + 1]);
  }
  if (level.size() % 2 == 1) level[out++] = level.back();
  level.resize(out);
}

}  // namespace

Hash256 MerkleLeafHash(util::ByteView data) {
  // The thread's reused context: a fresh one per leaf cost more than hashing the leaf.
  const uint8_t prefix = kLeafPrefix;
  return Sha256({&prefix, 1}, data);
}

Hash256 MerkleNodeHash(const Hash256& left, const Hash256& right) {
  uint8_t buf[1 + 2 * kHashSize];
  buf[0] = kNodePrefix;
  std::copy(left.begin(), left.end(), buf + 1);
  std::copy(right.begin(), right.end(), buf + 1 + kHashSize);
  return Sha256(buf);
}

Hash256 MerkleRoot(const std::vector<Hash256>& leaf_hashes) {
  return MerkleRoot(std::vector<Hash256>(leaf_hashes));
}

Hash256 MerkleRoot(std::vector<Hash256>&& leaf_hashes) {
  if (leaf_hashes.empty()) return Sha256({});
  while (leaf_hashes.size() > 1) Reduce(leaf_hashes);
  return leaf_hashes[0];
}

util::Result<MerkleProof> MakeMerkleProof(const std::vector<Hash256>& leaf_hashes, uint64_t index) {
  if (index >= leaf_hashes.size()) {
    return util::Status::OutOfRange("merkle proof: leaf index " + std::to_string(index) +
                                    " is not below the leaf count " +
                                    std::to_string(leaf_hashes.size()));
  }
  return MerkleTree(leaf_hashes).Proof(index);
}

MerkleTree::MerkleTree(std::vector<Hash256> leaf_hashes) {
  if (leaf_hashes.empty()) {
    root_ = Sha256({});
    return;
  }
  levels_.push_back(std::move(leaf_hashes));
  while (levels_.back().size() > 1) {
    std::vector<Hash256> up = levels_.back();
    Reduce(up);
    levels_.push_back(std::move(up));
  }
  root_ = levels_.back()[0];
}

util::Result<MerkleProof> MerkleTree::Proof(uint64_t index) const {
  if (index >= leaf_count()) {
    return util::Status::OutOfRange("merkle proof: leaf index " + std::to_string(index) +
                                    " is not below the leaf count " + std::to_string(leaf_count()));
  }
  MerkleProof proof;
  proof.leaf_index = index;
  proof.leaf_count = leaf_count();
  uint64_t i = index;
  for (size_t level = 0; level + 1 < levels_.size(); ++level, i /= 2) {
    const uint64_t sibling = i ^ 1;
    if (sibling < levels_[level].size()) proof.siblings.push_back(levels_[level][sibling]);
  }
  return proof;
}

bool VerifyMerkleProof(const Hash256& root, const Hash256& leaf_hash, const MerkleProof& proof) {
  // RFC 9162 §2.1.3.2: fn walks the leaf's position up the tree, sn the last position; a node
  // that is the last on its level and a left child has no sibling and is carried up.
  if (proof.leaf_index >= proof.leaf_count) return false;
  uint64_t fn = proof.leaf_index;
  uint64_t sn = proof.leaf_count - 1;
  Hash256 r = leaf_hash;
  for (const Hash256& p : proof.siblings) {
    if (sn == 0) return false;  // more siblings than levels
    if ((fn & 1) == 1 || fn == sn) {
      r = MerkleNodeHash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = MerkleNodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

}  // namespace depin::crypto
