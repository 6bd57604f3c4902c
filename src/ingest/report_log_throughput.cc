// Quick throughput probe for the report log with fsync on (not a unit test, not installed):
//
//   depin_log_throughput <dir> [records=200000] [payload_bytes=200] [batch=1] [producers=2]
//                        [in_flight=20000]
//
// `producers` threads append `records` records in calls of `batch` records each, keeping at most
// `in_flight` records unacknowledged each (like that many open HTTP requests), and prints
// records/s, MB/s, the number of group commits, the mean group size and fsync latencies from the
// log's stats.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "ingest/report_log.h"

int main(int argc, char** argv) {
  using depin::ingest::AppendRecord;
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: %s <dir> [records] [payload_bytes] [batch] [producers] [in_flight]\n",
                 argv[0]);
    return 2;
  }
  const uint64_t total = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 200000;
  const size_t payload_bytes = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 200;
  const size_t batch = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 1;
  const int producers = argc > 5 ? std::atoi(argv[5]) : 2;
  const uint64_t max_in_flight = argc > 6 ? std::strtoull(argv[6], nullptr, 10) : 20000;
  depin::ingest::ReportLogOptions options;
  options.data_dir = argv[1];
  auto opened = depin::ingest::ReportLog::Open(options);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    return 1;
  }
  depin::ingest::ReportLog& log = **opened;
  std::vector<uint8_t> payload(payload_bytes, 0x5a);
  std::vector<AppendRecord> records(batch, AppendRecord{0, payload});

  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int p = 0; p < producers; ++p) {
    threads.emplace_back([&, p] {
      std::mutex mu;
      std::condition_variable cv;
      uint64_t in_flight = 0;
      uint64_t share = total / producers + (p == 0 ? total % producers : 0);
      for (uint64_t sent = 0; sent < share;) {
        uint64_t n = std::min<uint64_t>(batch, share - sent);
        {
          std::unique_lock lock(mu);
          cv.wait(lock, [&] { return in_flight + n <= std::max<uint64_t>(max_in_flight, n); });
          in_flight += n;
        }
        auto st = log.Append(1, std::span<const AppendRecord>(records.data(), n),
                             [&, n](const depin::util::Status& s) {
                               if (!s.ok()) std::abort();
                               std::lock_guard lock(mu);
                               in_flight -= n;
                               cv.notify_all();
                             });
        if (!st.ok()) {
          std::lock_guard lock(mu);
          in_flight -= n;
          continue;  // queue full: retry
        }
        sent += n;
      }
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight == 0; });
    });
  }
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  depin::ingest::ReportLogStats s = log.stats();
  std::printf(
      "records=%llu payload=%zuB batch=%zu producers=%d seconds=%.3f records/s=%.0f MB/s=%.1f "
      "groups=%llu mean_group=%.1f max_group=%llu mean_fsync_us=%.0f max_fsync_us=%llu "
      "rejected_full=%llu\n",
      static_cast<unsigned long long>(s.records), payload_bytes, batch, producers, secs,
      s.records / secs, s.bytes / secs / 1e6, static_cast<unsigned long long>(s.groups),
      s.groups ? static_cast<double>(s.records) / s.groups : 0.0,
      static_cast<unsigned long long>(s.max_group_records),
      s.groups ? static_cast<double>(s.total_sync_micros) / s.groups : 0.0,
      static_cast<unsigned long long>(s.max_sync_micros),
      static_cast<unsigned long long>(s.rejected_full));
  return log.Close().ok() ? 0 : 1;
}
