#include "crypto/merkle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/encoding.h"

namespace depin::crypto {
namespace {

using util::Bytes;

Bytes Unhex(std::string_view hex) { return util::HexDecode(hex).value(); }

// Certificate Transparency's reference leaves and tree heads (RFC 6962 test data, as used by
// transparency-dev/merkle and certificate-transparency-go): root[n-1] is the root of the first n.
const std::vector<std::string> kCtLeaves = {"",
                                            "00",
                                            "10",
                                            "2021",
                                            "3031",
                                            "40414243",
                                            "5051525354555657",
                                            "606162636465666768696a6b6c6d6e6f"};
const std::vector<std::string> kCtRoots = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

std::vector<Hash256> CtLeafHashes(size_t n) {
  std::vector<Hash256> out;
  for (size_t i = 0; i < n; ++i) out.push_back(MerkleLeafHash(Unhex(kCtLeaves[i])));
  return out;
}

std::vector<std::string> HexAll(const std::vector<Hash256>& hashes) {
  std::vector<std::string> out;
  for (const Hash256& h : hashes) out.push_back(ToHex(h));
  return out;
}

// RFC 6962 §2.1 written out literally (recursive split at the largest power of two below n), as
// an independent reference for the bottom-up implementation.
Hash256 ReferenceRoot(const std::vector<Hash256>& leaves, size_t begin, size_t end) {
  size_t n = end - begin;
  if (n == 1) return leaves[begin];
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return MerkleNodeHash(ReferenceRoot(leaves, begin, begin + k),
                        ReferenceRoot(leaves, begin + k, end));
}

void ReferencePath(const std::vector<Hash256>& leaves, size_t m, size_t begin, size_t end,
                   std::vector<Hash256>& path) {
  size_t n = end - begin;
  if (n == 1) return;
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  if (m < k) {
    ReferencePath(leaves, m, begin, begin + k, path);
    path.push_back(ReferenceRoot(leaves, begin + k, end));
  } else {
    ReferencePath(leaves, m - k, begin + k, end, path);
    path.push_back(ReferenceRoot(leaves, begin, begin + k));
  }
}

std::vector<Hash256> DistinctLeaves(size_t n) {
  std::vector<Hash256> out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(MerkleLeafHash(util::AsBytes("leaf-" + std::to_string(i))));
  }
  return out;
}

TEST(MerkleTest, EmptyTreeIsSha256OfNothing) {
  EXPECT_EQ(ToHex(MerkleRoot({})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MerkleTest, CertificateTransparencyRoots) {
  for (size_t n = 1; n <= kCtLeaves.size(); ++n) {
    EXPECT_EQ(ToHex(MerkleRoot(CtLeafHashes(n))), kCtRoots[n - 1]) << n << " leaves";
  }
}

TEST(MerkleTest, CertificateTransparencyInclusionProofs) {
  struct Case {
    uint64_t index, size;
    std::vector<std::string> path;
  };
  const std::vector<Case> cases = {
      {0, 1, {}},
      {0,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5,
       8,
       {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1,
       5,
       {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("leaf " + std::to_string(c.index) + " of " + std::to_string(c.size));
    std::vector<Hash256> leaves = CtLeafHashes(c.size);
    auto proof = MakeMerkleProof(leaves, c.index);
    ASSERT_TRUE(proof.ok());
    EXPECT_EQ(proof->leaf_index, c.index);
    EXPECT_EQ(proof->leaf_count, c.size);
    EXPECT_EQ(HexAll(proof->siblings), c.path);
    EXPECT_TRUE(VerifyMerkleProof(MerkleRoot(leaves), leaves[c.index], *proof));
  }
}

TEST(MerkleTest, MatchesLiteralRfc6962DefinitionUpTo70Leaves) {
  std::vector<Hash256> all = DistinctLeaves(70);
  for (size_t n = 1; n <= all.size(); ++n) {
    std::vector<Hash256> leaves(all.begin(), all.begin() + n);
    ASSERT_EQ(MerkleRoot(leaves), ReferenceRoot(leaves, 0, n)) << n << " leaves";
    for (size_t i = 0; i < n; ++i) {
      std::vector<Hash256> want;
      ReferencePath(leaves, i, 0, n, want);
      ASSERT_EQ(MakeMerkleProof(leaves, i)->siblings, want) << "leaf " << i << " of " << n;
    }
  }
}

TEST(MerkleTest, EveryLeafProofVerifiesAndTamperedProofsDoNot) {
  std::vector<Hash256> all = DistinctLeaves(20);
  for (uint64_t n = 1; n <= all.size(); ++n) {
    std::vector<Hash256> leaves(all.begin(), all.begin() + n);
    const Hash256 root = MerkleRoot(leaves);
    for (uint64_t i = 0; i < n; ++i) {
      SCOPED_TRACE("leaf " + std::to_string(i) + " of " + std::to_string(n));
      auto made = MakeMerkleProof(leaves, i);
      ASSERT_TRUE(made.ok());
      const MerkleProof& proof = *made;
      EXPECT_TRUE(VerifyMerkleProof(root, leaves[i], proof));

      // Wrong leaf and wrong root.
      EXPECT_FALSE(VerifyMerkleProof(root, all[(i + 1) % all.size()], proof));
      Hash256 bad_root = root;
      bad_root[0] ^= 1;
      EXPECT_FALSE(VerifyMerkleProof(bad_root, leaves[i], proof));

      // Wrong index: every other position in the tree, and past the end.
      for (uint64_t j = 0; j <= n; ++j) {
        if (j == i) continue;
        MerkleProof p = proof;
        p.leaf_index = j;
        EXPECT_FALSE(VerifyMerkleProof(root, leaves[i], p)) << "index " << j;
      }
      // Wrong sibling: each one altered in turn.
      for (size_t s = 0; s < proof.siblings.size(); ++s) {
        MerkleProof p = proof;
        p.siblings[s][31] ^= 0x80;
        EXPECT_FALSE(VerifyMerkleProof(root, leaves[i], p)) << "sibling " << s;
      }
      // Wrong count: twice and half the size (as CT's tests do), and zero.
      for (uint64_t count : {n * 2, n / 2, uint64_t{0}}) {
        MerkleProof p = proof;
        p.leaf_count = count;
        EXPECT_FALSE(VerifyMerkleProof(root, leaves[i], p)) << "count " << count;
      }
      // Extra sibling (at the end and at the start) and a missing one.
      {
        MerkleProof p = proof;
        p.siblings.push_back(leaves[0]);
        EXPECT_FALSE(VerifyMerkleProof(root, leaves[i], p)) << "extra sibling at end";
        p = proof;
        p.siblings.insert(p.siblings.begin(), Hash256{});
        EXPECT_FALSE(VerifyMerkleProof(root, leaves[i], p)) << "extra sibling at start";
      }
      if (!proof.siblings.empty()) {
        MerkleProof p = proof;
        p.siblings.pop_back();
        EXPECT_FALSE(VerifyMerkleProof(root, leaves[i], p)) << "missing sibling";
      }
    }
  }
}

TEST(MerkleTest, TreeGivesTheSameRootAndProofsAsTheLiteralDefinition) {
  std::vector<Hash256> all = DistinctLeaves(70);
  for (size_t n = 0; n <= all.size(); ++n) {
    std::vector<Hash256> leaves(all.begin(), all.begin() + n);
    MerkleTree tree(leaves);
    ASSERT_EQ(tree.root(), MerkleRoot(leaves)) << n << " leaves";
    ASSERT_EQ(tree.leaf_count(), n);
    for (size_t i = 0; i < n; ++i) {
      std::vector<Hash256> want;
      ReferencePath(leaves, i, 0, n, want);
      auto proof = tree.Proof(i);
      ASSERT_TRUE(proof.ok());
      ASSERT_EQ(proof->siblings, want) << "leaf " << i << " of " << n;
      ASSERT_TRUE(VerifyMerkleProof(tree.root(), leaves[i], *proof));
    }
    EXPECT_EQ(tree.Proof(n).status().code(), util::Code::kOutOfRange);
  }
}

TEST(MerkleTest, ProofIndexOutOfRange) {
  std::vector<Hash256> leaves = DistinctLeaves(3);
  auto proof = MakeMerkleProof(leaves, 3);
  ASSERT_FALSE(proof.ok());
  EXPECT_EQ(proof.status().code(), util::Code::kOutOfRange);
  EXPECT_FALSE(MakeMerkleProof({}, 0).ok());
}

TEST(MerkleTest, LeafAndNodeHashesAreDomainSeparated) {
  // A 64-byte leaf that equals two concatenated child hashes must not hash like their parent.
  std::vector<Hash256> leaves = DistinctLeaves(2);
  Bytes concat(leaves[0].begin(), leaves[0].end());
  concat.insert(concat.end(), leaves[1].begin(), leaves[1].end());
  EXPECT_NE(MerkleLeafHash(concat), MerkleNodeHash(leaves[0], leaves[1]));
  // And an odd level is not padded by duplicating its last node (CVE-2012-2459).
  std::vector<Hash256> three = DistinctLeaves(3);
  std::vector<Hash256> four = three;
  four.push_back(three[2]);
  EXPECT_NE(MerkleRoot(three), MerkleRoot(four));
}

}  // namespace
}  // namespace depin::crypto
