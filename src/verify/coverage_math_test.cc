#include "verify/coverage_math.h"

#include <gtest/gtest.h>

namespace depin::verify {
namespace {

TEST(CoverageMathTest, Log2Q16IsExactOnPowersAndCloseElsewhere) {
  EXPECT_EQ(Log2Q16(1), 0);
  EXPECT_EQ(Log2Q16(1024), 10 << 16);
  // log2(3) = 1.5849625 -> 103872.3 in Q16.
  EXPECT_NEAR(Log2Q16(3), 103872, 2);
  // log2(10^9) = 29.897352854 -> 1959352.6 in Q16.
  EXPECT_NEAR(Log2Q16(1'000'000'000), 1959353, 2);
}

// Every logarithm decides which witnesses and locations pass, so a faster implementation must
// give the same value for every input: an FNV-1a checksum of both functions over 1..2,000,000
// and 2,000,000 pseudo-random inputs of every magnitude, recorded from the table-in-a-.cc
// implementation before it was made inline (issue 15).
TEST(CoverageMathTest, LogarithmsMatchTheirRecordedValues) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](int64_t v) {
    h ^= static_cast<uint64_t>(v);
    h *= 1099511628211ull;
  };
  for (uint64_t x = 1; x <= 2'000'000; ++x) {
    mix(Log2Q16(x));
    mix(TwentyLog10X10(x));
  }
  uint64_t s = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 2'000'000; ++i) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    uint64_t x = s >> (s % 64);
    if (x == 0) x = 1;
    mix(Log2Q16(x));
    mix(TwentyLog10X10(x));
  }
  EXPECT_EQ(h, 0x63e56a2f7313c940ull);
}

TEST(CoverageMathTest, TwentyLog10InDeciDb) {
  EXPECT_EQ(TwentyLog10X10(1), 0);
  EXPECT_NEAR(TwentyLog10X10(10), 200, 1);
  EXPECT_NEAR(TwentyLog10X10(1000), 600, 1);
  EXPECT_NEAR(TwentyLog10X10(915'000'000), 1792, 1);  // 179.23 dB
}

TEST(CoverageMathTest, FreeSpacePathLossMatchesFormula) {
  // 20 log10(4 pi d f / c): 1 km at 915 MHz = 91.67 dB; 10 km = 111.67 dB; 100 m at 2.4 GHz =
  // 80.05 dB. Rounded towards less loss by at most 0.2 dB.
  EXPECT_NEAR(FsplX10(1'000'000, 915'000'000), 916, 2);
  EXPECT_NEAR(FsplX10(10'000'000, 915'000'000), 1116, 2);
  EXPECT_NEAR(FsplX10(100'000, 2'400'000'000), 800, 2);
  // Below 1 m is clamped.
  EXPECT_EQ(FsplX10(10, 915'000'000), FsplX10(1000, 915'000'000));
}

TEST(CoverageMathTest, DiminishingUnits) {
  EXPECT_EQ(DiminishingUnitsPpm(0, 4, 800'000), 0u);
  EXPECT_EQ(DiminishingUnitsPpm(2, 4, 800'000), 500'000u);
  EXPECT_EQ(DiminishingUnitsPpm(4, 4, 800'000), 1'000'000u);
  EXPECT_EQ(DiminishingUnitsPpm(5, 4, 800'000), 1'200'000u);  // + 0.8 / 4
  EXPECT_EQ(DiminishingUnitsPpm(6, 4, 800'000), 1'360'000u);  // + 0.64 / 4
  // Bounded by 1 + 0.8 / 0.2 / 4 = 2.
  EXPECT_LT(DiminishingUnitsPpm(1000, 4, 800'000), 2'000'000u);
  // Per witness, more witnesses earn less each.
  EXPECT_LT(DiminishingUnitsPpm(14, 4, 800'000) / 14, DiminishingUnitsPpm(4, 4, 800'000) / 4);
}

TEST(CoverageMathTest, EntropyPayloadAndSelectionDependOnInputs) {
  Hash32 block{};
  Hash32 e1 = DeriveEntropy("net-a", block, 1000), e2 = DeriveEntropy("net-a", block, 2000);
  EXPECT_NE(e1, e2);
  // Bound to the network (issue 16): the same block and period give another network other
  // entropy, so a beacon prepared for one network is stale_entropy on every other.
  EXPECT_NE(DeriveEntropy("net-b", block, 1000), e1);
  Key a, b;
  a.bytes.fill(1);
  b.bytes.fill(2);
  EXPECT_NE(BeaconPayload(e1, a), BeaconPayload(e1, b));
  EXPECT_NE(BeaconPayload(e1, a), BeaconPayload(e2, a));
  EXPECT_NE(SelectionKey(e1, a), SelectionKey(e2, a));
  EXPECT_NE(SelectionKey(e1, a), SelectionKey(e1, b));
  uint8_t p1[] = {1, 2, 3}, p2[] = {1, 2, 4};
  EXPECT_NE(PayloadFingerprint(p1), PayloadFingerprint(p2));
}

}  // namespace
}  // namespace depin::verify
