// docs/rewards.md section 3.4 documents every field of the manifest's JSON. This test writes a
// manifest with every optional part present (a device with proofs and an origin reduction, a
// flag, a recipient, an unallocated entry, a payer burn), walks every object key in the JSON and
// fails for any name the document does not list, so a field added to the writer without a line
// in the docs is caught here.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "rewards/manifest.h"
#include "rewards/manifest_json.h"

namespace depin::rewards {
namespace {

using nlohmann::json;

Manifest EveryPartPresent() {
  Manifest m = {};
  m.config = DefaultRewardConfig(Key{}, Key{});
  m.config.usage_overflow.push_back({"availability", 1'000'000});
  m.pools.push_back({"availability", PoolKind::kAvailability, 400'000, 1, 0, 0, 1, 0, 1, {}});
  DeviceEntry d;
  d.amount = 1;
  d.resource_class = 2;
  d.beacons = 1;
  d.origin = 7;
  d.origin_ppm = 500'000;
  d.invalid[0] = 1;
  m.devices.push_back(d);
  m.recipients.push_back({"treasury", Key{}, 1});
  m.unallocated.push_back({"usage", "rounding", 1});
  m.payer_burns.push_back({Key{}, 1});
  m.flags.push_back({Key{}, verify::InvalidReason::kCollusionRing, "evidence"});
  m.leaves.push_back({Key{}, 1});
  return m;
}

void CollectKeys(const json& value, std::set<std::string>* keys) {
  if (value.is_array()) {
    for (const json& element : value) CollectKeys(element, keys);
    return;
  }
  if (!value.is_object()) return;
  for (auto it = value.begin(); it != value.end(); ++it) {
    keys->insert(it.key());
    // "invalid" maps reason names (docs/rewards.md 1.1) to counts: its keys are values.
    if (it.key() != "invalid") CollectKeys(it.value(), keys);
  }
}

TEST(ManifestDocsTest, EveryJsonFieldIsDocumented) {
  const json manifest = json::parse(ManifestToJson(EveryPartPresent()));
  std::set<std::string> keys;
  CollectKeys(manifest, &keys);
  ASSERT_GT(keys.size(), 60u);  // the walk reached the nested records

  std::ifstream in(std::string(DEPIN_SOURCE_DIR) + "/docs/rewards.md");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const size_t section = doc.find("### 3.4 JSON fields");
  ASSERT_NE(section, std::string::npos);
  const std::string fields = doc.substr(section, doc.find("\n## ", section) - section);
  for (const std::string& key : keys) {
    EXPECT_NE(fields.find("`" + key + "`"), std::string::npos)
        << "manifest field \"" << key << "\" is not in docs/rewards.md 3.4";
  }
}

}  // namespace
}  // namespace depin::rewards
