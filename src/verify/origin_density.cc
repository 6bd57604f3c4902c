#include "verify/origin_density.h"

#include <algorithm>
#include <tuple>

#include "verify/fixed_point.h"

namespace depin::verify {

void OriginTally::Observe(size_t index, uint64_t origin) {
  if (origin == 0) return;
  if (votes_[index] == 0) {
    candidate_[index] = origin;
    votes_[index] = 1;
  } else if (candidate_[index] == origin) {
    ++votes_[index];
  } else {
    --votes_[index];
  }
}

namespace {

bool EarnsUnits(const DeviceWork& w) {
  return !w.deactivated && (w.has_proof_units ? w.proof_units > 0 : w.uptime_ok);
}

bool Exempt(const VerifyParams& params, const DeviceInfo& device) {
  return std::find(params.origin_exempt_owners.begin(), params.origin_exempt_owners.end(),
                   device.owner) != params.origin_exempt_owners.end();
}

}  // namespace

void ApplyOriginDensity(const VerifyParams& params, const OriginTally& tally, EpochWork& epoch) {
  // (origin, registered_at_ms, key order = index) of every counted device.
  std::vector<std::tuple<uint64_t, uint64_t, size_t>> counted;
  for (size_t i = 0; i < epoch.devices.size(); ++i) {
    DeviceWork& w = epoch.work[i];
    w.origin = tally.OriginOf(i);
    w.origin_ppm = kPpmOne;
    if (w.origin == 0 || !EarnsUnits(w) || Exempt(params, epoch.devices[i])) continue;
    counted.emplace_back(w.origin, epoch.devices[i].registered_at_ms, i);
  }
  std::sort(counted.begin(), counted.end());
  for (size_t begin = 0; begin < counted.size();) {
    size_t end = begin;
    while (end < counted.size() && std::get<0>(counted[end]) == std::get<0>(counted[begin])) ++end;
    uint32_t ppm = kPpmOne;
    for (size_t k = 0; k < end - begin; ++k) {
      if (k >= params.origin_full_devices) {
        ppm = static_cast<uint32_t>(ApplyPpm(ppm, params.origin_decay_ppm));
      }
      DeviceWork& w = epoch.work[std::get<2>(counted[begin + k])];
      w.origin_devices = static_cast<uint32_t>(end - begin);
      w.origin_rank = static_cast<uint32_t>(k);
      w.origin_ppm = ppm;
    }
    begin = end;
  }
}

}  // namespace depin::verify
