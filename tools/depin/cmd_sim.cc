// `depin sim SCENARIO.toml`: the digital twin (docs/sim.md). Loads the scenario and the network
// file it names with the node's own parser and conversions (so a network file the node refuses
// is refused with the same file:line: field error), runs --runs seeds on --threads threads
// through the real emission, verifier derivations and reward computation, prints the verdict and,
// with --out DIR, writes DIR/sim.csv (cadCAD layout) and DIR/summary.json (written last).
// `depin sim --compare A.toml B.toml` runs both and prints the verdicts side by side.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli.h"
#include "config/epoch_config.h"
#include "config/ledger_params.h"
#include "config/network_config.h"
#include "crypto/hash.h"
#include "twin/fixed.h"
#include "twin/output.h"
#include "twin/report.h"
#include "twin/runner.h"
#include "twin/scenario.h"
#include "twin/verdict.h"
#include "util/encoding.h"

namespace depin::cli {

namespace {

struct SimArgs {
  std::vector<std::string> scenarios;
  std::string out;
  uint64_t runs = 1;
  uint32_t threads = 0;
  int64_t seed = -1;
  bool compare = false;
};

struct Loaded {
  twin::Scenario scenario;
  twin::NetworkParams network;
};

util::Result<Loaded> Load(const std::string& path, int64_t seed) {
  util::Env* env = util::Env::Default();
  DEPIN_ASSIGN_OR_RETURN(util::Bytes raw, env->ReadFile(path));
  Loaded l;
  DEPIN_ASSIGN_OR_RETURN(
      l.scenario,
      twin::ParseScenario(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()),
                          path, util::DirName(path)));
  if (seed >= 0) l.scenario.seed = static_cast<uint64_t>(seed);
  // The node's own reading of the network file and its conversions.
  DEPIN_ASSIGN_OR_RETURN(config::NetworkConfig nc,
                         config::LoadNetworkConfig(env, l.scenario.network_path));
  DEPIN_ASSIGN_OR_RETURN(l.network.rewards, config::RewardConfigFromNetwork(nc));
  DEPIN_ASSIGN_OR_RETURN(l.network.ledger, config::LedgerParamsFromConfig(nc));
  DEPIN_RETURN_IF_ERROR(twin::CheckScenarioOnNetwork(l.scenario, l.network));
  return l;
}

// Draws "sim: done/total epochs" on stderr while the runs go, only when stderr is a terminal.
class Progress {
 public:
  explicit Progress(uint64_t total) : total_(total), tty_(isatty(STDERR_FILENO) == 1) {
    if (tty_) thread_ = std::thread([this] { Loop(); });
  }
  ~Progress() {
    if (!tty_) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    std::fprintf(stderr, "\r%60s\r", "");
  }
  std::atomic<uint64_t>* counter() { return &done_; }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; })) {
      const uint64_t done = done_.load(std::memory_order_relaxed);
      std::fprintf(stderr, "\rsim: %llu / %llu epochs (%llu %%)",
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                   static_cast<unsigned long long>(total_ ? done * 100 / total_ : 100));
      std::fflush(stderr);
    }
  }
  uint64_t total_;
  bool tty_;
  std::atomic<uint64_t> done_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

util::Result<std::vector<twin::RunResult>> RunAll(const Loaded& l, const SimArgs& a) {
  const uint32_t threads =
      a.threads ? a.threads : std::max(1u, std::thread::hardware_concurrency());
  Progress progress(l.scenario.horizon_epochs * a.runs);
  return twin::RunMany(l.scenario, l.network, a.runs, threads, progress.counter());
}

std::string Sha256Hex(const std::string& s) {
  return util::HexEncode(
      crypto::Sha256(util::ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size())));
}

util::Status Sim(const SimArgs& a) {
  if (a.scenarios.size() != 1) {
    return util::Status::InvalidArgument("give one scenario file (or --compare A.toml B.toml)");
  }
  DEPIN_ASSIGN_OR_RETURN(Loaded l, Load(a.scenarios[0], a.seed));
  DEPIN_ASSIGN_OR_RETURN(std::vector<twin::RunResult> runs, RunAll(l, a));
  std::fputs(twin::VerdictText(l.scenario, runs).c_str(), stdout);
  if (a.out.empty()) return util::Status::Ok();
  std::string csv = twin::CsvHeader();
  for (const twin::RunResult& r : runs) csv += twin::CsvRows(r, 0);
  twin::SummaryInput in{&l.scenario, l.scenario.network_path, &runs, Sha256Hex(csv)};
  DEPIN_RETURN_IF_ERROR(twin::WriteOutputs(util::Env::Default(), a.out, csv, twin::SummaryJson(in),
                                           twin::HtmlReport(l.scenario, runs)));
  std::printf("wrote %s/sim.csv (sha256 %s), %s/report.html and %s/summary.json\n", a.out.c_str(),
              in.csv_sha256.c_str(), a.out.c_str(), a.out.c_str());
  return util::Status::Ok();
}

std::string Cell(const twin::VerdictItem& v) {
  std::string value = v.is_count                  ? std::to_string(v.value_ppm)
                      : v.value_ppm == UINT64_MAX ? std::string("no mint")
                                                  : twin::FormatDecimal(v.value_ppm, 6);
  return value + (v.epoch ? " @" + std::to_string(*v.epoch) : "") + (v.holds ? " holds" : " FAILS");
}

util::Status Compare(const SimArgs& a) {
  if (a.scenarios.size() != 2) {
    return util::Status::InvalidArgument("--compare takes exactly two scenario files");
  }
  std::vector<Loaded> loaded;
  std::vector<std::vector<twin::RunResult>> results;
  for (const std::string& path : a.scenarios) {
    DEPIN_ASSIGN_OR_RETURN(Loaded l, Load(path, a.seed));
    DEPIN_ASSIGN_OR_RETURN(std::vector<twin::RunResult> runs, RunAll(l, a));
    loaded.push_back(std::move(l));
    results.push_back(std::move(runs));
  }
  std::printf("%-36s %-30s %-30s\n", "verdict (run 1; value @epoch)", a.scenarios[0].c_str(),
              a.scenarios[1].c_str());
  std::vector<twin::VerdictItem> va = twin::JudgeRun(loaded[0].scenario, results[0][0]);
  std::vector<twin::VerdictItem> vb = twin::JudgeRun(loaded[1].scenario, results[1][0]);
  for (size_t i = 0; i < va.size() && i < vb.size(); ++i) {
    std::printf("%-36s %-30s %-30s\n", va[i].name.c_str(), Cell(va[i]).c_str(),
                Cell(vb[i]).c_str());
  }
  if (a.out.empty()) return util::Status::Ok();
  std::string csv = twin::CsvHeader();
  for (size_t k = 0; k < results.size(); ++k) {
    for (const twin::RunResult& r : results[k]) csv += twin::CsvRows(r, k);
  }
  const std::string sha = Sha256Hex(csv);
  std::string summary = "{\n\"compare\": [\n";
  for (size_t k = 0; k < results.size(); ++k) {
    twin::SummaryInput in{&loaded[k].scenario, loaded[k].scenario.network_path, &results[k], sha};
    summary += twin::SummaryJson(in) + (k + 1 < results.size() ? ",\n" : "");
  }
  summary += "]\n}\n";
  return twin::WriteOutputs(util::Env::Default(), a.out, csv, summary);
}

}  // namespace

void RegisterSimCommand(CLI::App& app, Selected& selected) {
  auto args = std::make_shared<SimArgs>();
  CLI::App* c =
      AddCommand(app, selected, "sim",
                 "Digital twin: run a scenario over the network's real reward code "
                 "(docs/sim.md)",
                 [args] { return [args] { return args->compare ? Compare(*args) : Sim(*args); }; });
  c->add_option("scenario", args->scenarios, "Scenario file(s) (two with --compare)")->required();
  c->add_option("--out", args->out, "Write sim.csv and summary.json into this directory");
  c->add_option("--runs", args->runs, "Monte Carlo runs (seeds) (default 1)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{100'000}));
  c->add_option("--threads", args->threads, "Worker threads (default: one per core)");
  c->add_option("--seed", args->seed, "Override the scenario's seed")
      ->check(CLI::NonNegativeNumber);
  c->add_flag("--compare", args->compare, "Run two scenarios and show their verdicts side by side");
}

}  // namespace depin::cli
