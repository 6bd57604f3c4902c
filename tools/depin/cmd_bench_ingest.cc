// `depin bench ingest [--seconds S] [--devices N] [--connections C] [--json]`: starts the real
// ingest HTTP server (HttpServer + IngestService, report log with fsync on) on loopback, registers
// N devices, and loads it from C keep-alive connections with pre-signed reports, in three shapes:
//   (a) one signed report per request, (b) 100 signed reports per request, (c) signed batches
//   of 32 reports per request.
// For each it prints accepted reports/s and the p50/p99 acknowledgement latency (request sent ->
// answer received, which the server sends only after fsync), beside the raw libsodium verify rate
// on the same cores measured in the same run (the ceiling for (a) and (b)).
#include <sodium.h>

// First: Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_report.h"
#include "cli.h"
#include "crypto/ed25519.h"
#include "http/server.h"
#include "ingest/report_builder.h"
#include "node/ingest_service.h"
#include "util/temp_dir.h"

namespace depin::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

struct BenchArgs {
  double seconds = 3;
  uint32_t devices = 100'000;
  uint32_t connections = 64;
  std::string dir;
  std::string shapes = "abc";
  unsigned io_threads = 0;
  unsigned verify_threads = 0;
  uint64_t group_interval_us = ingest::logfmt::kDefaultMinGroupIntervalMicros;
  bool json = false;
};

unsigned Cores() { return std::max(1u, std::thread::hardware_concurrency()); }

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double ProcessCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
  };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

struct Ceiling {
  double wall_per_s = 0;      // verifies per second of wall time, all threads
  double per_cpu_second = 0;  // verifies per second of CPU time (one core's worth)
};

// Raw Ed25519 verifies with libsodium on `threads` threads over distinct 200-byte messages.
Ceiling VerifyCeiling(unsigned threads, double seconds) {
  std::atomic<uint64_t> total{0};
  std::atomic<uint64_t> cpu_ns{0};
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      constexpr int kSigs = 64;
      std::vector<std::array<uint8_t, 32>> pk(kSigs);
      std::vector<std::array<uint8_t, 64>> sig(kSigs);
      std::vector<std::array<uint8_t, 200>> msg(kSigs);
      for (int i = 0; i < kSigs; ++i) {
        std::array<uint8_t, 64> sk;
        crypto_sign_keypair(pk[i].data(), sk.data());
        randombytes_buf(msg[i].data(), msg[i].size());
        crypto_sign_detached(sig[i].data(), nullptr, msg[i].data(), msg[i].size(), sk.data());
      }
      uint64_t n = 0;
      const double cpu0 = ThreadCpuSeconds();
      auto end = Clock::now() + std::chrono::duration<double>(seconds);
      while (Clock::now() < end) {
        for (int i = 0; i < kSigs; ++i) {
          n += crypto_sign_verify_detached(sig[i].data(), msg[i].data(), msg[i].size(),
                                           pk[i].data()) == 0;
        }
      }
      total.fetch_add(n);
      cpu_ns.fetch_add(static_cast<uint64_t>((ThreadCpuSeconds() - cpu0) * 1e9));
      (void)t;
    });
  }
  for (auto& w : workers) w.join();
  Ceiling c;
  c.wall_per_s = static_cast<double>(total.load()) / seconds;
  c.per_cpu_second =
      static_cast<double>(total.load()) / (static_cast<double>(cpu_ns.load()) * 1e-9);
  return c;
}

struct Load {
  std::vector<std::string> bodies;
  uint64_t reports_per_body = 0;
};

// Pre-builds `bodies` request bodies on all cores: shape 'a' (1 signed report), 'b' (100 signed
// reports) or 'c' (one batch of 32). Report k comes from device k % devices; every report is
// distinct across the whole run (`*serial` hands out distinct timestamps).
Load BuildLoad(char shape, size_t bodies, const std::vector<crypto::KeyPair>& keys,
               std::atomic<uint64_t>* serial, uint64_t now_ms, std::string_view network_id) {
  Load load;
  load.reports_per_body = shape == 'a' ? 1 : shape == 'b' ? 100 : 32;
  load.bodies.resize(bodies);
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < Cores(); ++t) {
    workers.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < bodies;) {
        ingest::SubmissionBuilder b;
        uint64_t first = serial->fetch_add(load.reports_per_body);
        if (shape == 'c') {
          const crypto::KeyPair& key = keys[first % keys.size()];
          std::vector<wire::v1::Report> reports;
          for (uint64_t r = 0; r < 32; ++r) {
            reports.push_back(ingest::MakeHeartbeat(key.public_key(), now_ms - (first + r) % 60000,
                                                    473977000 + static_cast<int32_t>(first + r),
                                                    85000000));
          }
          b.AddBatch(*ingest::SignBatchToBytes(reports, now_ms, network_id, key));
        } else {
          for (uint64_t r = 0; r < load.reports_per_body; ++r) {
            const crypto::KeyPair& key = keys[(first + r) % keys.size()];
            wire::v1::Report report =
                ingest::MakeHeartbeat(key.public_key(), now_ms - (first + r) % 60000,
                                      473977000 + static_cast<int32_t>(first + r), 85000000);
            b.AddSignedReport(*ingest::SignReportToBytes(report, network_id, key));
          }
        }
        util::Bytes body = b.Take();
        load.bodies[i].assign(reinterpret_cast<const char*>(body.data()), body.size());
      }
    });
  }
  for (auto& w : workers) w.join();
  return load;
}

struct RunResult {
  double accepted_per_s = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  uint64_t accepted = 0;
  uint64_t non_200 = 0;
  double server_cpu_seconds = 0;  // process CPU minus the load generator's thread
  double elapsed_s = 0;
};

// The report log's group commits during one shape: how often it synced and how full each group was.
void AddLogFigures(const std::string& shape, const ingest::ReportLogStats& before,
                   const ingest::ReportLogStats& after, double elapsed_s, BenchReport* report) {
  const uint64_t syncs = after.syncs - before.syncs;
  if (syncs == 0 || elapsed_s <= 0) return;
  const double records = static_cast<double>(after.records - before.records);
  report->AddFigure(shape + ", log fdatasyncs", static_cast<double>(syncs) / elapsed_s, "/s");
  report->AddFigure(shape + ", log records per fdatasync", records / static_cast<double>(syncs),
                    "records");
  report->AddFigure(shape + ", log fdatasync mean",
                    static_cast<double>(after.total_sync_micros - before.total_sync_micros) /
                        1000.0 / static_cast<double>(syncs),
                    "ms");
}

// Drives `load` through `connections` async keep-alive connections until the bodies run out or
// `seconds` pass.
RunResult Drive(const Load& load, uint16_t port, uint32_t connections, double seconds) {
  asio::io_context io;
  asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  std::atomic<size_t> next{0};
  std::vector<uint64_t> latencies_us;
  latencies_us.reserve(load.bodies.size());
  uint64_t accepted = 0, non_200 = 0;
  const double process_cpu0 = ProcessCpuSeconds();
  const double client_cpu0 = ThreadCpuSeconds();
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);

  struct Conn {
    explicit Conn(asio::io_context& io) : stream(io) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::response<http::string_body> res;
    Clock::time_point sent;
  };
  std::vector<std::unique_ptr<Conn>> conns;
  std::function<void(Conn*)> send = [&](Conn* c) {
    size_t i = next.fetch_add(1);
    if (i >= load.bodies.size() || Clock::now() >= deadline) return;
    c->req = {http::verb::post, "/v1/reports", 11};
    c->req.set(http::field::host, "127.0.0.1");
    c->req.set(http::field::content_type, "application/x-protobuf");
    c->req.keep_alive(true);
    c->req.body() = load.bodies[i];
    c->req.prepare_payload();
    c->sent = Clock::now();
    http::async_write(c->stream, c->req, [&, c](beast::error_code ec, size_t) {
      if (ec) return;
      c->res = {};
      http::async_read(c->stream, c->buffer, c->res, [&, c](beast::error_code rec, size_t) {
        if (rec) return;
        latencies_us.push_back(static_cast<uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - c->sent).count()));
        if (c->res.result_int() != 200) {
          ++non_200;
        } else {
          const std::string& body = c->res.body();
          for (size_t pos = 0; (pos = body.find("\"accepted\"", pos)) != std::string::npos;
               pos += 10) {
            ++accepted;
          }
        }
        send(c);
      });
    });
  };
  for (uint32_t i = 0; i < connections; ++i) {
    conns.push_back(std::make_unique<Conn>(io));
    Conn* c = conns.back().get();
    c->stream.socket().connect(ep);
    c->stream.socket().set_option(asio::ip::tcp::no_delay(true));
    send(c);
  }
  io.run();
  const double client_cpu = ThreadCpuSeconds() - client_cpu0;
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  RunResult r;
  r.accepted = accepted;
  r.non_200 = non_200;
  r.server_cpu_seconds = ProcessCpuSeconds() - process_cpu0 - client_cpu;
  r.elapsed_s = elapsed;
  r.accepted_per_s = static_cast<double>(accepted) / elapsed;
  if (!latencies_us.empty()) {
    std::sort(latencies_us.begin(), latencies_us.end());
    r.p50_ms = static_cast<double>(latencies_us[latencies_us.size() / 2]) / 1000.0;
    r.p99_ms = static_cast<double>(latencies_us[latencies_us.size() * 99 / 100]) / 1000.0;
  }
  return r;
}

util::Status RunBench(const BenchArgs& args) {
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  if (args.seconds <= 0 || args.devices == 0 || args.connections == 0) {
    return util::Status::InvalidArgument("--seconds, --devices and --connections must be > 0");
  }
  if (args.shapes.empty() || args.shapes.find_first_not_of("abc") != std::string::npos) {
    return util::Status::InvalidArgument("--shapes: want some of the letters a, b and c");
  }
  const unsigned cores = Cores();
  std::unique_ptr<util::TempDir> temp;
  std::string dir = args.dir;
  if (dir.empty()) {
    temp = std::make_unique<util::TempDir>();
    dir = temp->path();
  }

  std::fprintf(stderr, "bench ingest: generating %u device keys...\n", args.devices);
  std::vector<crypto::KeyPair> keys;
  keys.reserve(args.devices);
  for (uint32_t i = 0; i < args.devices; ++i) keys.push_back(crypto::KeyPair::Generate());

  config::NetworkConfig config;
  config.network.id = "bench";  // what the load is signed for
  config.epoch.length_seconds = 3600;
  config.ingest.origin_rate = 0;  // every load client is 127.0.0.1: measure ingest, not the limit
  depin::http::metrics::Registry registry;
  node::IngestServiceOptions options;
  options.data_dir = dir;
  options.log.min_group_interval_us = args.group_interval_us;
  options.pipeline.verify_threads = args.verify_threads;
  DEPIN_ASSIGN_OR_RETURN(auto service, node::IngestService::Start(options, config, &registry));
  for (const crypto::KeyPair& k : keys) {
    service->registry().Upsert(k.public_key().bytes,
                               {ingest::KindBit(wire::v1::REPORT_KIND_HEARTBEAT), true});
  }
  depin::http::Router router;
  service->AddRoutes(&router);
  depin::http::HttpServerOptions http;
  http.address = "127.0.0.1:0";
  http.io_threads = args.io_threads;
  http.body_limit = 8 << 20;
  DEPIN_ASSIGN_OR_RETURN(auto server, depin::http::HttpServer::Start(http, &router, &registry));

  BenchReport report("ingest");
  std::atomic<uint64_t> serial{0};
  const uint64_t now_ms = static_cast<uint64_t>(util::Env::Default()->NowUnixMillis());
  struct Shape {
    char id;
    const char* name;
    double expected_reports_per_s;
  };
  // The machine may be shared, so the ceiling is measured right before and after each shape
  // and each shape is judged against the mean of its two measurements.
  std::fprintf(stderr, "bench ingest: measuring the verify ceiling on %u cores...\n", cores);
  // Enough pre-signed load for an unloaded machine (~19 500 verifies/s per core).
  const double first_ceiling = std::max(VerifyCeiling(cores, 1.0).wall_per_s, 19'500.0 * cores);
  const Shape shapes[] = {{'a', "(a) 1 report/request", first_ceiling},
                          {'b', "(b) 100 reports/request", first_ceiling},
                          {'c', "(c) batches of 32", first_ceiling * 8}};
  // The headline ratio is (b)'s; with --shapes lacking b, the first shape run stands in.
  double headline_ratio = 0;
  std::string headline_name;
  double rate_b = 0, rate_c = 0, ceiling_sum = 0;
  int ceiling_runs = 0;
  for (const Shape& shape : shapes) {
    if (args.shapes.find(shape.id) == std::string::npos) continue;
    uint64_t per_body = shape.id == 'a' ? 1 : shape.id == 'b' ? 100 : 32;
    size_t bodies = static_cast<size_t>(shape.expected_reports_per_s * args.seconds * 1.1 /
                                        static_cast<double>(per_body)) +
                    args.connections;
    std::fprintf(stderr, "bench ingest: pre-signing %zu requests for %s...\n", bodies, shape.name);
    Load load = BuildLoad(shape.id, bodies, keys, &serial, now_ms, config.network.id);
    std::fprintf(stderr, "bench ingest: running %s for up to %.1f s...\n", shape.name,
                 args.seconds);
    // One report per request needs many requests in flight to fill a group commit.
    uint32_t connections = shape.id == 'a' ? args.connections * 4 : args.connections;
    Ceiling before = VerifyCeiling(cores, 1.0);
    const ingest::ReportLogStats log_before = service->log().stats();
    RunResult r = Drive(load, server->port(), connections, args.seconds);
    const ingest::ReportLogStats log_after = service->log().stats();
    Ceiling after = VerifyCeiling(cores, 1.0);
    double ceiling = (before.wall_per_s + after.wall_per_s) / 2;
    double per_cpu = (before.per_cpu_second + after.per_cpu_second) / 2;
    // CPU-normalized: accepted reports per server CPU-second over verifies per CPU-second.
    // Robust when other processes share the cores (wall-clock figures are not).
    double cpu_ratio = r.server_cpu_seconds > 0
                           ? static_cast<double>(r.accepted) / r.server_cpu_seconds / per_cpu
                           : 0;
    ceiling_sum += per_cpu * cores;
    ++ceiling_runs;
    std::string n = shape.name;
    report.AddFigure(n + ", accepted", r.accepted_per_s, "reports/s");
    report.AddFigure(n + ", ack p50", r.p50_ms, "ms");
    report.AddFigure(n + ", ack p99", r.p99_ms, "ms");
    if (r.non_200 > 0) report.AddFigure(n + ", non-200 answers", double(r.non_200), "requests");
    report.AddFigure(n + ", verify ceiling around it (wall)", ceiling, "verifies/s");
    report.AddFigure(n + ", vs verify ceiling (wall)", r.accepted_per_s / ceiling, "x");
    report.AddFigure(n + ", server CPU", r.server_cpu_seconds, "core-s");
    report.AddFigure(n + ", vs verify ceiling (per CPU-second)", cpu_ratio, "x");
    AddLogFigures(n, log_before, log_after, r.elapsed_s, &report);
    if (headline_name.empty() || shape.id == 'b') {
      headline_ratio = cpu_ratio;
      headline_name = n;
    }
    if (shape.id == 'b') rate_b = r.accepted_per_s;
    if (shape.id == 'c') rate_c = r.accepted_per_s;
  }
  if (rate_b > 0 && rate_c > 0) report.AddFigure("(c) / (b)", rate_c / rate_b, "x");
  server->Stop();
  report.SetLimit("ed25519 verify, libsodium, " + std::to_string(cores) +
                      " cores x verifies per CPU-second (mean)",
                  ceiling_sum / ceiling_runs, "verifies/s");
  report.SetRatio(headline_ratio, headline_name +
                                      " accepted reports per server CPU-second / verifies per "
                                      "CPU-second");
  report.AddInfo("cores", std::to_string(cores));
  report.AddInfo("devices", std::to_string(args.devices));
  report.AddInfo("connections", std::to_string(args.connections) +
                                    " ((a): " + std::to_string(args.connections * 4) + ")");
  report.AddInfo("fsync", "on (group commit, fdatasync per group, groups at least " +
                              std::to_string(args.group_interval_us) + " us apart)");
  report.AddInfo("log dir", dir);
  report.Print(args.json);
  return util::Status::Ok();
}

}  // namespace

void RegisterBenchIngest(CLI::App& bench, Selected& selected) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = AddCommand(bench, selected, "ingest",
                             "Ingest throughput and ack latency vs the Ed25519 verify ceiling",
                             [args] { return [args] { return RunBench(*args); }; });
  cmd->add_option("--seconds", args->seconds, "Seconds per load shape")->capture_default_str();
  cmd->add_option("--devices", args->devices, "Registered devices")->capture_default_str();
  cmd->add_option("--connections", args->connections, "Client connections")->capture_default_str();
  cmd->add_option("--shapes", args->shapes, "Load shapes to run: some of a, b, c")
      ->capture_default_str();
  cmd->add_option("--io-threads", args->io_threads, "Server io threads (0: the node's default)")
      ->capture_default_str();
  cmd->add_option("--verify-threads", args->verify_threads,
                  "Signature verify threads (0: the node's default)")
      ->capture_default_str();
  cmd->add_option("--group-interval-us", args->group_interval_us,
                  "Report log: minimum microseconds between group commits")
      ->capture_default_str();
  cmd->add_option("--dir", args->dir, "Data directory for the log (default: a temporary one)");
  cmd->add_flag("--json", args->json, "Print one JSON object");
}

}  // namespace depin::cli
