// Plain-words explanations of a manifest: how one device's payout was derived, step by step,
// with every multiplier, share, cap and report count, so an owner can check the arithmetic by
// hand. `depin rewards explain <device> --epoch N` prints ExplainDevice. Pure; thread-safe.
#pragma once

#include <string>

#include "rewards/manifest.h"

namespace depin::rewards {

// The derivation of `device`'s reward in `manifest`, as lines of text ending in '\n'. A device
// without an entry gets a short text saying it sent no reports and earned nothing.
std::string ExplainDevice(const Manifest& manifest, const Key& device);

// One paragraph per pool and the unallocated remainder: where the epoch's emission went.
std::string ExplainEpoch(const Manifest& manifest);

}  // namespace depin::rewards
