// The fraud table: from the manifests of the measured epochs (as the node serves them,
// GET /v1/epochs/{e}/manifest) and who is who (attacker classes, honest populations), per class:
// the attackers' share of the device rewards, attackers flagged, honest devices flagged, the
// reasons, and whether the limits hold. Integer arithmetic only (shares in ppm).
//
// "Flagged" is what the dashboard flags (docs/dashboard.md): deactivated, any invalid report
// (its reason), uptime not met, location untrusted, speedtest below the lowest tier, self-paid
// usage, plus any entry of a "flags" array a verifier adds to the manifest later — except
// `outside_epoch`: a report stamped just before an epoch boundary and received just after it is
// refused for honest and attacking devices alike (more often the shorter the epoch and the
// slower the node), which says nothing about the device; those reports are counted apart. So are
// the per-report rejections of physical proofs (IsReportRejection: a witness too late, of a
// beacon the epoch does not hold, with a signal above free space, a sample out of its time
// window...): the one report earns nothing and the device is not penalised, as an honest
// hotspot's late witness or a station's delayed upload is not. What flags a device for a
// physical proof is a verifier's flag (collusion_ring, location_spoof, sensor_inconsistent),
// which moves all its proof reports to that reason.
//
// Limits: an attacker class passes when its share is <= 1 % of the device rewards — except the
// self-dealing classes (wash_trade, colluding_usage), which buy real data credits: a customer
// paying full price for its own usage is not a leak, so they pass when they earn no more than
// the tokens they burned for the DC they spent (profit <= 0). Honest populations pass when at most
// 0.5 % of their reporting devices are flagged.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace depin::fleet {

inline constexpr uint64_t kAttackerShareLimitPpm = 10'000;  // 1 %
inline constexpr uint64_t kHonestFlaggedLimitPpm = 5'000;   // 0.5 %
inline constexpr const char* kBoundaryReason = "outside_epoch";

enum class FraudLimit : uint8_t { kShare, kProfit, kHonestFlagged };

struct MeasuredPopulation {
  std::string name;  // class name, or "fleet" / "fleet_flaky" for the honest fleet
  bool honest = false;
  FraudLimit limit = FraudLimit::kShare;
  std::vector<std::string> keys;  // base58 device keys
  struct Paid {
    std::string payer;            // base58 router key whose DC the population spends
    uint64_t tokens = 0, dc = 0;  // what that DC cost: tokens per dc
  };
  std::vector<Paid> paid;
  // What ingest answered the population's reports (adversary populations only).
  uint64_t sent = 0, accepted = 0, rejected = 0;
  std::map<std::string, uint64_t> reject_reasons;
  uint32_t origins = 0;  // network origins (/24s) it sends from; 0: not known (the honest fleet)
};

struct ClassRow {
  std::string name;
  bool honest = false;
  FraudLimit limit = FraudLimit::kShare;
  uint64_t devices = 0;           // honest rows: devices that reported
  uint64_t rewards = 0;           // base units over the measured epochs
  uint64_t usage_rewards = 0;     // the part paid from the usage pool
  uint64_t receipts = 0;          // receipts the verifiers accepted
  uint64_t boundary_rejects = 0;  // reports refused as outside_epoch (not a flag, see above)
  std::map<std::string, uint64_t> report_rejects;  // IsReportRejection reasons -> reports
  uint64_t share_ppm = 0;                          // of all device rewards
  uint64_t cost = 0;     // token base units of the DC spent (self-dealing classes)
  uint64_t flagged = 0;  // devices flagged in any measured epoch
  uint64_t flagged_ppm = 0;
  std::map<std::string, uint64_t> reasons;  // reason -> devices
  // Devices whose units origin density reduced in any measured epoch (manifest "origin" entry),
  // and what the population earned in units of the median honest fleet device's rewards
  // (permille): a farm's bound is about two devices' worth per origin it controls, whatever
  // its number of keys (docs/rewards.md 1.5).
  uint64_t origin_reduced = 0;
  uint64_t device_equivalents_permille = 0;
  uint32_t origins = 0;
  uint64_t sent = 0, accepted = 0, rejected = 0;
  std::map<std::string, uint64_t> reject_reasons;
  bool pass = false;
};

struct FraudTable {
  std::vector<uint64_t> epochs;
  uint64_t device_rewards = 0;        // over the measured epochs
  uint64_t median_honest_reward = 0;  // of the "fleet" population's devices, over the epochs
  uint64_t emission = 0;
  std::vector<ClassRow> rows;  // attacker classes, then honest populations
  uint64_t honest_devices = 0, honest_flagged = 0, honest_flagged_ppm = 0;
  std::map<std::string, uint64_t> honest_reasons;
  bool pass = false;
};

// A per-report rejection of a beacon, witness or sensor batch (see above): not a flag.
bool IsReportRejection(const std::string& reason);

// The flag reasons of one manifest device entry (empty: not flagged).
std::vector<std::string> DeviceFlags(const nlohmann::json& device);

// `manifests` are the measured epochs' manifests, parsed.
FraudTable MeasureFraud(const std::vector<nlohmann::json>& manifests,
                        const std::vector<MeasuredPopulation>& populations);

// "12.34 %" from ppm.
std::string PpmPercent(uint64_t ppm);
nlohmann::json FraudTableJson(const FraudTable& table);
std::string FraudTableText(const FraudTable& table);

}  // namespace depin::fleet
