// The verifier registry: which verifier judges each kind of proof, which combinations a resource
// class may ask for, and the epoch pass that runs exactly the verifiers a network's classes name.
//
//   proof kind                         verifier   writes
//   heartbeat                          uptime     hours, location trust -> availability units
//   speedtest                          speedtest  tier multiplier on uptime units
//   data_transfer                      usage      DC-backed bytes -> usage pool
//   coverage_beacon, coverage_witness  coverage   proof units (replace uptime units), flags
//   sensor_batch                       qod        proof units (replace uptime units), flags
//   storage_proof, compute_receipt     (none in this engine: refused by configuration)
//
// ConfiguredEpoch wraps one EpochVerifier. Before a report reaches a verifier it checks that the
// device's resource class accepts the report's kind (kind_not_accepted otherwise), that a sensor
// batch's timestamps and per-parameter counts are plausible, and that a denylisted device earns
// nothing from sensor data (coverage applies the denylist itself). Coverage and QoD run over the
// devices of the classes that accept them: their per-device results are confined to those
// devices, so a phone's uptime units are never replaced by a weather station's verifier. With no
// classes configured (tests, the default reward configuration) it registers uptime, speedtest
// and usage for every device, exactly like RegisterDefaultVerifiers.
//
// Thread-safety: the functions are pure; a ConfiguredEpoch is driven from one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "verify/coverage_params.h"
#include "verify/coverage_verifier.h"
#include "verify/denylist.h"
#include "verify/params.h"
#include "verify/qod_params.h"
#include "verify/qod_verifier.h"
#include "verify/verifier.h"

namespace depin::verify {

// Bit k set = reports of wire kind k (ReportKind's value).
using KindMask = uint32_t;
inline constexpr KindMask KindBitOf(uint32_t wire_kind) {
  return wire_kind < 32 ? KindMask{1} << wire_kind : 0;
}
inline constexpr KindMask KindBitOf(ReportKind kind) {
  return KindBitOf(static_cast<uint32_t>(kind));
}

enum class VerifierId : uint8_t { kUptime, kSpeedtest, kUsage, kCoverage, kQod };
std::string_view VerifierName(VerifierId id);  // "uptime", "speedtest", "usage", ...

// The verifier that judges reports of wire kind `wire_kind`; nullopt when this engine has none.
std::optional<VerifierId> VerifierFor(uint32_t wire_kind);

// Why a resource class accepting `kinds` cannot be verified, in words naming the proof kinds;
// empty when it can. Refused: a kind without a verifier, a beacon without the witness (or the
// reverse), speedtest without heartbeat (it scales uptime units), coverage together with
// sensor_batch (each replaces the class's availability units with its own), speedtest beside
// either of them (it would never count).
std::string ClassProblem(KindMask kinds);

// The verifiers' names that a class accepting `kinds` runs, in registry order.
std::vector<std::string> VerifiersOf(KindMask kinds);

struct ResourceClassProofs {
  std::string name;
  KindMask kinds = 0;
};

struct VerifierSetup {
  // Index = the ledger's resource_class. Empty: every device gets uptime, speedtest and usage.
  std::vector<ResourceClassProofs> classes;
  CoverageParams coverage;
  QodParams qod = DefaultQodParams();
  // A sample older than this before its batch's own timestamp is backfill
  // (sensor_bad_timestamp); a sample newer than the batch's receive time plus the clock skew is
  // from the future.
  uint64_t max_sample_age_ms = 3'600'000;
  // Where the close's other inputs are checked against: the network id the PoC entropy is bound
  // to, and the key that signs the operator's denylist (the governance key).
  std::string network_id;
  std::optional<Key> denylist_operator;
};

// True when some class accepts a kind of `verifier`'s.
bool SetupRuns(const VerifierSetup& setup, VerifierId verifier);

struct EpochInputs {
  EpochWindow window;
  VerifyParams params;
  VerifierSetup setup;
  std::vector<DeviceInfo> devices;         // sorted by key, unique
  std::vector<PayerInfo> payers;           // any order
  SpeedtestHistory prior_speedtests;       // the previous epoch's window
  std::vector<ReceiptKey> prior_receipts;  // receipts spent in earlier epochs (usage_verifier.h)
  std::vector<EntropyRecord> entropy;      // published for (and shortly before) the epoch
  Denylist denylist;                       // the operator's, in force at the close
};

class ConfiguredEpoch {
 public:
  // InvalidArgument when the setup names an impossible class (ClassProblem) or parameters are
  // invalid for the window.
  static util::Result<std::unique_ptr<ConfiguredEpoch>> Create(EpochInputs inputs);

  // Offers one decoded report; never fails (an unacceptable report is counted with its reason).
  void Observe(const ReportView& report);
  void NoteCorruptRecords(uint64_t count) { epoch_->NoteCorruptRecords(count); }
  // Names of the verifiers running, in registry order (logs and the manifest).
  const std::vector<std::string>& running() const { return running_; }
  // Runs every verifier's Finish; EpochWork::flags holds the flags of coverage and QoD.
  EpochWork Finish();

 private:
  ConfiguredEpoch() = default;
  std::optional<InvalidReason> SensorChecks(const ReportView& r, const DeviceInfo& device) const;

  std::unique_ptr<EpochVerifier> epoch_;
  VerifierSetup setup_;
  uint64_t max_clock_skew_ms_ = 0;
  Denylist denylist_;
  std::vector<std::string> running_;
  struct Offered {
    uint32_t beacons = 0, witnesses = 0, sensor_batches = 0;
  };
  std::vector<Offered> offered_;          // per device, for EpochWork
  CoverageVerifier* coverage_ = nullptr;  // owned by epoch_
  QodVerifier* qod_ = nullptr;            // owned by epoch_
};

}  // namespace depin::verify
