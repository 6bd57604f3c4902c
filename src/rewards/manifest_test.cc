// Reward leaves, Merkle root and proofs, canonical JSON round trip and hash, bad JSON.
#include "rewards/manifest.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "rewards/compute.h"
#include "rewards/manifest_json.h"
#include "util/encoding.h"
#include "verify/test_util.h"

namespace depin::rewards {
namespace {

using verify::testing::DayEpoch;
using verify::testing::Device;
using verify::testing::KeyOf;

Manifest Example() {
  RewardConfig c = DefaultRewardConfig(KeyOf(80), KeyOf(81));
  verify::EpochWork w;
  w.window = DayEpoch();
  w.devices = {Device(1, 9), Device(2, 9), Device(3, 9)};
  w.work.resize(3);
  for (int i = 0; i < 2; ++i) {
    w.work[i].uptime_ok = true;
    w.work[i].heartbeat_hours = 20;
    w.work[i].valid_reports = 22;
    w.work[i].location_trust_ppm = 1'000'000;
    w.work[i].speedtest_ppm = i == 0 ? 1'000'000 : 500'000;
  }
  w.work[1].receipts = 3;
  w.work[1].dc_burned = 100;
  w.work[1].dc_basis = 100'000;
  w.work[1].usage_bytes = 2'400;
  w.work[2].invalid[static_cast<size_t>(verify::InvalidReason::kClockSkew)] = 4;
  w.corrupt_records = 2;
  w.payer_burns = {{KeyOf(50), 100}};
  RewardInputs in;
  in.emission = 1'000'000'007;
  in.dc_price = {1'000, 1};
  in.prior = {{KeyOf(1), 5}, {KeyOf(7), 9}};
  auto m = ComputeRewards(c, in, w);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return std::move(m).value();
}

TEST(RewardLeafTest, CanonicalBytes) {
  // "opendepin/reward-leaf/v1" (24 ASCII bytes), 0x00, the 32 key bytes, u64 little-endian.
  util::Bytes leaf = RewardLeafBytes(KeyOf(0xab), 0x0102030405060708);
  std::string expected_hex = util::HexEncode(util::AsBytes("opendepin/reward-leaf/v1")) + "00";
  for (int i = 0; i < 32; ++i) expected_hex += "ab";
  expected_hex += "0807060504030201";
  EXPECT_EQ(leaf.size(), 24u + 1 + 32 + 8);
  EXPECT_EQ(util::HexEncode(leaf), expected_hex);
}

TEST(RewardLeafTest, RootAndProofsVerify) {
  Manifest m = Example();
  // Leaves: prior keys 1 and 7, rewarded devices 1 and 2, recipients 80 and 81.
  ASSERT_EQ(m.leaves.size(), 5u);
  EXPECT_EQ(m.leaves[0].key, KeyOf(1));
  EXPECT_EQ(m.leaves[0].cumulative, 5 + m.devices[0].amount);
  EXPECT_EQ(m.leaves[2].key, KeyOf(7));
  std::vector<crypto::Hash256> hashes;
  for (const RewardLeaf& l : m.leaves) {
    hashes.push_back(crypto::MerkleLeafHash(RewardLeafBytes(l.key, l.cumulative)));
  }
  EXPECT_EQ(m.root, crypto::MerkleRoot(hashes));
  for (size_t i = 0; i < m.leaves.size(); ++i) {
    auto proof = RewardProof(m, m.leaves[i].key);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(crypto::VerifyMerkleProof(m.root, hashes[i], *proof));
    // The same proof with a different cumulative amount must not verify.
    auto forged =
        crypto::MerkleLeafHash(RewardLeafBytes(m.leaves[i].key, m.leaves[i].cumulative + 1));
    EXPECT_FALSE(crypto::VerifyMerkleProof(m.root, forged, *proof));
  }
  EXPECT_EQ(RewardProof(m, KeyOf(3)).status().code(), util::Code::kNotFound);
}

TEST(ManifestJsonTest, RoundTripIsCanonicalAndHashIsStable) {
  Manifest m = Example();
  m.config.verify.speedtest_tiers[0].name = "g\"o\\od\x01\n";  // escaping must round-trip
  std::string text = ManifestToJson(m);
  auto parsed = ManifestFromJson(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(ManifestToJson(*parsed), text);
  // Canonical means: what nlohmann emits for the same document (sorted keys, compact).
  EXPECT_EQ(nlohmann::json::parse(text).dump(), text);
  EXPECT_EQ(parsed->config.verify.speedtest_tiers[0].name, "g\"o\\od\x01\n");
  EXPECT_NE(text.find(R"("name":"g\"o\\od\u0001\n")"), std::string::npos);
  EXPECT_EQ(ManifestHash(*parsed), ManifestHash(m));
  EXPECT_EQ(ManifestHash(m), crypto::Sha256(util::AsBytes(text)));
  // The pretty form parses to the same manifest.
  auto pretty = ManifestFromJson(ManifestToPrettyJson(m));
  ASSERT_TRUE(pretty.ok()) << pretty.status().ToString();
  EXPECT_EQ(ManifestToJson(*pretty), text);
  // Amounts are decimal strings; small counters are numbers; invalid counts by reason name.
  EXPECT_NE(text.find("\"emission\":\"1000000007\""), std::string::npos);
  EXPECT_NE(text.find("\"clock_skew\":4"), std::string::npos);
  EXPECT_NE(text.find("\"corrupt_records\":\"2\""), std::string::npos);
  // Sorted keys: "amount" precedes "availability_amount" inside a device object.
  size_t amount = text.find("\"amount\"");
  EXPECT_LT(amount, text.find("\"availability_amount\""));
}

TEST(ManifestJsonTest, SingleDeviceParseKeepsOnlyThatDevice) {
  Manifest m = Example();
  std::string text = ManifestToJson(m);
  ASSERT_GE(m.devices.size(), 3u);
  auto one = ManifestFromJsonForDevice(text, KeyOf(2));
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ASSERT_EQ(one->devices.size(), 1u);
  EXPECT_EQ(one->devices[0].device, KeyOf(2));
  EXPECT_EQ(one->devices[0].amount, m.devices[1].amount);
  EXPECT_EQ(one->leaves.size(), m.leaves.size());
  EXPECT_EQ(one->root, m.root);
  auto none = ManifestFromJsonForDevice(text, KeyOf(33));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->devices.empty());
  // Tampering is still caught.
  std::string needle = "\"cumulative\":\"" + std::to_string(m.leaves[0].cumulative) + "\"";
  size_t at = text.find(needle, text.find("\"leaves\""));
  text.replace(at, needle.size(), "\"cumulative\":\"1\"");
  EXPECT_EQ(ManifestFromJsonForDevice(text, KeyOf(2)).status().code(), util::Code::kCorruption);
}

TEST(ManifestJsonTest, RejectsBadInputWithThePath) {
  Manifest m = Example();
  std::string text = ManifestToJson(m);
  EXPECT_EQ(ManifestFromJson("{").status().code(), util::Code::kInvalidArgument);
  EXPECT_EQ(ManifestFromJson("[]").status().code(), util::Code::kInvalidArgument);

  std::string bad_amount = text;
  size_t at = bad_amount.find("\"emission\":\"1000000007\"");
  bad_amount.replace(at, 23, "\"emission\":\"10x\"");
  auto r1 = ManifestFromJson(bad_amount);
  ASSERT_FALSE(r1.ok());
  EXPECT_NE(r1.status().message().find("$.emission"), std::string_view::npos);

  std::string too_big = text;
  at = too_big.find("\"emission\":\"1000000007\"");
  too_big.replace(at, 23, "\"emission\":\"18446744073709551616\"");
  EXPECT_NE(ManifestFromJson(too_big).status().message().find("exceeds"), std::string_view::npos);

  // A tampered cumulative amount no longer matches the root.
  std::string tampered = text;
  std::string needle = "\"cumulative\":\"" + std::to_string(m.leaves[0].cumulative) + "\"";
  size_t leaves = tampered.find("\"leaves\"");
  at = tampered.find(needle, leaves);
  ASSERT_NE(at, std::string::npos);
  tampered.replace(at, needle.size(), "\"cumulative\":\"999999999999\"");
  EXPECT_EQ(ManifestFromJson(tampered).status().code(), util::Code::kCorruption);

  std::string wrong_type = text;
  at = wrong_type.find("\"usage_cap_multiple_ppm\":900000");
  wrong_type.replace(at, 31, "\"usage_cap_multiple_ppm\":\"900000\"");
  auto r2 = ManifestFromJson(wrong_type);
  EXPECT_NE(r2.status().message().find("$.params.usage_cap_multiple_ppm"), std::string_view::npos);
}

}  // namespace
}  // namespace depin::rewards
