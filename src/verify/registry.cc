#include "verify/registry.h"

#include <algorithm>
#include <array>

#include "verify/speedtest_verifier.h"
#include "verify/uptime_verifier.h"
#include "verify/usage_verifier.h"

namespace depin::verify {

using util::Result;
using util::Status;

namespace {

constexpr KindMask kCoverageKinds =
    KindBitOf(ReportKind::kCoverageBeacon) | KindBitOf(ReportKind::kCoverageWitness);

// Runs a physical-proof verifier over every device, then undoes what its Finish wrote for
// devices outside its classes: coverage and QoD set has_proof_units for every device they
// know, and only their own classes' availability units are theirs to replace.
class ScopedVerifier : public Verifier {
 public:
  ScopedVerifier(std::unique_ptr<Verifier> inner, std::vector<uint8_t> in_scope)
      : inner_(std::move(inner)), in_scope_(std::move(in_scope)) {}
  std::string_view name() const override { return inner_->name(); }
  std::vector<ReportKind> kinds() const override { return inner_->kinds(); }
  std::optional<InvalidReason> Observe(const ReportView& report, const DeviceInfo& device,
                                       DeviceWork& work) override {
    return inner_->Observe(report, device, work);
  }
  void Finish(EpochWork& epoch) override {
    struct Saved {
      bool has = false;
      uint64_t units = 0;
    };
    std::vector<Saved> saved(epoch.work.size());
    for (size_t i = 0; i < epoch.work.size(); ++i) {
      saved[i] = {epoch.work[i].has_proof_units, epoch.work[i].proof_units};
    }
    inner_->Finish(epoch);
    for (size_t i = 0; i < epoch.work.size() && i < in_scope_.size(); ++i) {
      if (in_scope_[i]) continue;
      epoch.work[i].has_proof_units = saved[i].has;
      epoch.work[i].proof_units = saved[i].units;
    }
  }

 private:
  std::unique_ptr<Verifier> inner_;
  std::vector<uint8_t> in_scope_;
};

std::vector<uint8_t> ScopeOf(std::span<const DeviceInfo> devices,
                             const std::vector<ResourceClassProofs>& classes, KindMask kinds) {
  std::vector<uint8_t> in(devices.size(), 0);
  for (size_t i = 0; i < devices.size(); ++i) {
    const uint32_t c = devices[i].resource_class;
    in[i] = c < classes.size() && (classes[c].kinds & kinds) != 0;
  }
  return in;
}

}  // namespace

std::string_view VerifierName(VerifierId id) {
  switch (id) {
    case VerifierId::kUptime:
      return "uptime";
    case VerifierId::kSpeedtest:
      return "speedtest";
    case VerifierId::kUsage:
      return "usage";
    case VerifierId::kCoverage:
      return "coverage";
    case VerifierId::kQod:
      return "qod";
  }
  return "unknown";
}

std::optional<VerifierId> VerifierFor(uint32_t wire_kind) {
  switch (wire_kind) {
    case static_cast<uint32_t>(ReportKind::kHeartbeat):
      return VerifierId::kUptime;
    case static_cast<uint32_t>(ReportKind::kSpeedtest):
      return VerifierId::kSpeedtest;
    case static_cast<uint32_t>(ReportKind::kDataTransfer):
      return VerifierId::kUsage;
    case static_cast<uint32_t>(ReportKind::kCoverageBeacon):
    case static_cast<uint32_t>(ReportKind::kCoverageWitness):
      return VerifierId::kCoverage;
    case static_cast<uint32_t>(ReportKind::kSensorBatch):
      return VerifierId::kQod;
    default:
      return std::nullopt;
  }
}

std::string ClassProblem(KindMask kinds) {
  for (uint32_t k = 0; k < 32; ++k) {
    if ((kinds & KindBitOf(k)) && !VerifierFor(k)) {
      return "proof kind " + std::to_string(k) +
             " has no verifier in this engine (verified kinds: heartbeat, speedtest, "
             "data_transfer, coverage_beacon, coverage_witness, sensor_batch)";
    }
  }
  const bool beacon = kinds & KindBitOf(ReportKind::kCoverageBeacon);
  const bool witness = kinds & KindBitOf(ReportKind::kCoverageWitness);
  if (beacon != witness) {
    return "coverage_beacon and coverage_witness go together: one verifier judges both, and a "
           "device earns from beacons only if it also witnesses (and the reverse)";
  }
  if ((kinds & KindBitOf(ReportKind::kSpeedtest)) && !(kinds & KindBitOf(ReportKind::kHeartbeat))) {
    return "speedtest needs heartbeat in the same class: a speedtest tier scales uptime units";
  }
  if (beacon && (kinds & KindBitOf(ReportKind::kSensorBatch))) {
    return "a class earns from one physical proof: coverage (coverage_beacon, coverage_witness) "
           "or sensor_batch, not both";
  }
  if ((kinds & KindBitOf(ReportKind::kSpeedtest)) &&
      (beacon || (kinds & KindBitOf(ReportKind::kSensorBatch)))) {
    return "speedtest cannot count in a class with coverage or sensor_batch: their proof units "
           "replace uptime x speedtest as the class's availability units";
  }
  return {};
}

std::vector<std::string> VerifiersOf(KindMask kinds) {
  std::vector<std::string> out;
  for (VerifierId id : {VerifierId::kUptime, VerifierId::kSpeedtest, VerifierId::kUsage,
                        VerifierId::kCoverage, VerifierId::kQod}) {
    for (uint32_t k = 0; k < 32; ++k) {
      if ((kinds & KindBitOf(k)) && VerifierFor(k) == id) {
        out.emplace_back(VerifierName(id));
        break;
      }
    }
  }
  return out;
}

bool SetupRuns(const VerifierSetup& setup, VerifierId verifier) {
  for (const ResourceClassProofs& rc : setup.classes) {
    for (uint32_t k = 0; k < 32; ++k) {
      if ((rc.kinds & KindBitOf(k)) && VerifierFor(k) == verifier) return true;
    }
  }
  return false;
}

Result<std::unique_ptr<ConfiguredEpoch>> ConfiguredEpoch::Create(EpochInputs in) {
  std::unique_ptr<ConfiguredEpoch> c(new ConfiguredEpoch());
  KindMask any = 0;
  for (size_t i = 0; i < in.setup.classes.size(); ++i) {
    const ResourceClassProofs& rc = in.setup.classes[i];
    if (std::string problem = ClassProblem(rc.kinds); !problem.empty()) {
      return Status::InvalidArgument("verify: resource class " + std::to_string(i) + " (" +
                                     rc.name + "): " + problem);
    }
    any |= rc.kinds;
  }
  const bool legacy = in.setup.classes.empty();
  if (legacy) {
    any = KindBitOf(ReportKind::kHeartbeat) | KindBitOf(ReportKind::kSpeedtest) |
          KindBitOf(ReportKind::kDataTransfer);
  }
  DEPIN_ASSIGN_OR_RETURN(c->epoch_,
                         EpochVerifier::Create(in.window, in.params, std::move(in.devices)));
  EpochVerifier& epoch = *c->epoch_;
  c->running_ = VerifiersOf(any);
  // Registration order is Finish order: uptime derives the location trust QoD reads.
  if (any & KindBitOf(ReportKind::kHeartbeat)) {
    DEPIN_RETURN_IF_ERROR(
        epoch.Register(std::make_unique<UptimeLocationVerifier>(in.params, epoch.window())));
  }
  if (any & KindBitOf(ReportKind::kSpeedtest)) {
    DEPIN_RETURN_IF_ERROR(epoch.Register(std::make_unique<SpeedtestVerifier>(
        in.params, epoch.window(), std::move(in.prior_speedtests))));
  }
  if (any & KindBitOf(ReportKind::kDataTransfer)) {
    DEPIN_ASSIGN_OR_RETURN(
        auto usage, UsageVerifier::Create(in.params, std::move(in.payers), in.prior_receipts));
    DEPIN_RETURN_IF_ERROR(epoch.Register(std::move(usage)));
  }
  if (any & kCoverageKinds) {
    DEPIN_ASSIGN_OR_RETURN(
        auto coverage, CoverageVerifier::Create(in.setup.coverage, epoch.window(), epoch.devices(),
                                                std::move(in.entropy), in.denylist));
    c->coverage_ = coverage.get();
    DEPIN_RETURN_IF_ERROR(epoch.Register(std::make_unique<ScopedVerifier>(
        std::move(coverage), ScopeOf(epoch.devices(), in.setup.classes, kCoverageKinds))));
  }
  if (any & KindBitOf(ReportKind::kSensorBatch)) {
    DEPIN_ASSIGN_OR_RETURN(auto qod,
                           QodVerifier::Create(in.setup.qod, epoch.window(), epoch.devices()));
    c->qod_ = qod.get();
    DEPIN_RETURN_IF_ERROR(epoch.Register(std::make_unique<ScopedVerifier>(
        std::move(qod),
        ScopeOf(epoch.devices(), in.setup.classes, KindBitOf(ReportKind::kSensorBatch)))));
  }
  c->offered_.resize(epoch.devices().size());
  c->setup_ = std::move(in.setup);
  c->max_clock_skew_ms_ = in.params.max_clock_skew_ms;
  c->denylist_ = std::move(in.denylist);
  return c;
}

std::optional<InvalidReason> ConfiguredEpoch::SensorChecks(const ReportView& r,
                                                           const DeviceInfo& device) const {
  if (denylist_.ContainsDevice(device.key)) return InvalidReason::kDenylisted;
  const SensorBody& body = r.sensor;
  if (body.count == 0 || body.samples == nullptr) return std::nullopt;  // QoD: sensor_no_samples
  uint64_t first = UINT64_MAX, last = 0;
  for (uint32_t i = 0; i < body.count; ++i) {
    const uint64_t t = body.samples[i].timestamp_ms;
    if (t > r.received_ms + max_clock_skew_ms_) return InvalidReason::kSensorBadTimestamp;
    if (t + setup_.max_sample_age_ms < r.device_ms) return InvalidReason::kSensorBadTimestamp;
    first = std::min(first, t);
    last = std::max(last, t);
  }
  // At most one sample per parameter per second of the batch's span (plus the first).
  const uint64_t allowed = (last - first) / 1000 + 1;
  std::array<uint32_t, 64> per_parameter{};
  for (uint32_t i = 0; i < body.count; ++i) {
    const uint32_t p = body.samples[i].parameter;
    if (p < per_parameter.size() && ++per_parameter[p] > allowed) {
      return InvalidReason::kSensorTooManySamples;
    }
  }
  return std::nullopt;
}

void ConfiguredEpoch::Observe(const ReportView& report) {
  std::optional<size_t> index = epoch_->FindDevice(report.device);
  if (!index) return epoch_->Observe(report);  // counted as an unknown device
  const DeviceInfo& device = epoch_->devices()[*index];
  if (!setup_.classes.empty()) {
    const uint32_t c = device.resource_class;
    const KindMask accepted = c < setup_.classes.size() ? setup_.classes[c].kinds : 0;
    if (!(accepted & KindBitOf(report.kind))) {
      return epoch_->Reject(report, InvalidReason::kKindNotAccepted);
    }
  }
  Offered& offered = offered_[*index];
  if (report.kind == ReportKind::kCoverageBeacon) ++offered.beacons;
  if (report.kind == ReportKind::kCoverageWitness) ++offered.witnesses;
  if (report.kind == ReportKind::kSensorBatch) ++offered.sensor_batches;
  if (report.kind == ReportKind::kSensorBatch && qod_ != nullptr) {
    if (std::optional<InvalidReason> reason = SensorChecks(report, device)) {
      return epoch_->Reject(report, *reason);
    }
  }
  epoch_->Observe(report);
}

EpochWork ConfiguredEpoch::Finish() {
  EpochWork work = epoch_->Finish();
  for (size_t i = 0; i < work.work.size() && i < offered_.size(); ++i) {
    work.work[i].beacons = offered_[i].beacons;
    work.work[i].witnesses = offered_[i].witnesses;
    work.work[i].sensor_batches = offered_[i].sensor_batches;
    if (qod_ != nullptr && i < qod_->stations().size()) {
      work.work[i].qod_ppm = qod_->stations()[i].qod_ppm;
    }
  }
  if (coverage_ != nullptr) {
    work.flags.insert(work.flags.end(), coverage_->flags().begin(), coverage_->flags().end());
  }
  if (qod_ != nullptr) {
    work.flags.insert(work.flags.end(), qod_->flags().begin(), qod_->flags().end());
  }
  std::stable_sort(work.flags.begin(), work.flags.end(),
                   [](const DeviceFlag& a, const DeviceFlag& b) { return a.device < b.device; });
  return work;
}

}  // namespace depin::verify
