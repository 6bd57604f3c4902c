// Location-spoofing detection: trilaterate each device from its witness edges (the devices that
// heard its beacons and the beaconers it heard) as a signal-weighted centroid of their asserted
// locations, and flag a device whose asserted location lies far outside that cloud: more than
// max(min_offset_m, ratio x the cloud's weighted RMS spread) from the centroid. Integer arithmetic;
// two passes over the edges. Pure function over its inputs; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "verify/collusion.h"
#include "verify/coverage_params.h"

namespace depin::verify {

struct SpoofFlag {
  uint32_t device = 0;  // slot
  Location asserted;
  Location estimated;     // weighted centroid of counterparts
  uint32_t offset_m = 0;  // asserted to estimated
  uint32_t spread_m = 0;  // weighted RMS distance of counterparts to the centroid
  uint32_t edges = 0;
  std::string Evidence() const;
};

// `devices[i]` is slot i's registry entry (asserted locations).
std::vector<SpoofFlag> DetectLocationSpoofing(const SpoofingParams& params,
                                              std::span<const WitnessEdge> edges,
                                              std::span<const DeviceInfo> devices);

}  // namespace depin::verify
