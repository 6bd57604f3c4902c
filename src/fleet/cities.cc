#include "fleet/cities.h"

#include <array>
#include <cmath>

#include "fleet/random.h"
#include "sim/random.h"

namespace depin::fleet {
namespace {

constexpr int32_t E7(double degrees) { return static_cast<int32_t>(degrees * 1e7); }

constexpr std::array kCities = {
    City{"Tokyo", E7(35.6762), E7(139.6503)},
    City{"Delhi", E7(28.7041), E7(77.1025)},
    City{"Shanghai", E7(31.2304), E7(121.4737)},
    City{"Sao Paulo", E7(-23.5505), E7(-46.6333)},
    City{"Mexico City", E7(19.4326), E7(-99.1332)},
    City{"Cairo", E7(30.0444), E7(31.2357)},
    City{"Mumbai", E7(19.0760), E7(72.8777)},
    City{"Beijing", E7(39.9042), E7(116.4074)},
    City{"Dhaka", E7(23.8103), E7(90.4125)},
    City{"Osaka", E7(34.6937), E7(135.5023)},
    City{"New York", E7(40.7128), E7(-74.0060)},
    City{"Karachi", E7(24.8607), E7(67.0011)},
    City{"Buenos Aires", E7(-34.6037), E7(-58.3816)},
    City{"Istanbul", E7(41.0082), E7(28.9784)},
    City{"Kolkata", E7(22.5726), E7(88.3639)},
    City{"Lagos", E7(6.5244), E7(3.3792)},
    City{"Manila", E7(14.5995), E7(120.9842)},
    City{"Rio de Janeiro", E7(-22.9068), E7(-43.1729)},
    City{"Los Angeles", E7(34.0522), E7(-118.2437)},
    City{"Moscow", E7(55.7558), E7(37.6173)},
    City{"Paris", E7(48.8566), E7(2.3522)},
    City{"Bogota", E7(4.7110), E7(-74.0721)},
    City{"Jakarta", E7(-6.2088), E7(106.8456)},
    City{"Lima", E7(-12.0464), E7(-77.0428)},
    City{"Bangkok", E7(13.7563), E7(100.5018)},
    City{"Seoul", E7(37.5665), E7(126.9780)},
    City{"London", E7(51.5074), E7(-0.1278)},
    City{"Tehran", E7(35.6892), E7(51.3890)},
    City{"Chicago", E7(41.8781), E7(-87.6298)},
    City{"Ho Chi Minh City", E7(10.8231), E7(106.6297)},
    City{"Hong Kong", E7(22.3193), E7(114.1694)},
    City{"Riyadh", E7(24.7136), E7(46.6753)},
    City{"Singapore", E7(1.3521), E7(103.8198)},
    City{"Johannesburg", E7(-26.2041), E7(28.0473)},
    City{"Nairobi", E7(-1.2921), E7(36.8219)},
    City{"Madrid", E7(40.4168), E7(-3.7038)},
    City{"Toronto", E7(43.6532), E7(-79.3832)},
    City{"Berlin", E7(52.5200), E7(13.4050)},
    City{"Sydney", E7(-33.8688), E7(151.2093)},
    City{"Melbourne", E7(-37.8136), E7(144.9631)},
    City{"Santiago", E7(-33.4489), E7(-70.6693)},
    City{"Zurich", E7(47.3769), E7(8.5417)},
    City{"Dubai", E7(25.2048), E7(55.2708)},
    City{"San Francisco", E7(37.7749), E7(-122.4194)},
    City{"Miami", E7(25.7617), E7(-80.1918)},
    City{"Warsaw", E7(52.2297), E7(21.0122)},
    City{"Stockholm", E7(59.3293), E7(18.0686)},
    City{"Auckland", E7(-36.8485), E7(174.7633)},
    City{"Casablanca", E7(33.5731), E7(-7.5898)},
    City{"Vancouver", E7(49.2827), E7(-123.1207)},
};

}  // namespace

std::span<const City> Cities() { return kCities; }

Placement PlaceDevice(uint64_t seed, uint64_t index) {
  sim::Rng rng(MixSeed(seed, kStreamPlacement, index));
  Placement p;
  p.city = static_cast<size_t>(rng.Below(kCities.size()));
  const City& c = kCities[p.city];
  // Uniform over the disc: radius ~ sqrt(u).
  const double r = kScatterRadiusM * std::sqrt(rng.Unit());
  const double angle = 6.283185307179586 * rng.Unit();
  p.location = sim::Offset({c.lat_e7, c.lon_e7}, r * std::cos(angle), r * std::sin(angle));
  return p;
}

double DistanceM(const verify::Location& a, const verify::Location& b) {
  constexpr double kRad = 3.141592653589793 / 180.0;
  const double la1 = a.lat_e7 / 1e7 * kRad, la2 = b.lat_e7 / 1e7 * kRad;
  const double dla = la2 - la1, dlo = (b.lon_e7 - a.lon_e7) / 1e7 * kRad;
  const double h = std::sin(dla / 2) * std::sin(dla / 2) +
                   std::cos(la1) * std::cos(la2) * std::sin(dlo / 2) * std::sin(dlo / 2);
  return 2 * 6'371'008.8 * std::asin(std::sqrt(h));
}

}  // namespace depin::fleet
