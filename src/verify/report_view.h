// The verifiers' input, as plain structs independent of the wire format: one decoded,
// signature-verified device report (ReportView), the ledger's view of a device and of a payer at
// epoch close, and the epoch's time window. An adapter from the wire protos fills these (see
// wire_adapter.h); tests build them directly. Plain values; no synchronization needed.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "util/bytes.h"

namespace depin::verify {

using Key = crypto::PublicKey;

// Kinds of proof the verifiers understand. Values equal wire ReportKind numbers.
enum class ReportKind : uint8_t {
  kHeartbeat = 1,
  kCoverageBeacon = 2,
  kCoverageWitness = 3,
  kDataTransfer = 4,
  kSpeedtest = 5,
  kSensorBatch = 6,
};
inline constexpr size_t kMaxReportKind = 16;  // kinds index a fixed table of this size
std::string_view ReportKindName(ReportKind kind);

// A WGS84 position in integer degrees x 1e7.
struct Location {
  int32_t lat_e7 = 0;
  int32_t lon_e7 = 0;
};

struct HeartbeatBody {
  bool has_location = false;  // false when the device had no position fix
  Location location;
};

struct SpeedtestBody {
  uint64_t download_bps = 0;
  uint64_t upload_bps = 0;
  uint32_t latency_ms = 0;
};

// A data-transfer receipt co-signed by the payer (router/customer) key holding delegated DC.
struct UsageBody {
  Key payer;
  uint64_t session_id = 0;  // (payer, session_id, sequence) names the receipt: paid once, ever
  uint64_t sequence = 0;
  uint64_t bytes = 0;         // bytes carried in both directions
  uint64_t dc_amount = 0;     // data credits the payer agreed to burn
  uint64_t timestamp_ms = 0;  // the payer's clock when it signed, Unix ms
};

// The identity of a usage receipt: docs/wire-format.md section 5.5 lets it be paid once.
struct ReceiptKey {
  Key payer;
  uint64_t session_id = 0;
  uint64_t sequence = 0;
  bool operator==(const ReceiptKey&) const = default;
};

using Hash32 = std::array<uint8_t, 32>;

// A proof-of-coverage beacon (coverage_verifier.h). `payload` is a view into storage the caller
// keeps alive for the duration of Observe.
struct BeaconBody {
  Hash32 report_id{};  // the beacon report's id, which witnesses quote
  Hash32 entropy{};    // the network entropy the payload was derived from
  util::ByteView payload;
  uint64_t frequency_hz = 0;
  int32_t tx_power_dbm_x10 = 0;  // EIRP, dBm x 10
};

// A beacon heard by the reporting device.
struct WitnessBody {
  Hash32 beacon_id{};  // report id of the beacon heard
  Key beaconer;
  util::ByteView payload;
  int32_t signal_dbm_x10 = 0;  // RSSI
  int32_t snr_db_x10 = 0;
  uint64_t frequency_hz = 0;
  uint64_t heard_at_ms = 0;  // the witness's own clock
};

// One sensor sample; `parameter` is a wire::SensorParameter id (or a network-defined one).
struct SensorSample {
  uint32_t parameter = 0;
  int64_t value_milli = 0;
  uint64_t timestamp_ms = 0;
};

// A batch of samples; `samples` points into storage the caller keeps alive during Observe.
struct SensorBody {
  const SensorSample* samples = nullptr;
  uint32_t count = 0;
};

// One report. Only the body matching `kind` is meaningful.
struct ReportView {
  Key device;
  ReportKind kind = ReportKind::kHeartbeat;
  uint64_t device_ms = 0;    // the device's claimed clock, Unix ms
  uint64_t received_ms = 0;  // the ingest server's receive time, Unix ms (trusted)
  uint64_t origin = 0;       // the network origin ingest recorded (ingest/origin.h); 0: unknown
  HeartbeatBody heartbeat;
  SpeedtestBody speedtest;
  UsageBody usage;
  BeaconBody beacon;
  WitnessBody witness;
  SensorBody sensor;
};

inline constexpr uint64_t kNeverDeactivated = UINT64_MAX;

// The ledger's registry entry for a device, as of epoch close.
struct DeviceInfo {
  Key key;
  Key owner;
  bool has_asserted_location = false;
  Location asserted_location;
  // When the device was deactivated (Unix ms); kNeverDeactivated while active. A device
  // deactivated before the epoch ends earns nothing for the epoch.
  uint64_t deactivated_at_ms = kNeverDeactivated;
  // When the device was registered (Unix ms): seniority breaks ties in per-cell capacity.
  uint64_t registered_at_ms = 0;
  // Index of the device's resource class in the network file's [[resource_classes]]; which
  // verifiers judge its reports (registry.h).
  uint32_t resource_class = 0;
};

// One owner's delegation to a payer: its DC and the tokens burned for them (the ledger's cost
// basis, ledger::keys::DelegationBasis).
struct CreditLot {
  uint64_t dc = 0;
  uint64_t basis = 0;
};

// A payer key with data credits delegated to it, as of epoch start.
struct PayerInfo {
  Key payer;
  Key owner;                // account that delegated the DC (used to flag self-dealing)
  uint64_t dc_balance = 0;  // DC the payer may burn this epoch
  // Its delegations in ascending owner key order, the order settle_usage debits them; the DC
  // burned are taken from them in that order and carry their share of each lot's basis. Empty:
  // the DC carry no basis (and earn no usage reward).
  std::vector<CreditLot> lots;
};

// The epoch's half-open interval [start_ms, end_ms) of server receive time.
struct EpochWindow {
  uint64_t epoch = 0;
  uint64_t start_ms = 0;
  uint64_t end_ms = 0;
};

// Why a report earned nothing. Counted per device in the manifest.
enum class InvalidReason : uint8_t {
  kDeviceDeactivated = 0,  // the device was deactivated before the epoch ended
  kOutsideEpoch,           // device or receive timestamp outside the epoch
  kClockSkew,              // device clock too far from the server's receive time
  kBadLocation,            // heartbeat coordinates out of range
  kUnknownPayer,           // receipt payer holds no delegated DC
  kInsufficientDc,         // payer's DC ran out before this receipt
  kEmptyReceipt,           // receipt with zero bytes or zero DC
  kNoVerifier,             // no verifier registered for the report's kind
  // Proof of coverage (coverage_verifier.h).
  kNoAssertedLocation,  // beaconer or witness has no asserted location
  kDenylisted,          // the device is on the operator's denylist
  kStaleEntropy,        // beacon entropy unknown, or the beacon was sent too long after it
  kBeaconTooFrequent,   // more than one beacon in a beacon interval
  kBadPayload,          // beacon payload does not regenerate from its entropy, or witness mismatch
  kUnknownBeacon,       // witness quotes a beacon not seen this epoch (or a different beaconer)
  kDuplicateWitness,    // the device already witnessed this beacon
  kSelfWitness,         // a device witnessed its own beacon
  kDenylistedEdge,      // the (beaconer, witness) pair is on the denylist
  kWitnessTooLate,      // witness received too long after the beacon
  kFrequencyMismatch,   // witness frequency too far from the beacon's
  kWitnessTooClose,     // witness closer to the beaconer than the minimum distance
  kWitnessTooFar,       // witness farther than the maximum distance
  kSignalTooStrong,     // signal stronger than free-space path loss allows
  kImplausibleSnr,      // SNR and signal imply an impossible noise floor
  kCollusionRing,       // device flagged as part of a collusion ring (collusion.h)
  kLocationSpoof,       // device flagged for an asserted location its witnesses contradict
  // Quality of data (qod_verifier.h).
  kSensorNoSamples,     // a sensor batch with no usable samples
  kSensorInconsistent,  // station flagged for disagreeing persistently with its neighbours
  // Configuration (registry.h).
  kKindNotAccepted,       // the device's resource class does not accept reports of this kind
  kSensorBadTimestamp,    // a sample taken after its batch arrived, or long before it was sent
  kSensorTooManySamples,  // more samples of one parameter than one per second of the batch
  // Paid usage, receipt identity and time (usage_verifier.h).
  kDuplicateReceipt,  // (payer, session, sequence) already appeared earlier in the log
  kStaleReceipt,      // receipt signed longer than receipt_max_age_ms before it was received
  kReceiptTime,       // receipt signed after the report carrying it (beyond the clock skew)
  kCount,
};
inline constexpr size_t kInvalidReasonCount = static_cast<size_t>(InvalidReason::kCount);
// Stable snake_case name, used as the JSON key and in explanations.
std::string_view InvalidReasonName(InvalidReason reason);
// Plain words, e.g. "the device clock differed from the server's by more than the allowed skew".
std::string_view InvalidReasonText(InvalidReason reason);

using InvalidCounts = std::array<uint32_t, kInvalidReasonCount>;

}  // namespace depin::verify
