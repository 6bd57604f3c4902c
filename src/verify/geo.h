// Integer great-circle distance for location trust. No floating point: coordinates are degrees
// x 1e7, the longitude difference is scaled by cos(mean latitude) from a 1-degree Q30 table with
// linear interpolation, and the equirectangular distance is an integer square root.
//
// Error bound (checked against haversine in geo_test.cc): for points up to 20 km apart with
// |latitude| <= 85 degrees, the result is within 0.5% + 1 m of the haversine distance on a sphere
// of radius 6,371,008.8 m (the IUGG mean radius). Trust thresholds are hundreds of metres, where
// this means a few metres at most. Far-apart points (continents) come out larger or smaller than
// the truth but always far beyond any threshold. Pure and thread-safe.
#pragma once

#include <cstdint>

#include "verify/report_view.h"

namespace depin::verify {

// True iff |lat| <= 90 degrees and |lon| <= 180 degrees.
bool ValidLocation(const Location& loc);

// cos(lat) in Q30 (1.0 = 2^30) for lat in degrees x 1e7, |lat| <= 90 degrees.
uint32_t CosQ30(int32_t lat_e7);

// Distance between two valid locations, in millimetres.
uint64_t DistanceMm(const Location& a, const Location& b);

}  // namespace depin::verify
