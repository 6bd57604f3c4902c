// A simulated proof-of-coverage network: honest devices clustered in cities, plus GPS spoofers,
// collusion rings and replaying witnesses (scenario.h). Generate() places the devices; Run()
// streams the epoch's beacons and witnesses to a sink, deterministically for the seed, without
// storing them (beacon payloads live in a small buffer that outlives each call to the sink).
// Radio: log-distance path loss (exponent 2.8) with log-normal shadowing. Not thread-safe.
#pragma once

#include <functional>
#include <vector>

#include "sim/scenario.h"
#include "verify/coverage_verifier.h"

namespace depin::sim {

enum class Role : uint8_t {
  kHonest,
  kGpsSpoofer,
  kCollusionRing,
  kReplayingWitness,
  kStuck,
  kRandomData,
  kIndoor
};
const char* RoleName(Role role);

struct CoverageNetwork {
  CoverageScenario scenario;
  verify::EpochWindow window;
  std::vector<verify::DeviceInfo> devices;     // sorted by key
  std::vector<Role> roles;                     // per device
  std::vector<verify::Location> real;          // where each device really is
  std::vector<uint32_t> group;                 // city (or ring) index: who can hear whom
  std::vector<std::vector<uint32_t>> members;  // per group
  std::vector<verify::EntropyRecord> entropy;

  // Streams every report to `sink` (each beacon before its witnesses). Returns witnesses sent.
  uint64_t Run(const std::function<void(const verify::ReportView&)>& sink) const;
};

CoverageNetwork GenerateCoverageNetwork(const CoverageScenario& scenario,
                                        const verify::EpochWindow& window);

}  // namespace depin::sim
