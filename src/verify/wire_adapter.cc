#include "verify/wire_adapter.h"

#include <algorithm>
#include <string>

#include "util/bytes.h"
#include "wire/report.h"

namespace depin::verify {

using util::Result;
using util::Status;

namespace {

Result<Key> KeyFrom(const std::string& raw, const char* field) {
  auto key = Key::FromBytes(util::AsBytes(raw));
  if (!key.ok())
    return Status::InvalidArgument(std::string("report.") + field + ": " +
                                   std::string(key.status().message()));
  return *key;
}

Result<Hash32> Hash32From(const std::string& raw, const char* field) {
  Hash32 h{};
  if (raw.size() != h.size()) {
    return Status::InvalidArgument(std::string("report.") + field + ": expected 32 bytes, got " +
                                   std::to_string(raw.size()));
  }
  std::copy(raw.begin(), raw.end(), h.begin());
  return h;
}

}  // namespace

Result<ReportView> ReportViewFromWire(const wire::v1::Report& report, uint64_t received_ms,
                                      std::string_view network_id,
                                      std::vector<SensorSample>* sensor_samples) {
  ReportView v;
  DEPIN_ASSIGN_OR_RETURN(v.device, KeyFrom(report.device_key(), "device_key"));
  v.device_ms = report.timestamp_ms();
  v.received_ms = received_ms;
  using Body = wire::v1::Report::BodyCase;
  switch (report.body_case()) {
    case Body::kHeartbeat: {
      v.kind = ReportKind::kHeartbeat;
      const auto& hb = report.heartbeat();
      v.heartbeat.has_location = hb.has_location();
      if (hb.has_location())
        v.heartbeat.location = {hb.location().lat_e7(), hb.location().lon_e7()};
      return v;
    }
    case Body::kSpeedtest: {
      v.kind = ReportKind::kSpeedtest;
      const auto& st = report.speedtest();
      v.speedtest = {st.download_bps(), st.upload_bps(), st.latency_ms()};
      return v;
    }
    case Body::kDataTransfer: {
      v.kind = ReportKind::kDataTransfer;
      const auto& r = report.data_transfer().receipt();
      DEPIN_ASSIGN_OR_RETURN(v.usage.payer, KeyFrom(r.payer_key(), "data_transfer.payer_key"));
      DEPIN_ASSIGN_OR_RETURN(Key device, KeyFrom(r.device_key(), "data_transfer.device_key"));
      if (!(device == v.device)) {
        return Status::InvalidArgument("report.data_transfer.device_key: receipt is for " +
                                       device.ToBase58() + ", report is from " +
                                       v.device.ToBase58());
      }
      uint64_t up = r.bytes_up(), down = r.bytes_down();
      v.usage.bytes = up > UINT64_MAX - down ? UINT64_MAX : up + down;
      v.usage.dc_amount = r.dc_amount();
      v.usage.session_id = r.session_id();
      v.usage.sequence = r.sequence();
      v.usage.timestamp_ms = r.timestamp_ms();
      return v;
    }
    case Body::kCoverageBeacon: {  // payload views point into `report`
      v.kind = ReportKind::kCoverageBeacon;
      const auto& b = report.coverage_beacon();
      DEPIN_ASSIGN_OR_RETURN(v.beacon.report_id, wire::ComputeReportId(report, network_id));
      DEPIN_ASSIGN_OR_RETURN(v.beacon.entropy, Hash32From(b.entropy(), "coverage_beacon.entropy"));
      v.beacon.payload = util::AsBytes(b.payload());
      v.beacon.frequency_hz = b.frequency_hz();
      v.beacon.tx_power_dbm_x10 = b.tx_power_dbm_x10();
      return v;
    }
    case Body::kCoverageWitness: {
      v.kind = ReportKind::kCoverageWitness;
      const auto& w = report.coverage_witness();
      DEPIN_ASSIGN_OR_RETURN(v.witness.beacon_id,
                             Hash32From(w.beacon_report_id(), "coverage_witness.beacon_report_id"));
      DEPIN_ASSIGN_OR_RETURN(v.witness.beaconer,
                             KeyFrom(w.beaconer_key(), "coverage_witness.beaconer_key"));
      v.witness.payload = util::AsBytes(w.payload());
      v.witness.signal_dbm_x10 = w.signal_dbm_x10();
      v.witness.snr_db_x10 = w.snr_db_x10();
      v.witness.frequency_hz = w.frequency_hz();
      v.witness.heard_at_ms = w.received_at_ms();
      return v;
    }
    case Body::kSensorBatch: {
      v.kind = ReportKind::kSensorBatch;
      if (sensor_samples == nullptr) return v;
      sensor_samples->clear();
      for (const auto& reading : report.sensor_batch().readings()) {
        sensor_samples->push_back(
            {reading.parameter(), reading.value_milli(), reading.timestamp_ms()});
      }
      v.sensor = {sensor_samples->data(), static_cast<uint32_t>(sensor_samples->size())};
      return v;
    }
    case Body::BODY_NOT_SET:
      return Status::InvalidArgument("report: no body set");
    default:
      // Another kind: its wire number, for EpochVerifier to count (no_verifier until one exists).
      v.kind = static_cast<ReportKind>(wire::KindOf(report));
      return v;
  }
}

}  // namespace depin::verify
