// Origin density: many devices reporting from one network origin are treated like many devices in
// one cell (HIP-17's hex density, applied to where reports come from). Ingest records a keyed
// hash of each report's source /24 or /48 (ingest/origin.h). OriginTally keeps, per device, its
// majority origin (Boyer-Moore vote in log order: its "home") and every origin it sent valid
// reports from (up to kMaxOriginsPerDevice) with the time slots (1/64 of the epoch each) it used
// them in. ApplyOriginDensity then ranks, within each origin, the devices that earn availability
// units — first those at home there, then visitors, each by seniority (registered_at_ms, then
// key) — and gives the k-th (0-based)
//
//   m_k = 1                                     for k <  origin_full_devices
//   m_k = origin_decay_ppm^(k - full + 1) / 1e6^(k - full)  (each step floored)
//
// A device's multiplier is the mean of its m over its origins, weighted by the slots it used each
// in (floored). A device that stays home is ranked exactly as before; one host whose address
// moves (a dynamic address, a pool of /24s) is counted wherever its keys reported, so piling each
// key's reports onto "its own" address does not file it as a household of its own; a visitor
// never pushes the devices at home there down, and pays only for the share of its time it spent
// where other earning devices live. With the defaults (1 full device, decay 0.5) an origin's
// devices together earn less than two devices, however many keys one host runs. Devices owned by
// an account in origin_exempt_owners (a real gateway deployment behind one uplink) keep 1 and
// are not counted. Reports with no recorded origin (0: logs written before origins) never reduce
// anyone.
//
// Thread-safety: none; driven by one EpochVerifier.
#pragma once

#include <cstdint>
#include <vector>

#include "verify/params.h"
#include "verify/report_view.h"
#include "verify/work.h"

namespace depin::verify {

inline constexpr size_t kMaxOriginsPerDevice = 8;  // further origins of one device are ignored
inline constexpr uint64_t kOriginSlots = 64;       // time slots per epoch (one bit each)

class OriginTally {
 public:
  OriginTally(size_t devices, const EpochWindow& window) : window_(window), devices_(devices) {}
  // One valid report of device `index` from `origin` (0 is ignored), received at `received_ms`.
  void Observe(size_t index, uint64_t origin, uint64_t received_ms);
  // The device's majority origin, or 0 when it reported none.
  uint64_t OriginOf(size_t index) const { return devices_[index].candidate; }

  struct Visit {
    uint64_t origin = 0;
    uint64_t slot_mask = 0;  // bit s: a valid report in slot s from this origin
  };
  // Every origin the device reported from (first kMaxOriginsPerDevice), in first-seen order.
  const std::vector<Visit>& VisitsOf(size_t index) const { return devices_[index].visits; }

 private:
  struct PerDevice {
    uint64_t candidate = 0;
    uint32_t votes = 0;
    std::vector<Visit> visits;
  };
  EpochWindow window_;
  std::vector<PerDevice> devices_;
};

// Sets DeviceWork::origin, origin_devices, origin_rank and origin_ppm for every device; call after
// the verifiers' Finish (it needs to know which devices earn units).
void ApplyOriginDensity(const VerifyParams& params, const OriginTally& tally, EpochWork& epoch);

}  // namespace depin::verify
