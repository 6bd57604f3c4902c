// `depin bench crypto`: this machine's cryptographic ceiling. Ed25519 verifies per second on one
// core and on every core (one std::thread per core, each with its own pre-made signatures, so no
// core verifies what another does), signs per second, and SHA-256 / BLAKE2b throughput on
// 200-byte messages (the size of a device report) and 1 MiB buffers. The all-cores verify rate
// is the limit every ingest figure is quoted against. On a shared machine the wall-clock rates
// fall with the load; the "per CPU-second" figure is what one unshared core would deliver.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_report.h"
#include "cli.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"

namespace depin::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kReportSize = 200;
constexpr size_t kSignedSetSize = 256;  // distinct (key, message, signature) triples per thread

std::string FormatSeconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", s);
  return buf;
}

struct BenchCryptoArgs {
  double seconds = 1.0;
  bool json = false;
};

// Keeps a computed value alive so the compiler cannot drop the work that produced it.
template <typename T>
void KeepAlive(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

// Seconds of CPU time this thread has used: unlike the wall clock, it does not count time the
// thread spent waiting for a core that other processes were using.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Rate {
  double per_wall_second = 0;  // what the machine delivered
  double per_cpu_second = 0;   // what one core delivers when it is not shared
};

// Calls `op(i)` for i = 0, 1, 2, ... until `seconds` have passed; returns operations per second.
// The clock is read every `batch` operations so that reading it costs nothing measurable.
template <typename Op>
Rate RunFor(double seconds, size_t batch, Op&& op) {
  const Clock::time_point start = Clock::now();
  const double cpu_start = ThreadCpuSeconds();
  const Clock::time_point deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  uint64_t done = 0;
  Clock::time_point now;
  do {
    for (size_t i = 0; i < batch; ++i) op(done + i);
    done += batch;
    now = Clock::now();
  } while (now < deadline);
  const double wall = std::chrono::duration<double>(now - start).count();
  const double cpu = std::max(ThreadCpuSeconds() - cpu_start, 1e-9);
  return {static_cast<double>(done) / wall, static_cast<double>(done) / cpu};
}

struct SignedSet {
  std::vector<crypto::PublicKey> keys;
  std::vector<util::Bytes> messages;
  std::vector<crypto::Signature> signatures;
};

// Distinct keys and messages for thread `tag`, so threads never verify the same signature.
SignedSet MakeSignedSet(uint32_t tag) {
  SignedSet set;
  for (size_t i = 0; i < kSignedSetSize; ++i) {
    crypto::KeyPair key = crypto::KeyPair::Generate();
    util::Bytes message(kReportSize);
    for (size_t b = 0; b < message.size(); ++b) {
      message[b] = static_cast<uint8_t>((tag * 131 + i * 7 + b) & 0xff);
    }
    set.signatures.push_back(key.Sign(message));
    set.keys.push_back(key.public_key());
    set.messages.push_back(std::move(message));
  }
  return set;
}

// Verifies `set` round-robin for `seconds`; returns verifies/s, or -1 if any signature failed.
Rate VerifyRate(const SignedSet& set, double seconds) {
  bool all_valid = true;
  Rate rate = RunFor(seconds, 16, [&](uint64_t i) {
    size_t k = i % kSignedSetSize;
    all_valid &= crypto::Verify(set.keys[k], set.messages[k], set.signatures[k]);
  });
  return all_valid ? rate : Rate{-1, -1};
}

util::Status BenchCrypto(const BenchCryptoArgs& args) {
  if (!(args.seconds > 0) || args.seconds > 600) {
    return util::Status::InvalidArgument("--seconds must be in (0, 600], got " +
                                         std::to_string(args.seconds));
  }
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  BenchReport report("crypto");
  report.AddInfo("cpu", CpuModel());
  report.AddInfo("cores", std::to_string(cores));
  report.AddInfo("seconds per figure", FormatSeconds(args.seconds));
  report.AddInfo("load average before", LoadAverage());

  // Ed25519 verify on one core.
  SignedSet single = MakeSignedSet(0);
  Rate one = VerifyRate(single, args.seconds);
  const double one_core = one.per_wall_second;
  if (one_core < 0) return util::Status::Internal("bench crypto: a freshly made signature failed");
  report.AddFigure("ed25519 verify, 1 core", one_core, "verifies/s");
  report.AddFigure("ed25519 verify, 1 core, per CPU-second", one.per_cpu_second, "verifies/s");

  // Ed25519 verify on every core: sets are made first, then all threads start together.
  std::vector<SignedSet> sets(cores);
  {
    std::vector<std::thread> makers;
    for (unsigned t = 0; t < cores; ++t) {
      makers.emplace_back([&sets, t] { sets[t] = MakeSignedSet(t + 1); });
    }
    for (auto& m : makers) m.join();
  }
  std::vector<Rate> rates(cores);
  std::latch start(cores);
  {
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < cores; ++t) {
      workers.emplace_back([&, t] {
        start.arrive_and_wait();
        rates[t] = VerifyRate(sets[t], args.seconds);
      });
    }
    for (auto& w : workers) w.join();
  }
  double all_cores = 0;
  for (const Rate& r : rates) {
    if (r.per_wall_second < 0) {
      return util::Status::Internal("bench crypto: a freshly made signature failed");
    }
    all_cores += r.per_wall_second;
  }
  report.AddFigure("ed25519 verify, " + std::to_string(cores) + " cores", all_cores, "verifies/s");

  // Ed25519 sign on one core.
  crypto::KeyPair signer = crypto::KeyPair::Generate();
  double signs = RunFor(args.seconds, 16, [&](uint64_t i) {
                   KeepAlive(signer.Sign(single.messages[i % kSignedSetSize]));
                 }).per_wall_second;
  report.AddFigure("ed25519 sign, 1 core", signs, "signs/s");

  // Hashes on 200-byte reports and on 1 MiB buffers.
  util::Bytes big(1 << 20);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 2654435761u >> 24);
  constexpr double kMB = 1e6;
  auto hash_rate = [&](auto&& fn, const util::Bytes& data, const std::vector<util::Bytes>* many) {
    size_t batch = many ? 256 : 1;
    double per_second = RunFor(args.seconds, batch, [&](uint64_t i) {
                          KeepAlive(fn(many ? (*many)[i % kSignedSetSize] : data));
                        }).per_wall_second;
    return per_second * static_cast<double>(many ? kReportSize : data.size()) / kMB;
  };
  // The one-buffer overload (crypto::Sha256 also hashes two pieces).
  const auto sha256 = [](util::ByteView data) { return crypto::Sha256(data); };
  report.AddFigure("sha256, 200 B messages", hash_rate(sha256, big, &single.messages), "MB/s");
  report.AddFigure("sha256, 1 MiB buffers", hash_rate(sha256, big, nullptr), "MB/s");
  report.AddFigure("blake2b-256, 200 B messages",
                   hash_rate(crypto::Blake2b256, big, &single.messages), "MB/s");
  report.AddFigure("blake2b-256, 1 MiB buffers", hash_rate(crypto::Blake2b256, big, nullptr),
                   "MB/s");

  report.SetLimit("ed25519 verify, all cores", all_cores, "verifies/s");
  report.SetRatio(all_cores / (one_core * cores), "all cores / (1 core x cores): parallel scaling");
  report.Print(args.json);
  return util::Status::Ok();
}

}  // namespace

void RegisterBenchCrypto(CLI::App& bench, Selected& selected) {
  auto args = std::make_shared<BenchCryptoArgs>();
  CLI::App* cmd =
      AddCommand(bench, selected, "crypto",
                 "Ed25519 verify/sign rates (1 core, all cores) and SHA-256/BLAKE2b throughput",
                 [args] { return [args] { return BenchCrypto(*args); }; });
  cmd->add_option("--seconds", args->seconds, "Seconds to measure each figure (default 1)");
  cmd->add_flag("--json", args->json, "Print one JSON object instead of a table");
}

}  // namespace depin::cli
