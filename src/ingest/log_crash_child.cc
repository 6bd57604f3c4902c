// Crash-test helper for the report log (used by report_log_crash_test.cc, not installed).
//
//   depin_log_crash_child <data_dir> <first_id> <epoch_base> <segment_max_bytes>
//
// Appends records with ids first_id, first_id+1, ... forever, in calls of 1..8 records, keeping
// the append queue busy. Record id's payload is the id as 8 little-endian bytes followed by
// (id % 200) filler bytes; its epoch is epoch_base + (id - first_id) / kRecordsPerEpoch, so the
// log rolls at epoch boundaries (and by size). Once a call's callback reports it durable, the
// ids are written to stdout, one decimal per line. The parent SIGKILLs this process at a random
// moment and checks every printed id is in the log exactly once.
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "ingest/report_log.h"

namespace {

constexpr uint64_t kRecordsPerEpoch = 3000;
constexpr uint64_t kMaxInFlight = 512;

std::mutex mu;
std::condition_variable cv;
uint64_t in_flight = 0;

void WriteAll(const std::string& text) {
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(STDOUT_FILENO, p, left);
    if (n <= 0) std::_Exit(3);  // the parent went away
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using depin::ingest::AppendRecord;
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s <data_dir> <first_id> <epoch_base> <segment_max_bytes>\n",
                 argv[0]);
    return 2;
  }
  depin::ingest::ReportLogOptions options;
  options.data_dir = argv[1];
  const uint64_t first_id = std::strtoull(argv[2], nullptr, 10);
  const uint64_t epoch_base = std::strtoull(argv[3], nullptr, 10);
  options.segment_max_bytes = std::strtoull(argv[4], nullptr, 10);
  auto opened = depin::ingest::ReportLog::Open(options);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  depin::ingest::ReportLog& log = **opened;

  uint64_t id = first_id;
  unsigned rng = static_cast<unsigned>(first_id) * 2654435761u + 1;
  while (true) {
    uint64_t epoch = epoch_base + (id - first_id) / kRecordsPerEpoch;
    rng = rng * 1103515245u + 12345u;
    uint64_t n = 1 + (rng >> 16) % 8;
    n = std::min(n, kRecordsPerEpoch - (id - first_id) % kRecordsPerEpoch);  // one epoch per call
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight + n <= kMaxInFlight; });
      in_flight += n;
    }
    std::vector<depin::util::Bytes> payloads(n);
    std::vector<AppendRecord> records(n);
    std::string acked;
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t rid = id + i;
      depin::util::ByteWriter w(&payloads[i]);
      w.U64(rid);
      payloads[i].resize(8 + rid % 200, static_cast<uint8_t>(rid));
      records[i] = AppendRecord{rid, payloads[i]};
      acked += std::to_string(rid) + "\n";
    }
    auto done = [acked, n](const depin::util::Status& s) {
      if (!s.ok()) {
        std::fprintf(stderr, "append failed: %s\n", s.ToString().c_str());
        std::_Exit(1);
      }
      WriteAll(acked);  // only after the records are durable
      {
        std::lock_guard lock(mu);
        in_flight -= n;
      }
      cv.notify_all();
    };
    depin::util::Status s = log.Append(epoch, records, done);
    if (s.code() == depin::util::Code::kResourceExhausted) {
      std::lock_guard lock(mu);
      in_flight -= n;  // the in-flight bound keeps this rare; simply try again
      continue;
    }
    if (!s.ok()) {
      std::fprintf(stderr, "append: %s\n", s.ToString().c_str());
      return 1;
    }
    id += n;
  }
}
