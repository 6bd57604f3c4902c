// Internal to depin_fleet: the factories of the runnable adversary classes, one per file of
// classes (adversary_usage.cc, adversary_farm.cc, adversary_poc.cc, adversary_sensor.cc);
// MakePopulation (adversary.cc) asks each. Pure functions; thread-safe.
#pragma once

#include <memory>

#include "fleet/adversary.h"

namespace depin::fleet {

// nullptr when `spec` is not one of the file's classes.
std::unique_ptr<Population> MakeUsagePopulation(const AdversarySpec& spec, uint64_t seed,
                                                uint32_t index);
std::unique_ptr<Population> MakeFarmPopulation(const AdversarySpec& spec, uint64_t seed,
                                               uint32_t index);
std::unique_ptr<Population> MakePocPopulation(const AdversarySpec& spec, uint64_t seed,
                                              uint32_t index);
std::unique_ptr<Population> MakeSensorPopulation(const AdversarySpec& spec, uint64_t seed,
                                                 uint32_t index);

}  // namespace depin::fleet
