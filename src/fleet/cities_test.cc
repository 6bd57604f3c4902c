#include "fleet/cities.h"

#include <gtest/gtest.h>

#include <set>

namespace depin::fleet {
namespace {

TEST(CitiesTest, TableHasAboutFiftyDistinctValidCities) {
  const auto cities = Cities();
  EXPECT_GE(cities.size(), 45u);
  std::set<std::string_view> names;
  for (const City& c : cities) {
    names.insert(c.name);
    EXPECT_LE(std::abs(c.lat_e7), 900'000'000) << c.name;
    EXPECT_LE(std::abs(c.lon_e7), 1'800'000'000) << c.name;
  }
  EXPECT_EQ(names.size(), cities.size());
}

TEST(CitiesTest, PlacementIsDeterministicGivenSeedAndIndex) {
  for (uint64_t i = 0; i < 50; ++i) {
    const Placement a = PlaceDevice(1, i), b = PlaceDevice(1, i);
    EXPECT_EQ(a.city, b.city);
    EXPECT_EQ(a.location.lat_e7, b.location.lat_e7);
    EXPECT_EQ(a.location.lon_e7, b.location.lon_e7);
  }
  int differ = 0;
  for (uint64_t i = 0; i < 50; ++i) {
    differ += PlaceDevice(1, i).location.lat_e7 != PlaceDevice(2, i).location.lat_e7;
  }
  EXPECT_GT(differ, 45);
}

TEST(CitiesTest, DevicesLandNearTheirCityAndSpreadOverManyCities) {
  std::set<size_t> used;
  double farthest = 0;
  for (uint64_t i = 0; i < 2000; ++i) {
    const Placement p = PlaceDevice(42, i);
    ASSERT_LT(p.city, Cities().size());
    used.insert(p.city);
    const City& c = Cities()[p.city];
    const double d = DistanceM(p.location, {c.lat_e7, c.lon_e7});
    EXPECT_LE(d, kScatterRadiusM * 1.01) << "device " << i << " in " << c.name;
    farthest = std::max(farthest, d);
  }
  EXPECT_EQ(used.size(), Cities().size());     // 2000 draws over ~50 cities hit every one
  EXPECT_GT(farthest, kScatterRadiusM * 0.8);  // scattered, not stacked on the centre
}

TEST(CitiesTest, DistanceOfKnownPair) {
  // London - Paris is about 344 km.
  const double d = DistanceM({515074000, -1278000}, {488566000, 23522000});
  EXPECT_NEAR(d, 343'500, 2'000);
}

}  // namespace
}  // namespace depin::fleet
