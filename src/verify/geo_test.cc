#include "verify/geo.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>

#include "verify/fixed_point.h"

namespace depin::verify {
namespace {

TEST(GeoTest, ValidLocationBounds) {
  EXPECT_TRUE(ValidLocation({900'000'000, 1'800'000'000}));
  EXPECT_TRUE(ValidLocation({-900'000'000, -1'800'000'000}));
  EXPECT_FALSE(ValidLocation({900'000'001, 0}));
  EXPECT_FALSE(ValidLocation({0, -1'800'000'001}));
}

TEST(GeoTest, CosineTableExactPoints) {
  EXPECT_EQ(CosQ30(0), 1u << 30);
  EXPECT_EQ(CosQ30(600'000'000), 1u << 29);   // cos 60 = 0.5 exactly
  EXPECT_EQ(CosQ30(-600'000'000), 1u << 29);  // even function
  EXPECT_EQ(CosQ30(900'000'000), 0u);
  // Halfway between 0 and 1 degree: (1073741824 + 1073578288) / 2 = 1073660056.
  EXPECT_EQ(CosQ30(5'000'000), 1073660056u);
}

TEST(GeoTest, HandComputedDistances) {
  // 0.001 degree of latitude: 10000 units x 11.1195080 mm = 111195.08 mm, floored.
  EXPECT_EQ(DistanceMm({0, 0}, {10'000, 0}), 111'195u);
  // At latitude 60 degrees, 0.002 degree of longitude shrinks by cos 60 = 0.5 to 10000 units.
  EXPECT_EQ(DistanceMm({600'000'000, 0}, {600'000'000, 20'000}), 111'195u);
  // 3-4-5 triangle centred on the equator (mid-latitude 0, cos = 1): 30000 and 40000 units ->
  // 50000 units = 555975.4 mm.
  EXPECT_EQ(DistanceMm({-15'000, 0}, {15'000, 40'000}), 555'975u);
  // The same triangle from (0, 0): mid-latitude 0.0015 deg, interpolated cos = 2^30 - 245, so
  // the 40000 east units become floor(39999.99) = 39999 and sqrt(39999^2 + 30000^2) =
  // 49999.2 -> 49999 units = 555964.3 mm.
  EXPECT_EQ(DistanceMm({0, 0}, {30'000, 40'000}), 555'964u);
  // Symmetric, zero on itself, and short way round the antimeridian (0.002 deg at the equator).
  EXPECT_EQ(DistanceMm({0, 1'799'990'000}, {0, -1'799'990'000}), 222'390u);
  EXPECT_EQ(DistanceMm({123, 456}, {123, 456}), 0u);
  EXPECT_EQ(DistanceMm({1, 2}, {30'000, 40'000}), DistanceMm({30'000, 40'000}, {1, 2}));
}

// The documented bound: within 0.1% + 1 m of haversine for points up to 20 km apart with
// |lat| <= 85 degrees. Floating point here only checks the integer code.
TEST(GeoTest, WithinDocumentedBoundOfHaversine) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int32_t> lat_dist(-850'000'000, 850'000'000);
  std::uniform_int_distribution<int32_t> lon_dist(-1'800'000'000, 1'799'999'999);
  std::uniform_int_distribution<int32_t> step(-900'000, 900'000);  // ~ +-10 km per axis
  const double kRadiusM = 6'371'008.8;
  for (int i = 0; i < 20000; ++i) {
    Location a{lat_dist(rng), lon_dist(rng)};
    double cos_lat = std::cos(a.lat_e7 * 1e-7 * M_PI / 180);
    int32_t dlon = static_cast<int32_t>(step(rng) / std::max(cos_lat, 0.1));
    int64_t lon = static_cast<int64_t>(a.lon_e7) + dlon;
    if (lon > 1'800'000'000) lon -= 3'600'000'000;
    if (lon < -1'800'000'000) lon += 3'600'000'000;
    Location b{a.lat_e7 + step(rng), static_cast<int32_t>(lon)};
    double p1 = a.lat_e7 * 1e-7 * M_PI / 180, p2 = b.lat_e7 * 1e-7 * M_PI / 180;
    double dl = (b.lon_e7 - static_cast<double>(a.lon_e7)) * 1e-7 * M_PI / 180;
    double h = std::pow(std::sin((p2 - p1) / 2), 2) +
               std::cos(p1) * std::cos(p2) * std::pow(std::sin(dl / 2), 2);
    double truth_mm = 2 * kRadiusM * std::asin(std::sqrt(h)) * 1000;
    if (truth_mm > 20'000'000) continue;
    double got = static_cast<double>(DistanceMm(a, b));
    ASSERT_LE(std::fabs(got - truth_mm), truth_mm * 0.001 + 1000)
        << "a=(" << a.lat_e7 << "," << a.lon_e7 << ") b=(" << b.lat_e7 << "," << b.lon_e7 << ")";
  }
}

TEST(FixedPointTest, HelpersAreExact) {
  EXPECT_EQ(FormatPpm(1'000'000), "1.000000");
  EXPECT_EQ(FormatPpm(250'000), "0.250000");
  EXPECT_EQ(FormatPpm(7), "0.000007");
  EXPECT_EQ(U128ToString(static_cast<u128>(UINT64_MAX) * 10 + 5), "184467440737095516155");
  EXPECT_EQ(ISqrt128(0), 0u);
  EXPECT_EQ(ISqrt128(24), 4u);
  EXPECT_EQ(ISqrt128(25), 5u);
  u128 big = static_cast<u128>(UINT64_MAX) * UINT64_MAX;
  EXPECT_EQ(ISqrt128(big), UINT64_MAX);
  EXPECT_EQ(ISqrt128(big - 1), UINT64_MAX - 1);
  EXPECT_EQ(MulDivFloor64(UINT64_MAX, 3, 4),
            static_cast<uint64_t>(static_cast<u128>(UINT64_MAX) * 3 / 4));
  EXPECT_EQ(ApplyPpm(999, 250'000), 249u);  // 249.75 floored
}

}  // namespace
}  // namespace depin::verify
