// Canonical signing bytes of reports and usage receipts (docs/wire-format.md, "Reports").
// The field order here IS the format: changing it breaks every device and the golden vectors.
#include <string>

#include "wire/constants.h"
#include "wire/limits.h"
#include "wire/report.h"
#include "wire/signing_writer.h"

namespace depin::wire {
namespace {

using internal::SigningWriter;

// Field paths for receipt errors, standalone and embedded in a report (literals: no allocation
// on the success path).
struct ReceiptPaths {
  std::string_view payer_key, device_key;
};
constexpr ReceiptPaths kStandaloneReceipt = {"usage_receipt.payer_key", "usage_receipt.device_key"};
constexpr ReceiptPaths kEmbeddedReceipt = {"report.data_transfer.receipt.payer_key",
                                           "report.data_transfer.receipt.device_key"};

void WriteReceiptFields(SigningWriter& w, const v1::UsageReceipt& r, const ReceiptPaths& at) {
  w.Fixed(at.payer_key, r.payer_key(), kKeyBytes);
  w.Fixed(at.device_key, r.device_key(), kKeyBytes);
  if (r.payer_key() == r.device_key()) w.Fail(at.payer_key, "equals device_key");
  w.U64(r.session_id());
  w.U64(r.sequence());
  w.U64(r.bytes_up());
  w.U64(r.bytes_down());
  w.U64(r.dc_amount());
  w.U64(r.timestamp_ms());
}

void WriteHeartbeat(SigningWriter& w, const v1::Heartbeat& h) {
  w.U8(h.has_location() ? 1 : 0);
  if (h.has_location()) {
    const v1::Location& loc = h.location();
    if (loc.lat_e7() < -kMaxLatitudeE7 || loc.lat_e7() > kMaxLatitudeE7) {
      w.Fail("report.heartbeat.location.lat_e7",
             std::to_string(loc.lat_e7()) + " outside [-900000000, 900000000]");
    }
    if (loc.lon_e7() < -kMaxLongitudeE7 || loc.lon_e7() > kMaxLongitudeE7) {
      w.Fail("report.heartbeat.location.lon_e7",
             std::to_string(loc.lon_e7()) + " outside [-1800000000, 1800000000]");
    }
    w.I32(loc.lat_e7());
    w.I32(loc.lon_e7());
    w.U32(loc.accuracy_m());
  }
  w.U8(h.has_cell() ? 1 : 0);
  if (h.has_cell()) w.U64(h.cell());
  if (!v1::OperationMode_IsValid(h.operation_mode())) {
    w.Fail("report.heartbeat.operation_mode",
           "unknown mode " + std::to_string(static_cast<int>(h.operation_mode())));
  }
  w.U32(static_cast<uint32_t>(h.operation_mode()));
}

void WriteBeacon(SigningWriter& w, const v1::CoverageBeacon& b) {
  w.Fixed("report.coverage_beacon.entropy", b.entropy(), kHashBytes);
  w.Variable("report.coverage_beacon.payload", b.payload(), 0, kMaxBeaconPayloadBytes);
  w.U64(b.frequency_hz());
  w.I32(b.tx_power_dbm_x10());
  w.U32(b.data_rate());
  w.U32(b.channel());
}

void WriteWitness(SigningWriter& w, const v1::CoverageWitness& c) {
  w.Fixed("report.coverage_witness.beacon_report_id", c.beacon_report_id(), kHashBytes);
  w.Fixed("report.coverage_witness.beaconer_key", c.beaconer_key(), kKeyBytes);
  w.Variable("report.coverage_witness.payload", c.payload(), 0, kMaxBeaconPayloadBytes);
  w.I32(c.signal_dbm_x10());
  w.I32(c.snr_db_x10());
  w.U64(c.frequency_hz());
  w.U32(c.data_rate());
  w.U64(c.received_at_ms());
}

void WriteDataTransfer(SigningWriter& w, const v1::SignedUsageReceipt& s,
                       const std::string& device_key) {
  if (!s.has_receipt()) w.Fail("report.data_transfer.receipt", "missing");
  WriteReceiptFields(w, s.receipt(), kEmbeddedReceipt);
  if (s.receipt().device_key() != device_key) {
    w.Fail("report.data_transfer.receipt.device_key", "does not match report.device_key");
  }
  w.Fixed("report.data_transfer.payer_signature", s.payer_signature(), kSignatureBytes);
}

void WriteSpeedtest(SigningWriter& w, const v1::Speedtest& s) {
  w.U64(s.download_bps());
  w.U64(s.upload_bps());
  w.U32(s.latency_ms());
}

void WriteSensorBatch(SigningWriter& w, const v1::SensorBatch& b) {
  if (!w.Count("report.sensor_batch.readings", b.readings_size(), 1, kMaxSensorReadings)) return;
  for (const v1::SensorReading& r : b.readings()) {
    if (r.parameter() == 0)
      w.Fail("report.sensor_batch.readings.parameter", "0 is not a parameter");
    w.U32(r.parameter());
    w.I64(r.value_milli());
    w.U64(r.timestamp_ms());
  }
}

void WriteStorageProof(SigningWriter& w, const v1::StorageProof& s) {
  w.Fixed("report.storage_proof.contract_id", s.contract_id(), kHashBytes);
  w.Fixed("report.storage_proof.challenge_seed", s.challenge_seed(), kHashBytes);
  if (s.leaf_index() >= s.leaf_count()) {
    w.Fail(
        "report.storage_proof.leaf_index",
        std::to_string(s.leaf_index()) + " not below leaf_count " + std::to_string(s.leaf_count()));
  }
  w.U64(s.leaf_index());
  w.U64(s.leaf_count());
  w.Variable("report.storage_proof.leaf_data", s.leaf_data(), 0, kMaxStorageLeafBytes);
  w.FixedList("report.storage_proof.siblings", s.siblings(), kHashBytes, kMaxMerkleSiblings);
  w.Fixed("report.storage_proof.root", s.root(), kHashBytes);
}

void WriteComputeReceipt(SigningWriter& w, const v1::ComputeReceipt& c) {
  w.Fixed("report.compute_receipt.job_id", c.job_id(), kHashBytes);
  w.Fixed("report.compute_receipt.checkpoints_root", c.checkpoints_root(), kHashBytes);
  w.U32(c.checkpoint_count());
  w.U64(c.work_units());
  w.U64(c.duration_ms());
}

}  // namespace

v1::ReportKind KindOf(const v1::Report& report) {
  switch (report.body_case()) {
    case v1::Report::kHeartbeat:
      return v1::REPORT_KIND_HEARTBEAT;
    case v1::Report::kCoverageBeacon:
      return v1::REPORT_KIND_COVERAGE_BEACON;
    case v1::Report::kCoverageWitness:
      return v1::REPORT_KIND_COVERAGE_WITNESS;
    case v1::Report::kDataTransfer:
      return v1::REPORT_KIND_DATA_TRANSFER;
    case v1::Report::kSpeedtest:
      return v1::REPORT_KIND_SPEEDTEST;
    case v1::Report::kSensorBatch:
      return v1::REPORT_KIND_SENSOR_BATCH;
    case v1::Report::kStorageProof:
      return v1::REPORT_KIND_STORAGE_PROOF;
    case v1::Report::kComputeReceipt:
      return v1::REPORT_KIND_COMPUTE_RECEIPT;
    case v1::Report::BODY_NOT_SET:
      break;
  }
  return v1::REPORT_KIND_UNSPECIFIED;
}

std::string_view ReportKindName(v1::ReportKind kind) {
  switch (kind) {
    case v1::REPORT_KIND_HEARTBEAT:
      return "heartbeat";
    case v1::REPORT_KIND_COVERAGE_BEACON:
      return "coverage_beacon";
    case v1::REPORT_KIND_COVERAGE_WITNESS:
      return "coverage_witness";
    case v1::REPORT_KIND_DATA_TRANSFER:
      return "data_transfer";
    case v1::REPORT_KIND_SPEEDTEST:
      return "speedtest";
    case v1::REPORT_KIND_SENSOR_BATCH:
      return "sensor_batch";
    case v1::REPORT_KIND_STORAGE_PROOF:
      return "storage_proof";
    case v1::REPORT_KIND_COMPUTE_RECEIPT:
      return "compute_receipt";
    default:
      break;
  }
  return "unspecified";
}

util::Result<util::Bytes> UsageReceiptSigningBytes(const v1::UsageReceipt& receipt,
                                                   std::string_view network_id) {
  SigningWriter w(SigningKind::kUsageReceipt, network_id);
  WriteReceiptFields(w, receipt, kStandaloneReceipt);
  return std::move(w).Finish();
}

util::Result<util::Bytes> ReportSigningBytes(const v1::Report& report,
                                             std::string_view network_id) {
  SigningWriter w(SigningKind::kReport, network_id);
  w.Version("report.version", report.version());
  w.Fixed("report.device_key", report.device_key(), kKeyBytes);
  w.U64(report.timestamp_ms());
  const v1::ReportKind kind = KindOf(report);
  if (kind == v1::REPORT_KIND_UNSPECIFIED) w.Fail("report.body", "missing (no report kind set)");
  w.U32(static_cast<uint32_t>(kind));
  switch (report.body_case()) {
    case v1::Report::kHeartbeat:
      WriteHeartbeat(w, report.heartbeat());
      break;
    case v1::Report::kCoverageBeacon:
      WriteBeacon(w, report.coverage_beacon());
      break;
    case v1::Report::kCoverageWitness:
      WriteWitness(w, report.coverage_witness());
      break;
    case v1::Report::kDataTransfer:
      WriteDataTransfer(w, report.data_transfer(), report.device_key());
      break;
    case v1::Report::kSpeedtest:
      WriteSpeedtest(w, report.speedtest());
      break;
    case v1::Report::kSensorBatch:
      WriteSensorBatch(w, report.sensor_batch());
      break;
    case v1::Report::kStorageProof:
      WriteStorageProof(w, report.storage_proof());
      break;
    case v1::Report::kComputeReceipt:
      WriteComputeReceipt(w, report.compute_receipt());
      break;
    case v1::Report::BODY_NOT_SET:
      break;
  }
  return std::move(w).Finish();
}

}  // namespace depin::wire
