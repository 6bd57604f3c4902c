// Device-side helpers that build, sign and package reports for POST /v1/reports: the same code the
// `depin device submit` command, the fleet emulator, the benchmarks and the tests use, so what they
// send is what a real device sends. Pure functions; thread-safe (call crypto::InitCrypto() first).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "util/bytes.h"
#include "util/result.h"
#include "wire/proto/report.pb.h"

namespace depin::ingest {

// A version-1 heartbeat from `device` at `timestamp_ms` with a location in degrees x 1e7.
wire::v1::Report MakeHeartbeat(const crypto::PublicKey& device, uint64_t timestamp_ms,
                               int32_t lat_e7, int32_t lon_e7);
// A version-1 speedtest report.
wire::v1::Report MakeSpeedtest(const crypto::PublicKey& device, uint64_t timestamp_ms,
                               uint64_t download_bps, uint64_t upload_bps, uint32_t latency_ms);

// Signs `report` as `device` for `network_id` (the node's, `network_id` of GET /v1/health:
// DeviceClient::NetworkId) and returns the serialized SignedReport.
util::Result<util::Bytes> SignReportToBytes(const wire::v1::Report& report,
                                            std::string_view network_id,
                                            const crypto::KeyPair& device);
// Signs `reports` as one batch for `network_id` and returns the serialized ReportBatch.
util::Result<util::Bytes> SignBatchToBytes(const std::vector<wire::v1::Report>& reports,
                                           uint64_t timestamp_ms, std::string_view network_id,
                                           const crypto::KeyPair& device);

// Builds a request body (the ReportSubmission envelope, docs/api.md).
class SubmissionBuilder {
 public:
  SubmissionBuilder& AddSignedReport(util::ByteView signed_report);
  SubmissionBuilder& AddBatch(util::ByteView batch);
  // One report of a signed batch with its inclusion proof (serialized Report and proof).
  SubmissionBuilder& AddProvenReport(util::ByteView report, util::ByteView proof);
  bool empty() const { return body_.empty(); }
  const util::Bytes& body() const { return body_; }
  util::Bytes Take() { return std::move(body_); }

 private:
  util::Bytes body_;
};

}  // namespace depin::ingest
