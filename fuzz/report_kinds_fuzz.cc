// Fuzz target: every report kind's body. The first byte picks the kind (heartbeat, coverage
// beacon, coverage witness, data transfer, speedtest, sensor batch, storage proof, compute
// receipt); the rest is that body message's protobuf bytes, placed in a well-formed envelope so
// the fuzzer spends its time in the per-kind field checks rather than on the envelope. Each
// accepted body then goes through the signed-report decoder, the verifiers' adapter and the
// report-log payload decoder, which must agree with the direct signing-bytes builder.
#include "fuzz/fuzz_util.h"
#include "ingest/log_payload.h"
#include "verify/wire_adapter.h"
#include "wire/codec.h"
#include "wire/limits.h"
#include "wire/report.h"
#include "wire/test_samples.h"

using namespace depin;

namespace {

// Parses `body` into the oneof member `kind` selects; false if protobuf rejects the bytes.
bool SetBody(uint8_t kind, util::ByteView body, wire::v1::Report* report) {
  const void* p = body.data();
  const int n = static_cast<int>(body.size());
  switch (kind % 8) {
    case 0:
      return report->mutable_heartbeat()->ParseFromArray(p, n);
    case 1:
      return report->mutable_coverage_beacon()->ParseFromArray(p, n);
    case 2:
      return report->mutable_coverage_witness()->ParseFromArray(p, n);
    case 3:
      return report->mutable_data_transfer()->ParseFromArray(p, n);
    case 4:
      return report->mutable_speedtest()->ParseFromArray(p, n);
    case 5:
      return report->mutable_sensor_batch()->ParseFromArray(p, n);
    case 6:
      return report->mutable_storage_proof()->ParseFromArray(p, n);
    default:
      return report->mutable_compute_receipt()->ParseFromArray(p, n);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::InitOnce();
  if (size < 1 || size > wire::kMaxReportBytes) return 0;
  static const crypto::PublicKey device = wire::testing::DeviceKey().public_key();
  wire::v1::Report report = wire::testing::Envelope(device);
  if (!SetBody(data[0], fuzz::View(data + 1, size - 1), &report)) return 0;

  auto signing_bytes = wire::ReportSigningBytes(report, fuzz::kNetwork);
  (void)verify::ReportViewFromWire(report, wire::testing::kSampleTimeMs + 500, fuzz::kNetwork);
  if (!signing_bytes.ok()) return 0;

  // A body the builder accepts must survive the whole path a device's report takes.
  wire::v1::SignedReport signed_report;
  *signed_report.mutable_report() = report;
  signed_report.set_signature(std::string(crypto::kSignatureSize, '\0'));
  const util::Bytes bytes = wire::Serialize(signed_report);
  if (bytes.size() > wire::kMaxReportBytes) return 0;
  auto decoded = wire::DecodeSignedReport(bytes, fuzz::kNetwork);
  fuzz::Check(decoded.ok(), "a report whose signing bytes build must decode");
  fuzz::Check(decoded->signing_bytes == *signing_bytes, "decoder and builder disagree");
  (void)wire::VerifyCheckedReport(*decoded);

  util::Bytes payload;
  ingest::EncodeSignedReportPayload(bytes, &payload);
  auto logged = ingest::DecodeLoggedReport(payload, fuzz::kNetwork);
  fuzz::Check(logged.ok(), "a decodable report must decode from the report log");
  fuzz::Check(logged->signing_bytes == *signing_bytes, "log payload decoder disagrees");
  return 0;
}
