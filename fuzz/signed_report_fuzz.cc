// Fuzz target: one serialized SignedReport (an entry of POST /v1/reports) through the wire
// decoder, the signature check and the verifiers' adapter. Invariant: a report that decodes has
// signing bytes that the encoder rebuilds identically and an id that is their SHA-256.
#include "fuzz/fuzz_util.h"
#include "verify/wire_adapter.h"
#include "wire/report.h"

using namespace depin;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::InitOnce();
  auto decoded = wire::DecodeSignedReport(fuzz::View(data, size), fuzz::kNetwork);
  if (!decoded.ok()) return 0;
  auto again = wire::ReportSigningBytes(decoded->message.report(), fuzz::kNetwork);
  fuzz::Check(again.ok() && *again == decoded->signing_bytes, "signing bytes are not stable");
  fuzz::Check(crypto::Sha256(decoded->signing_bytes) == decoded->id, "report id");
  (void)wire::VerifyCheckedReport(*decoded);
  (void)verify::ReportViewFromWire(decoded->message.report(), 0, fuzz::kNetwork);
  return 0;
}
