// Origin density: many devices reporting from one network origin are treated like many devices in
// one cell (HIP-17's hex density, applied to where reports come from). Ingest records a keyed
// hash of each report's source /24 or /48 (ingest/origin.h); OriginTally gives each device the
// origin most of its valid reports came from (Boyer-Moore majority vote: O(1) state per device,
// deterministic in log order); ApplyOriginDensity then ranks, within each origin, the devices
// that earn availability units by seniority (registered_at_ms, then key) and gives the k-th
// (0-based) device
//
//   multiplier_k = 1                                     for k <  origin_full_devices
//   multiplier_k = origin_decay_ppm^(k - full + 1) / 1e6^(k - full)  (each step floored)
//
// so with the defaults (1 full device, decay 0.5) an origin's devices together earn less than
// two devices, however many keys one host runs. Devices owned by an account in
// origin_exempt_owners (a real gateway deployment behind one uplink) keep 1 and are not counted.
// Reports with no recorded origin (0: logs written before origins) never reduce anyone.
//
// Thread-safety: none; driven by one EpochVerifier.
#pragma once

#include <cstdint>
#include <vector>

#include "verify/params.h"
#include "verify/work.h"

namespace depin::verify {

class OriginTally {
 public:
  explicit OriginTally(size_t devices) : candidate_(devices, 0), votes_(devices, 0) {}
  // One valid report of device `index` from `origin` (0 is ignored).
  void Observe(size_t index, uint64_t origin);
  // The device's majority origin, or 0 when it reported none.
  uint64_t OriginOf(size_t index) const { return candidate_[index]; }

 private:
  std::vector<uint64_t> candidate_;
  std::vector<uint32_t> votes_;
};

// Sets DeviceWork::origin, origin_devices, origin_rank and origin_ppm for every device; call after
// the verifiers' Finish (it needs to know which devices earn units).
void ApplyOriginDensity(const VerifyParams& params, const OriginTally& tally, EpochWork& epoch);

}  // namespace depin::verify
