// Fuzz target: the report log's readers, as they meet a damaged or hostile data directory. The
// first byte picks: 0 a segment's bytes, read by ParseFrame frame by frame and by the
// SegmentScanner (through an in-memory file, so its buffering is exercised too); 1 one record's
// payload, decoded as ingest stores it and adapted for the verifiers (CRC-checked frames rarely
// let mutated payloads through, so payloads get their own mode); 2 the segment INDEX file.
// Invariants: both frame readers agree on how many records there are, and a parsed frame
// re-encodes to exactly the bytes it was parsed from.
#include <cstring>

#include "fuzz/fuzz_util.h"
#include "ingest/log_payload.h"
#include "ingest/report_log_frame.h"
#include "ingest/report_log_index.h"
#include "ingest/report_log_segment.h"
#include "util/env.h"
#include "verify/wire_adapter.h"

using namespace depin;

namespace {

class MemoryFile : public util::RandomAccessFile {
 public:
  explicit MemoryFile(util::ByteView data) : data_(data) {}
  util::Result<util::ByteView> Read(uint64_t offset, size_t n, uint8_t* scratch) const override {
    if (offset >= data_.size()) return util::ByteView();
    n = std::min<size_t>(n, data_.size() - offset);
    std::memcpy(scratch, data_.data() + offset, n);
    return util::ByteView(scratch, n);
  }

 private:
  util::ByteView data_;
};

// Serves one file (any path) from memory; everything else goes to the real Env.
class OneFileEnv : public util::EnvWrapper {
 public:
  explicit OneFileEnv(util::ByteView data) : EnvWrapper(util::Env::Default()), data_(data) {}
  util::Result<std::unique_ptr<util::RandomAccessFile>> NewRandomAccessFile(
      const std::string&) override {
    return std::unique_ptr<util::RandomAccessFile>(new MemoryFile(data_));
  }
  util::Result<uint64_t> GetFileSize(const std::string&) override { return data_.size(); }

 private:
  util::ByteView data_;
};

void DecodePayload(util::ByteView payload, uint64_t receive_ms) {
  auto logged = ingest::DecodeLoggedReport(payload, fuzz::kNetwork);
  if (!logged.ok()) return;
  fuzz::Check(crypto::Sha256(logged->signing_bytes) == logged->id, "logged report: id");
  fuzz::Check(logged->signature.has_value() != logged->proof.has_value(),
              "logged report: exactly one of signature and proof");
  (void)ingest::VerifyLoggedReport(*logged, fuzz::kNetwork);
  (void)verify::ReportViewFromWire(logged->report, receive_ms, fuzz::kNetwork);
}

size_t ParseFrames(util::ByteView segment) {
  size_t records = 0;
  while (!segment.empty()) {
    ingest::RecordView record;
    size_t consumed = 0;
    std::string error;
    if (ingest::ParseFrame(segment, &record, &consumed, &error) != ingest::FrameParse::kOk) break;
    fuzz::Check(consumed > 0 && consumed <= segment.size(), "frame: consumed");
    util::Bytes again;
    ingest::EncodeFrame(record.receive_ms, record.epoch, record.payload, &again);
    fuzz::Check(
        again.size() == consumed && std::memcmp(again.data(), segment.data(), consumed) == 0,
        "frame: re-encoding differs");
    DecodePayload(record.payload, record.receive_ms);
    segment = segment.subspan(consumed);
    ++records;
  }
  return records;
}

size_t ScanSegment(util::ByteView segment) {
  OneFileEnv env(segment);
  auto scanner = ingest::SegmentScanner::Open(&env, "00000000000000000001-000000.seg");
  fuzz::Check(scanner.ok(), "scanner: open");
  size_t records = 0;
  ingest::RecordView record;
  for (;;) {
    auto outcome = (*scanner)->Next(&record);
    fuzz::Check(outcome.ok(), "scanner: an in-memory read cannot fail");
    if (*outcome != ingest::SegmentScanner::Outcome::kRecord) break;
    ++records;
  }
  return records;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::InitOnce();
  if (size < 1) return 0;
  const util::ByteView bytes = fuzz::View(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      fuzz::Check(ParseFrames(bytes) == ScanSegment(bytes), "frame readers disagree");
      break;
    case 1:
      DecodePayload(bytes, 1);
      break;
    default:
      (void)ingest::DecodeIndex(bytes, "INDEX");
      break;
  }
  return 0;
}
