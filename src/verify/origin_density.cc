#include "verify/origin_density.h"

#include <algorithm>
#include <bit>
#include <tuple>

#include "verify/fixed_point.h"

namespace depin::verify {

void OriginTally::Observe(size_t index, uint64_t origin, uint64_t received_ms) {
  if (origin == 0) return;
  PerDevice& d = devices_[index];
  if (d.votes == 0) {
    d.candidate = origin;
    d.votes = 1;
  } else if (d.candidate == origin) {
    ++d.votes;
  } else {
    --d.votes;
  }
  const uint64_t length = window_.end_ms > window_.start_ms ? window_.end_ms - window_.start_ms : 1;
  const uint64_t offset = received_ms > window_.start_ms ? received_ms - window_.start_ms : 0;
  const uint64_t slot = std::min<uint64_t>(
      kOriginSlots - 1, static_cast<uint64_t>(static_cast<u128>(offset) * kOriginSlots / length));
  for (Visit& v : d.visits) {
    if (v.origin == origin) {
      v.slot_mask |= uint64_t{1} << slot;
      return;
    }
  }
  if (d.visits.size() < kMaxOriginsPerDevice) d.visits.push_back({origin, uint64_t{1} << slot});
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
  // One entry per (counted device, origin it reported from): (origin, visitor?, registered_at_ms,
  // index, slots). Sorted, each origin's entries are in rank order: residents, then visitors.
  struct Entry {
    uint64_t origin;
    bool visitor;
    uint64_t registered_at_ms;
    size_t index;
    uint32_t slots;
    bool operator<(const Entry& o) const {
      return std::tie(origin, visitor, registered_at_ms, index) <
             std::tie(o.origin, o.visitor, o.registered_at_ms, o.index);
    }
  };
  std::vector<Entry> entries;
  for (size_t i = 0; i < epoch.devices.size(); ++i) {
    DeviceWork& w = epoch.work[i];
    w.origin = tally.OriginOf(i);
    w.origin_ppm = kPpmOne;
    if (w.origin == 0 || !EarnsUnits(w) || Exempt(params, epoch.devices[i])) continue;
    for (const OriginTally::Visit& v : tally.VisitsOf(i)) {
      entries.push_back({v.origin, v.origin != w.origin, epoch.devices[i].registered_at_ms, i,
                         static_cast<uint32_t>(std::popcount(v.slot_mask))});
    }
  }
  std::sort(entries.begin(), entries.end());
  // Per device: sum of slots x multiplier, and of slots.
  std::vector<std::pair<u128, uint64_t>> weighted(epoch.devices.size(), {0, 0});
  for (size_t begin = 0; begin < entries.size();) {
    size_t end = begin;
    while (end < entries.size() && entries[end].origin == entries[begin].origin) ++end;
    uint32_t ppm = kPpmOne;
    for (size_t k = 0; k < end - begin; ++k) {
      if (k >= params.origin_full_devices) {
        ppm = static_cast<uint32_t>(ApplyPpm(ppm, params.origin_decay_ppm));
      }
      const Entry& e = entries[begin + k];
      weighted[e.index].first += static_cast<u128>(e.slots) * ppm;
      weighted[e.index].second += e.slots;
      if (!e.visitor) {  // what the manifest shows: the device's home origin
        DeviceWork& w = epoch.work[e.index];
        w.origin_devices = static_cast<uint32_t>(end - begin);
        w.origin_rank = static_cast<uint32_t>(k);
      }
    }
    begin = end;
  }
  for (size_t i = 0; i < epoch.devices.size(); ++i) {
    if (weighted[i].second == 0) continue;
    epoch.work[i].origin_ppm = static_cast<uint32_t>(weighted[i].first / weighted[i].second);
  }
}

}  // namespace depin::verify
