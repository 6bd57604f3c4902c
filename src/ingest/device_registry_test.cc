#include "ingest/device_registry.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace depin::ingest {
namespace {

DeviceKey KeyFor(uint32_t i) {
  DeviceKey k{};
  for (int b = 0; b < 4; ++b) {
    k[b] = static_cast<uint8_t>(i >> (8 * b));
    k[8 + b] = static_cast<uint8_t>((i * 2654435761u) >> (8 * b));
    k[24 + b] = static_cast<uint8_t>((i ^ 0x5a5a5a5au) >> (8 * b));
  }
  return k;
}

TEST(DeviceRegistryTest, UnknownKeyIsNotFound) {
  InMemoryDeviceRegistry reg;
  EXPECT_FALSE(reg.Lookup(KeyFor(1)).has_value());
  EXPECT_FALSE(reg.SetActive(KeyFor(1), false));
}

TEST(DeviceRegistryTest, UpsertLookupDeactivate) {
  InMemoryDeviceRegistry reg;
  reg.Upsert(KeyFor(7), {KindBit(1) | KindBit(5), true});
  auto info = reg.Lookup(KeyFor(7));
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->active);
  EXPECT_EQ(info->allowed_kinds, KindBit(1) | KindBit(5));
  EXPECT_FALSE(reg.Lookup(KeyFor(8)).has_value());
  ASSERT_TRUE(reg.SetActive(KeyFor(7), false));
  EXPECT_FALSE(reg.Lookup(KeyFor(7))->active);
  reg.Upsert(KeyFor(7), {KindBit(2), true});
  EXPECT_EQ(reg.Lookup(KeyFor(7))->allowed_kinds, KindBit(2));
  EXPECT_EQ(reg.size(), 1u);
}

TEST(DeviceRegistryTest, HundredThousandDevicesFitTheMemoryBudget) {
  InMemoryDeviceRegistry reg;
  constexpr uint32_t kDevices = 100'000;
  for (uint32_t i = 0; i < kDevices; ++i) reg.Upsert(KeyFor(i), {KindBit(i % 9), i % 3 != 0});
  EXPECT_EQ(reg.size(), kDevices);
  for (uint32_t i = 0; i < kDevices; ++i) {
    auto info = reg.Lookup(KeyFor(i));
    ASSERT_TRUE(info.has_value()) << i;
    EXPECT_EQ(info->allowed_kinds, KindBit(i % 9));
    EXPECT_EQ(info->active, i % 3 != 0);
  }
  EXPECT_FALSE(reg.Lookup(KeyFor(kDevices)).has_value());
  EXPECT_LE(reg.MemoryBytes() / kDevices, 200u);
}

TEST(DeviceRegistryTest, ConcurrentReadersAndWriter) {
  InMemoryDeviceRegistry reg;
  for (uint32_t i = 0; i < 1000; ++i) reg.Upsert(KeyFor(i), {kAllKinds, true});
  std::thread writer([&] {
    for (uint32_t i = 1000; i < 20000; ++i) reg.Upsert(KeyFor(i), {kAllKinds, true});
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      for (int round = 0; round < 20; ++round) {
        for (uint32_t i = 0; i < 1000; ++i) ASSERT_TRUE(reg.Lookup(KeyFor(i)).has_value());
      }
    });
  }
  writer.join();
  for (auto& r : readers) r.join();
  EXPECT_EQ(reg.size(), 20000u);
}

}  // namespace
}  // namespace depin::ingest
