#include "verify/verifier.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <string>

#include "verify/speedtest_verifier.h"
#include "verify/uptime_verifier.h"
#include "verify/usage_verifier.h"

namespace depin::verify {

using util::Result;
using util::Status;

std::string_view ReportKindName(ReportKind kind) {
  switch (kind) {
    case ReportKind::kHeartbeat:
      return "heartbeat";
    case ReportKind::kDataTransfer:
      return "data_transfer";
    case ReportKind::kSpeedtest:
      return "speedtest";
    case ReportKind::kCoverageBeacon:
      return "coverage_beacon";
    case ReportKind::kCoverageWitness:
      return "coverage_witness";
    case ReportKind::kSensorBatch:
      return "sensor_batch";
  }
  return "unknown";
}

std::string_view InvalidReasonName(InvalidReason reason) {
  switch (reason) {
    case InvalidReason::kDeviceDeactivated:
      return "device_deactivated";
    case InvalidReason::kOutsideEpoch:
      return "outside_epoch";
    case InvalidReason::kClockSkew:
      return "clock_skew";
    case InvalidReason::kBadLocation:
      return "bad_location";
    case InvalidReason::kUnknownPayer:
      return "unknown_payer";
    case InvalidReason::kInsufficientDc:
      return "insufficient_dc";
    case InvalidReason::kEmptyReceipt:
      return "empty_receipt";
    case InvalidReason::kNoVerifier:
      return "no_verifier";
    case InvalidReason::kNoAssertedLocation:
      return "no_asserted_location";
    case InvalidReason::kDenylisted:
      return "denylisted";
    case InvalidReason::kStaleEntropy:
      return "stale_entropy";
    case InvalidReason::kBeaconTooFrequent:
      return "beacon_too_frequent";
    case InvalidReason::kBadPayload:
      return "bad_payload";
    case InvalidReason::kUnknownBeacon:
      return "unknown_beacon";
    case InvalidReason::kDuplicateWitness:
      return "duplicate_witness";
    case InvalidReason::kSelfWitness:
      return "self_witness";
    case InvalidReason::kDenylistedEdge:
      return "denylisted_edge";
    case InvalidReason::kWitnessTooLate:
      return "witness_too_late";
    case InvalidReason::kFrequencyMismatch:
      return "frequency_mismatch";
    case InvalidReason::kWitnessTooClose:
      return "witness_too_close";
    case InvalidReason::kWitnessTooFar:
      return "witness_too_far";
    case InvalidReason::kSignalTooStrong:
      return "signal_too_strong";
    case InvalidReason::kImplausibleSnr:
      return "implausible_snr";
    case InvalidReason::kCollusionRing:
      return "collusion_ring";
    case InvalidReason::kLocationSpoof:
      return "location_spoof";
    case InvalidReason::kSensorNoSamples:
      return "sensor_no_samples";
    case InvalidReason::kSensorInconsistent:
      return "sensor_inconsistent";
    case InvalidReason::kKindNotAccepted:
      return "kind_not_accepted";
    case InvalidReason::kSensorBadTimestamp:
      return "sensor_bad_timestamp";
    case InvalidReason::kSensorTooManySamples:
      return "sensor_too_many_samples";
    case InvalidReason::kDuplicateReceipt:
      return "duplicate_receipt";
    case InvalidReason::kStaleReceipt:
      return "stale_receipt";
    case InvalidReason::kReceiptTime:
      return "receipt_time";
    case InvalidReason::kCount:
      break;
  }
  return "unknown";
}

std::string_view InvalidReasonText(InvalidReason reason) {
  switch (reason) {
    case InvalidReason::kDeviceDeactivated:
      return "the device was deactivated before the epoch ended";
    case InvalidReason::kOutsideEpoch:
      return "its timestamp fell outside the epoch";
    case InvalidReason::kClockSkew:
      return "the device clock differed from the server's receive time by more than allowed";
    case InvalidReason::kBadLocation:
      return "its coordinates were out of range";
    case InvalidReason::kUnknownPayer:
      return "the payer key holds no delegated data credits";
    case InvalidReason::kInsufficientDc:
      return "the payer's data credits ran out before this receipt";
    case InvalidReason::kEmptyReceipt:
      return "the receipt carried zero bytes or zero data credits";
    case InvalidReason::kNoVerifier:
      return "no verifier is configured for its kind";
    case InvalidReason::kNoAssertedLocation:
      return "the device has no asserted location";
    case InvalidReason::kDenylisted:
      return "the device is on the operator denylist";
    case InvalidReason::kStaleEntropy:
      return "the beacon used unknown entropy or was sent too long after it";
    case InvalidReason::kBeaconTooFrequent:
      return "the device beaconed more than once in a beacon interval";
    case InvalidReason::kBadPayload:
      return "the beacon payload did not match its entropy or the beacon heard";
    case InvalidReason::kUnknownBeacon:
      return "it witnessed a beacon not seen this epoch";
    case InvalidReason::kDuplicateWitness:
      return "the device had already witnessed that beacon";
    case InvalidReason::kSelfWitness:
      return "the device witnessed its own beacon";
    case InvalidReason::kDenylistedEdge:
      return "the beaconer and witness pair is on the operator denylist";
    case InvalidReason::kWitnessTooLate:
      return "the witness arrived too long after the beacon";
    case InvalidReason::kFrequencyMismatch:
      return "the witness frequency differed too much from the beacon";
    case InvalidReason::kWitnessTooClose:
      return "the witness was closer to the beaconer than allowed";
    case InvalidReason::kWitnessTooFar:
      return "the witness was farther from the beaconer than allowed";
    case InvalidReason::kSignalTooStrong:
      return "the signal was stronger than free-space path loss allows at that distance";
    case InvalidReason::kImplausibleSnr:
      return "its signal and SNR implied an impossible noise floor";
    case InvalidReason::kCollusionRing:
      return "the device was flagged as part of a collusion ring";
    case InvalidReason::kLocationSpoof:
      return "the device was flagged because its witnesses contradict its asserted location";
    case InvalidReason::kSensorNoSamples:
      return "the sensor batch had no usable samples";
    case InvalidReason::kSensorInconsistent:
      return "the station disagreed persistently with its neighbours";
    case InvalidReason::kKindNotAccepted:
      return "the device's resource class does not accept reports of this kind";
    case InvalidReason::kSensorBadTimestamp:
      return "a sample was taken after the batch arrived or long before the batch was sent";
    case InvalidReason::kSensorTooManySamples:
      return "the batch carried more samples of one parameter than one per second";
    case InvalidReason::kDuplicateReceipt:
      return "the usage receipt (payer, session, sequence) was already reported before";
    case InvalidReason::kStaleReceipt:
      return "the usage receipt was older than the receipt validity window when it arrived";
    case InvalidReason::kReceiptTime:
      return "the usage receipt was signed after the report that carries it";
    case InvalidReason::kCount:
      break;
  }
  return "unknown reason";
}

Result<std::unique_ptr<EpochVerifier>> EpochVerifier::Create(const EpochWindow& window,
                                                             const VerifyParams& params,
                                                             std::vector<DeviceInfo> devices) {
  DEPIN_RETURN_IF_ERROR(ValidateVerifyParams(params, window));
  for (size_t i = 1; i < devices.size(); ++i) {
    if (!(devices[i - 1].key < devices[i].key)) {
      return Status::InvalidArgument("verify: device registry not sorted by key or duplicated at " +
                                     std::to_string(i) + " (" + devices[i].key.ToHex() + ")");
    }
  }
  return std::unique_ptr<EpochVerifier>(new EpochVerifier(window, params, std::move(devices)));
}

EpochVerifier::EpochVerifier(const EpochWindow& window, const VerifyParams& params,
                             std::vector<DeviceInfo> devices)
    : params_(params), origins_(devices.size(), window) {
  work_.window = window;
  work_.devices = std::move(devices);
  work_.work.resize(work_.devices.size());
  for (size_t i = 0; i < work_.devices.size(); ++i) {
    work_.work[i].deactivated = work_.devices[i].deactivated_at_ms < window.end_ms;
  }
  BuildIndex();
}

namespace {
constexpr uint32_t kEmptySlot = UINT32_MAX;
}  // namespace

void EpochVerifier::BuildIndex() {
  size_t capacity = 16;
  int bits = 4;
  while (capacity < 2 * work_.devices.size()) {
    capacity *= 2;
    ++bits;
  }
  shift_ = 64 - bits;
  seed_ = (static_cast<uint64_t>(std::random_device{}()) << 32) | std::random_device{}();
  slots_.assign(capacity, kEmptySlot);
  for (size_t i = 0; i < work_.devices.size(); ++i) {
    size_t s = Slot(work_.devices[i].key);
    while (slots_[s] != kEmptySlot) s = (s + 1) & (capacity - 1);
    slots_[s] = static_cast<uint32_t>(i);
  }
}

size_t EpochVerifier::Slot(const Key& key) const {
  uint64_t h = seed_;
  for (size_t off = 0; off < key.bytes.size(); off += 8) {
    uint64_t word;
    std::memcpy(&word, key.bytes.data() + off, 8);
    h = (h ^ word) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
  }
  return static_cast<size_t>((h * 0xBF58476D1CE4E5B9ull) >> shift_);
}

Status EpochVerifier::Register(std::unique_ptr<Verifier> verifier) {
  std::vector<ReportKind> kinds = verifier->kinds();
  for (ReportKind k : kinds) {
    size_t i = static_cast<size_t>(k);
    if (i >= kMaxReportKind) {
      return Status::InvalidArgument("verify: verifier " + std::string(verifier->name()) +
                                     " claims report kind " + std::to_string(i) +
                                     " beyond the table");
    }
    if (by_kind_[i] != nullptr) {
      return Status::AlreadyExists("verify: report kind " + std::string(ReportKindName(k)) +
                                   " already has verifier " + std::string(by_kind_[i]->name()));
    }
  }
  for (ReportKind k : kinds) by_kind_[static_cast<size_t>(k)] = verifier.get();
  verifiers_.push_back(std::move(verifier));
  return Status::Ok();
}

std::optional<size_t> EpochVerifier::FindDevice(const Key& key) const {
  const size_t mask = slots_.size() - 1;
  for (size_t s = Slot(key);; s = (s + 1) & mask) {
    uint32_t i = slots_[s];
    if (i == kEmptySlot) return std::nullopt;
    if (std::memcmp(work_.devices[i].key.bytes.data(), key.bytes.data(), key.bytes.size()) == 0) {
      return i;
    }
  }
}

std::optional<InvalidReason> EpochVerifier::CommonChecks(const ReportView& r,
                                                         const DeviceWork& w) const {
  const EpochWindow& win = work_.window;
  if (w.deactivated) return InvalidReason::kDeviceDeactivated;
  auto inside = [&](uint64_t t) { return t >= win.start_ms && t < win.end_ms; };
  if (!inside(r.received_ms) || !inside(r.device_ms)) return InvalidReason::kOutsideEpoch;
  uint64_t skew =
      r.device_ms > r.received_ms ? r.device_ms - r.received_ms : r.received_ms - r.device_ms;
  if (skew > params_.max_clock_skew_ms) return InvalidReason::kClockSkew;
  size_t kind = static_cast<size_t>(r.kind);
  if (kind >= kMaxReportKind || by_kind_[kind] == nullptr) return InvalidReason::kNoVerifier;
  return std::nullopt;
}

void EpochVerifier::Reject(const ReportView& report, InvalidReason reason) {
  ++work_.reports_seen;
  std::optional<size_t> index = FindDevice(report.device);
  if (!index) {
    ++work_.unknown_device_reports;
    return;
  }
  ++work_.work[*index].invalid[static_cast<size_t>(reason)];
}

void EpochVerifier::Observe(const ReportView& report) {
  ++work_.reports_seen;
  std::optional<size_t> index = FindDevice(report.device);
  if (!index) {
    ++work_.unknown_device_reports;
    return;
  }
  DeviceWork& w = work_.work[*index];
  std::optional<InvalidReason> reason = CommonChecks(report, w);
  if (!reason) {
    reason = by_kind_[static_cast<size_t>(report.kind)]->Observe(report, work_.devices[*index], w);
  }
  if (reason) {
    ++w.invalid[static_cast<size_t>(*reason)];
  } else {
    ++w.valid_reports;
    origins_.Observe(*index, report.origin, report.received_ms);
  }
}

EpochWork EpochVerifier::Finish() {
  for (auto& v : verifiers_) v->Finish(work_);
  ApplyOriginDensity(params_, origins_, work_);
  return std::move(work_);
}

Status RegisterDefaultVerifiers(EpochVerifier& epoch, const VerifyParams& params,
                                std::vector<PayerInfo> payers, SpeedtestHistory prior_speedtests,
                                const std::vector<ReceiptKey>& prior_receipts) {
  DEPIN_RETURN_IF_ERROR(
      epoch.Register(std::make_unique<UptimeLocationVerifier>(params, epoch.window())));
  DEPIN_RETURN_IF_ERROR(epoch.Register(
      std::make_unique<SpeedtestVerifier>(params, epoch.window(), std::move(prior_speedtests))));
  DEPIN_ASSIGN_OR_RETURN(auto usage,
                         UsageVerifier::Create(params, std::move(payers), prior_receipts));
  return epoch.Register(std::move(usage));
}

}  // namespace depin::verify
