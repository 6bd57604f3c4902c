// CoverageVerifier: proof of coverage for wireless networks (beacons and witnesses), with
// Helium IoT's rules (coverage_params.h) plus collusion-ring and location-spoofing detection.
//
// Observe does the per-report checks that need only the report and its sender (beaconer has an
// asserted location and is not denylisted; entropy known and fresh; payload regenerates; one
// beacon per interval; witness not denylisted, not self) and stores a 32-byte record per
// witness; no per-report heap allocation besides amortized vector growth. Finish joins witnesses
// to beacons (a flat hash map keyed by beacon id, then a counting sort), applies the witness
// checks, runs the detectors, selects at most N witnesses per beacon pseudo-randomly keyed by
// the beacon's entropy, applies reciprocity and density scaling, and writes each device's
// proof_units. Reports rejected in Finish move from valid to their reason in DeviceWork; flagged
// devices get every coverage report counted under the flag's reason, and flags() lists them with
// evidence for operators.
//
// Thread-safety: none; driven by one EpochVerifier.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "verify/collusion.h"
#include "verify/coverage_params.h"
#include "verify/denylist.h"
#include "verify/spoofing.h"
#include "verify/verifier.h"

namespace depin::verify {

// Entropy the node published: `entropy` became valid at `published_ms`.
struct EntropyRecord {
  Hash32 entropy{};
  uint64_t published_ms = 0;
};

// DeviceFlag (a flagged device with its evidence) lives in work.h.

// The operator-reviewable list: one line per flag, "<key hex> <reason> <evidence>", in the
// given order.
std::string FlagReport(const std::vector<DeviceFlag>& flags);
// A denylist proposing every flagged device (denylisted ones included), for an operator to
// review, edit and sign (Denylist::SignToText).
Denylist ProposedDenylist(const std::vector<DeviceFlag>& flags, uint64_t version);

// Figures from the last Finish, for logs and benchmarks.
struct CoverageStats {
  uint64_t beacons = 0;             // valid beacons
  uint64_t witnesses = 0;           // witnesses that passed every check
  uint64_t witnesses_rewarded = 0;  // selected under the per-beacon cap
  uint64_t witnesses_rejected = 0;
  uint64_t reciprocity_failures = 0;  // devices losing units for lack of reciprocity
  size_t rings = 0;
  size_t spoofers = 0;           // flagged by multilateration
  size_t refused_spoofers = 0;   // flagged for links stronger than free space (spoofing.h)
  size_t sybil_regions = 0;      // coverage_graph.h
  size_t shared_radio_keys = 0;  // keys flagged for sharing another key's radio
  size_t relays = 0;             // relayed witnesses
  size_t relays_withheld = 0;    // unheard on late beacons only: units withheld, not flagged
  uint32_t trust_seeds = 0;      // seeds trust propagated from (0: trust not applied)
};

class CoverageVerifier : public Verifier {
 public:
  // `devices` is the EpochVerifier's registry (EpochVerifier::devices()); `entropy` every
  // entropy published for (and up to max_entropy_age before) the epoch. `expected_witnesses`
  // only pre-sizes storage. InvalidArgument for bad params.
  static util::Result<std::unique_ptr<CoverageVerifier>> Create(
      const CoverageParams& params, const EpochWindow& window, std::span<const DeviceInfo> devices,
      std::vector<EntropyRecord> entropy, Denylist denylist, size_t expected_witnesses = 0);
  ~CoverageVerifier() override;

  std::string_view name() const override { return "coverage"; }
  std::vector<ReportKind> kinds() const override {
    return {ReportKind::kCoverageBeacon, ReportKind::kCoverageWitness};
  }
  std::optional<InvalidReason> Observe(const ReportView& report, const DeviceInfo& device,
                                       DeviceWork& work) override;
  void Finish(EpochWork& epoch) override;

  // After Finish: flagged devices with evidence, sorted by key.
  const std::vector<DeviceFlag>& flags() const { return flags_; }
  const CoverageStats& stats() const { return stats_; }

  struct State;  // per-epoch storage (coverage_verifier.cc)

 private:
  CoverageVerifier(const CoverageParams& params, const EpochWindow& window,
                   std::span<const DeviceInfo> devices);
  std::optional<InvalidReason> ObserveBeacon(const ReportView& r, uint32_t slot);
  std::optional<InvalidReason> ObserveWitness(const ReportView& r, uint32_t slot);

  CoverageParams params_;
  EpochWindow window_;
  std::span<const DeviceInfo> devices_;
  std::unique_ptr<State> state_;
  std::vector<DeviceFlag> flags_;
  CoverageStats stats_;
};

}  // namespace depin::verify
