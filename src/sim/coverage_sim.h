// A simulated proof-of-coverage network: honest devices clustered in cities (with rural
// hotspots outside them and buildings holding several radios), plus every attack class in
// scenario.h: GPS spoofers far and near, flat and realistic collusion rings, virtual-hotspot
// farms, several keys on one radio, relays and replaying witnesses. Generate() places the devices;
// Run() streams the epoch's beacons and witnesses to a sink, deterministically for the seed,
// without storing them (beacon payloads live in a small buffer that outlives each call to the
// sink). Radio: log-distance path loss (exponent 2.8) with log-normal shadowing. Not thread-safe.
#pragma once

#include <functional>
#include <vector>

#include "sim/scenario.h"
#include "verify/coverage_verifier.h"

namespace depin::sim {

// Who a simulated device is. Honest roles are the hard honest cases the detectors must not
// flag; every other role is an attack class.
enum class Role : uint8_t {
  kHonest,
  kGpsSpoofer,
  kCollusionRing,
  kReplayingWitness,
  kStuck,
  kRandomData,
  kIndoor,
  // Coverage: honest hard cases, then attacks.
  kHonestRural,
  kHonestBuilding,
  kRealisticRing,
  kHotspotFarm,
  kSharedRadio,
  kRelay,
  kNearSpoofer,
  // Weather: honest hard cases, then attacks.
  kHonestLoner,
  kHonestMicroclimate,
  kHonestFlaky,
  kHonestSmallTown,
  kAlternating,
  kCopier,
  kSmooth,
  kBackfill,
  kLoneFabricator,
  kNoHeartbeat,
  kMajorityFabricator,
};
bool IsHonest(Role role);
const char* RoleName(Role role);

struct CoverageNetwork {
  CoverageScenario scenario;
  verify::EpochWindow window;
  std::vector<verify::DeviceInfo> devices;      // sorted by key
  std::vector<Role> roles;                      // per device
  std::vector<verify::Location> real;           // where each device really is
  std::vector<uint32_t> group;                  // city (or ring) index: who can hear whom
  std::vector<uint32_t> radio;                  // physical radio (keys sharing one share it)
  std::vector<uint32_t> relays_from;            // per device: the group whose beacons it relays
  std::vector<std::vector<uint32_t>> relayers;  // per group: the devices relaying its beacons
  std::vector<std::vector<uint32_t>> members;   // per group
  std::vector<verify::EntropyRecord> entropy;

  // Streams every report to `sink` (each beacon before its witnesses). Returns witnesses sent.
  uint64_t Run(const std::function<void(const verify::ReportView&)>& sink) const;
};

CoverageNetwork GenerateCoverageNetwork(const CoverageScenario& scenario,
                                        const verify::EpochWindow& window);

}  // namespace depin::sim
