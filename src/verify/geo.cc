#include "verify/geo.h"

#include <cstdlib>

#include "verify/fixed_point.h"

namespace depin::verify {
namespace {

// round(cos(d degrees) * 2^30) for d = 0..90, generated once offline; integer data, so every
// platform interpolates the same values.
constexpr uint32_t kCosTableQ30[91] = {
    1073741824, 1073578288, 1073087729, 1072270298, 1071126243, 1069655912, 1067859754, 1065738315,
    1063292242, 1060522280, 1057429273, 1054014162, 1050277989, 1046221891, 1041847103, 1037154959,
    1032146887, 1026824413, 1021189159, 1015242840, 1008987269, 1002424350, 995556083,  988384560,
    980911966,  973140576,  965072759,  956710970,  948057759,  939115760,  929887697,  920376381,
    910584710,  900515665,  890172315,  879557810,  868675383,  857528349,  846120104,  834454122,
    822533958,  810363241,  797945680,  785285058,  772385229,  759250125,  745883746,  732290163,
    718473518,  704438018,  690187940,  675727625,  661061475,  646193961,  631129609,  615873009,
    600428808,  584801711,  568996477,  553017922,  536870912,  520560366,  504091252,  487468587,
    470697435,  453782903,  436730145,  419544355,  402230767,  384794656,  367241333,  349576144,
    331804471,  313931728,  295963357,  277904834,  259761657,  241539355,  223243478,  204879599,
    186453311,  167970228,  149435979,  130856211,  112236583,  93582766,   74900443,   56195305,
    37473049,   18739379,   0,
};

constexpr int64_t kDegreeE7 = 10'000'000;
constexpr int64_t kFullTurnE7 = 360 * kDegreeE7;
// Millimetres per 1e-7 degree of arc on the mean sphere, scaled by 1e7:
// 6,371,008.8 m * pi / 180 = 111,195.0802 m per degree = 11.1195080 mm per 1e-7 degree.
constexpr uint64_t kMmPerE7Scaled = 111'195'080;
constexpr uint64_t kMmScale = 10'000'000;

}  // namespace

bool ValidLocation(const Location& loc) {
  return std::llabs(loc.lat_e7) <= 90 * kDegreeE7 && std::llabs(loc.lon_e7) <= 180 * kDegreeE7;
}

uint32_t CosQ30(int32_t lat_e7) {
  int64_t a = std::llabs(static_cast<int64_t>(lat_e7));
  if (a >= 90 * kDegreeE7) return 0;
  int64_t deg = a / kDegreeE7;
  int64_t frac = a % kDegreeE7;
  int64_t lo = kCosTableQ30[deg];
  int64_t hi = kCosTableQ30[deg + 1];
  // cos decreases on [0, 90], so lo >= hi; interpolate and floor.
  return static_cast<uint32_t>(lo - (lo - hi) * frac / kDegreeE7);
}

uint64_t DistanceMm(const Location& a, const Location& b) {
  int64_t dlat = static_cast<int64_t>(b.lat_e7) - a.lat_e7;
  int64_t dlon = static_cast<int64_t>(b.lon_e7) - a.lon_e7;
  // Take the short way around the antimeridian.
  if (dlon > kFullTurnE7 / 2) dlon -= kFullTurnE7;
  if (dlon < -kFullTurnE7 / 2) dlon += kFullTurnE7;
  int64_t mid_lat = (static_cast<int64_t>(a.lat_e7) + b.lat_e7) / 2;
  uint64_t cos_q30 = CosQ30(static_cast<int32_t>(mid_lat));
  u128 x = (static_cast<u128>(static_cast<uint64_t>(std::llabs(dlon))) * cos_q30) >> 30;
  u128 y = static_cast<uint64_t>(std::llabs(dlat));
  uint64_t d_e7 = ISqrt128(x * x + y * y);
  return static_cast<uint64_t>(static_cast<u128>(d_e7) * kMmPerE7Scaled / kMmScale);
}

}  // namespace depin::verify
