// `depin bench sim`: the digital twin at scale. One aggregated run of --devices devices (default
// 1,000,000) over --epochs epochs (default 365) through the real emission schedule, verifier
// derivations and ComputeRewards (which also builds every epoch's Merkle root), timed, with the
// peak memory; targets: <= 10 minutes per run, <= 4 GiB. The limit it is compared with is the
// same model written as a plain per-agent Python loop (bench/sim_reference.py, the way
// analysts write cadCAD models) timed in the same run on --py-devices x --py-epochs; the ratio
// is the speed per device-epoch, twin / Python (target >= 100). The Python loop computes no
// Merkle root, so the ratio is conservative.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "bench_report.h"
#include "cli.h"
#include "crypto/ed25519.h"
#include "twin/model.h"
#include "twin/scenario.h"
#include "util/env.h"

namespace depin::cli {
namespace {

// CPU seconds this thread has used: on a shared machine the wall clock also counts other work.
double ThreadCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct SimBenchArgs {
  uint64_t devices = 1'000'000;
  uint64_t epochs = 365;
  uint64_t py_devices = 20'000;
  uint64_t py_epochs = 10;
  std::string reference;
  bool json = false;
};

// The bench's network: the default reward mix (availability, usage overflowing to it, stakers,
// treasury) with uptime, speedtest and usage for every device; emission halving yearly.
twin::NetworkParams BenchNetwork() {
  twin::NetworkParams n;
  verify::Key stakers, treasury;
  stakers.bytes[0] = 0xA1;
  treasury.bytes[0] = 0xA2;
  n.rewards = rewards::DefaultRewardConfig(stakers, treasury);
  n.ledger.token_decimals = 6;
  n.ledger.epoch_length_ms = 86'400'000;
  n.ledger.emission.kind = ledger::EmissionKind::kHalving;
  n.ledger.emission.initial_per_epoch = 5'000'000'000'000;  // 5M tokens a day
  n.ledger.emission.halving_interval_epochs = 365;
  n.ledger.allocations.push_back({{}, 1'000'000'000'000'000});
  return n;
}

std::string BenchScenario(uint64_t devices, uint64_t epochs) {
  const std::string n = std::to_string(devices);
  return "[scenario]\nname = \"bench\"\nnetwork = \"-\"\nhorizon_epochs = " +
         std::to_string(epochs) + "\nseed = 1\n[fleet]\ninitial_devices = " + n +
         "\nmax_devices = " + n + "\ninitial_owners = " + std::to_string(devices / 2 + 1) +
         "\nnew_owner_share = \"0.7\"\nmax_join_per_epoch = \"0.002\"\n"
         "churn_per_epoch = \"0.0005\"\noutage_chance = \"0.05\"\npoor_gps_share = \"0.05\"\n"
         "[operators]\nhardware_usd = \"250\"\nopex_usd_per_epoch = \"0.15\"\n"
         "payback_epochs = 365\npatience_epochs = 30\n"
         "[demand]\nusd_per_epoch = \"200000\"\ngrowth_per_epoch = \"0.005\"\nvolatility = "
         "\"0.05\"\n"
         "[price]\nmodel = \"endogenous\"\ninitial_usd = \"0.5\"\nvolatility = \"0.02\"\n"
         "liquidity_usd = \"50000000\"\n"
         "[population]\nhonest = \"0.9\"\nuptime_farm = \"0.05\"\nwash_trade = \"0.03\"\n"
         "spoofer = \"0.02\"\n[attack]\nstart_epoch = 30\nfarm_keys_per_origin = 50\n"
         "wash_usd_per_epoch = \"5\"\n";
}

std::string FindReference(const std::string& given) {
  util::Env* env = util::Env::Default();
  if (!given.empty()) return given;
  if (env->FileExists("bench/sim_reference.py")) return "bench/sim_reference.py";
  char exe[4096];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n > 0) {
    exe[n] = '\0';
    const std::string p =
        util::DirName(util::DirName(util::DirName(exe))) + "/bench/sim_reference.py";
    if (env->FileExists(p)) return p;
  }
  return "";
}

// Runs the Python reference; returns its seconds per device-epoch (0 when it could not run) and
// its CPU seconds per device-epoch in *cpu.
double PythonSecondsPerDeviceEpoch(const std::string& script, uint64_t devices, uint64_t epochs,
                                   std::string* note, double* cpu) {
  const std::string cmd = "python3 '" + script + "' --devices " + std::to_string(devices) +
                          " --epochs " + std::to_string(epochs) + " --seed 1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    *note = "could not start python3";
    return 0;
  }
  std::string out;
  char buf[512];
  while (size_t got = fread(buf, 1, sizeof(buf), p)) out.append(buf, got);
  const int rc = pclose(p);
  double seconds = 0, device_epochs = 0, cpu_seconds = 0;
  if (rc != 0 ||
      std::sscanf(out.c_str(), "{\"device_epochs\": %lf, \"seconds\": %lf, \"cpu_seconds\": %lf",
                  &device_epochs, &seconds, &cpu_seconds) != 3 ||
      device_epochs <= 0) {
    *note = "python reference failed: " + out.substr(0, 200);
    return 0;
  }
  *cpu = cpu_seconds / device_epochs;
  return seconds / device_epochs;
}

util::Status BenchSim(const SimBenchArgs& a) {
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  const twin::NetworkParams net = BenchNetwork();
  DEPIN_ASSIGN_OR_RETURN(twin::Scenario s,
                         twin::ParseScenario(BenchScenario(a.devices, a.epochs), "bench", ""));
  const std::string load_before = LoadAverage();
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = ThreadCpuSeconds();
  DEPIN_ASSIGN_OR_RETURN(twin::RunResult run, twin::RunTwin(s, net, 0));
  const double cpu = ThreadCpuSeconds() - cpu0;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  uint64_t device_epochs = 0;
  for (const twin::EpochRow& r : run.rows) device_epochs += r.active;

  BenchReport report("sim");
  report.AddFigure("twin run (aggregated fidelity)", secs, "s");
  report.AddFigure("twin device-epochs", static_cast<double>(device_epochs), "device-epochs");
  report.AddFigure("twin speed", static_cast<double>(device_epochs) / secs, "device-epochs/s");
  report.AddFigure("twin run, CPU time", cpu, "s");
  report.AddFigure("twin speed per CPU-second", static_cast<double>(device_epochs) / cpu,
                   "device-epochs/s");
  report.AddFigure("peak memory (VmHWM)", PeakMiB(), "MiB");
  report.AddFigure("active devices at the end", static_cast<double>(run.rows.back().active),
                   "devices");
  std::string note;
  const std::string script = FindReference(a.reference);
  double py_cpu = 0;
  const double py = script.empty() ? 0
                                   : PythonSecondsPerDeviceEpoch(script, a.py_devices, a.py_epochs,
                                                                 &note, &py_cpu);
  if (py > 0) {
    report.AddFigure("python reference speed", 1.0 / py, "device-epochs/s");
    report.SetLimit("python per-agent loop, same model", 1.0 / py, "device-epochs/s");
    report.SetRatioOf("twin speed");
    if (py_cpu > 0) {
      report.AddFigure("python reference speed per CPU-second", 1.0 / py_cpu, "device-epochs/s");
      report.AddFigure("speed ratio per CPU-second",
                       static_cast<double>(device_epochs) / cpu * py_cpu, "x");
    }
  } else {
    report.AddInfo("python reference", script.empty() ? "bench/sim_reference.py not found" : note);
  }
  report.AddInfo("devices x epochs", std::to_string(a.devices) + " x " + std::to_string(a.epochs));
  report.AddInfo("python fleet",
                 std::to_string(a.py_devices) + " x " + std::to_string(a.py_epochs));
  report.AddInfo("targets", "run <= 600 s, peak <= 4096 MiB, ratio >= 100");
  report.AddInfo("cpu", CpuModel());
  report.AddInfo("load average before", load_before);
  report.AddInfo("load average after", LoadAverage());
  report.Print(a.json);
  return util::Status::Ok();
}

}  // namespace

void RegisterBenchSim(CLI::App& bench, Selected& selected) {
  auto args = std::make_shared<SimBenchArgs>();
  CLI::App* c = AddCommand(bench, selected, "sim",
                           "Digital twin at scale (1M devices x 365 epochs) vs the same model as "
                           "a per-agent Python loop",
                           [args] { return [args] { return BenchSim(*args); }; });
  c->add_option("--devices", args->devices, "Devices (default 1000000)");
  c->add_option("--epochs", args->epochs, "Epochs (default 365)");
  c->add_option("--py-devices", args->py_devices, "Python reference devices (default 20000)");
  c->add_option("--py-epochs", args->py_epochs, "Python reference epochs (default 10)");
  c->add_option("--reference", args->reference, "Path of bench/sim_reference.py");
  c->add_flag("--json", args->json, "Print one JSON object instead of a table");
}

}  // namespace depin::cli
