// `depin bench fraud [--json] [--devices N] [--epochs N] [--adversaries FILE] [--epoch-length 6s]
//                    [--heartbeat 1500ms] [--seed N] [--classes MIX] [--seniority-epochs 10]`
// Fake work must not pay, measured through the node: starts a real node (child process, port 0,
// temporary data directory, short dev epochs), an honest fleet (flaky devices, devices sharing an
// uplink) and the adversaries of FILE (default: the built-in set, testdata/adversaries/
// default.toml), closes epochs and prints per class the attackers' share of the epoch's rewards,
// attackers flagged, honest devices flagged and the reasons, beside the limits (src/fleet/
// fraud_table.h). With --json stdout is one JSON object; progress goes to stderr either way.
// The exit code is 0 whether or not the limits hold (the table says); 1 when the run failed.
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <memory>
#include <string>

#include "bench_report.h"
#include "cli.h"
#include "fleet/fraud_runner.h"
#include "fleet_cli.h"

namespace depin::cli {
namespace {

struct FraudArgs {
  bool json = false;
  uint64_t devices = 250;
  uint64_t epochs = 2;
  uint64_t seed = 1;
  std::string adversaries;
  std::string epoch_length = "6s";
  std::string heartbeat = "1500ms";
  std::string classes;
  uint32_t seniority_epochs = 10;
};

// The honest fleet's mix when none is given: mobile hotspots only, unless the adversaries run PoC
// hotspots or weather stations, which need honest ones of their kind beside them.
std::string DefaultMix(const std::vector<fleet::AdversarySpec>& adversaries) {
  for (const fleet::AdversarySpec& s : adversaries) {
    if (s.devices != fleet::AdversaryDevices::kMobile) return "wireless:40,hotspot:40,sensor:20";
  }
  return "";
}

util::Result<std::string> SelfPath() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return util::Status::Unavailable("cannot find the depin executable (/proc/self/exe)");
  return std::string(buf, static_cast<size_t>(n));
}

util::Status BenchFraud(const FraudArgs& args) {
  fleet::FraudRunOptions o;
  DEPIN_ASSIGN_OR_RETURN(o.depin_binary, SelfPath());
  if (args.devices == 0) return util::Status::InvalidArgument("--devices must be > 0");
  if (args.epochs == 0) return util::Status::InvalidArgument("--epochs must be > 0");
  o.devices = args.devices;
  o.epochs = args.epochs;
  o.seed = args.seed;
  DEPIN_ASSIGN_OR_RETURN(o.epoch_ms, ParseDurationMs(args.epoch_length, "--epoch-length"));
  if (o.epoch_ms < 1000) return util::Status::InvalidArgument("--epoch-length must be >= 1s");
  DEPIN_ASSIGN_OR_RETURN(o.tick_ms, ParseDurationMs(args.heartbeat, "--heartbeat"));
  if (o.tick_ms <= 0) return util::Status::InvalidArgument("--heartbeat must be > 0");
  if (args.adversaries.empty()) {
    DEPIN_ASSIGN_OR_RETURN(o.adversaries,
                           fleet::ParseAdversaries(fleet::DefaultAdversariesToml(), "(built-in)"));
  } else {
    DEPIN_ASSIGN_OR_RETURN(o.adversaries, fleet::LoadAdversaries(args.adversaries));
  }
  o.seniority_epochs = args.seniority_epochs;
  o.classes = args.classes.empty() ? DefaultMix(o.adversaries) : args.classes;
  o.load_classes = [](const std::string& data_dir,
                      const std::string& mix) -> util::Result<std::vector<fleet::FleetClass>> {
    DEPIN_ASSIGN_OR_RETURN(DeviceNetwork n, LoadFleetClasses(data_dir, mix));
    return n.classes;
  };
  o.log = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  DEPIN_ASSIGN_OR_RETURN(fleet::FraudTable table, fleet::RunFraudScenario(o));
  if (args.json) {
    nlohmann::json j = fleet::FraudTableJson(table);
    j["info"] = {{"devices", args.devices},
                 {"epoch_length", args.epoch_length},
                 {"heartbeat", args.heartbeat},
                 {"seed", args.seed},
                 {"classes", o.classes},
                 {"seniority_epochs", args.seniority_epochs},
                 {"adversaries", args.adversaries.empty() ? "(built-in)" : args.adversaries},
                 {"load_average", LoadAverage()}};
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf("%s", fleet::FraudTableText(table).c_str());
    std::printf("(load average %s while measuring)\n", LoadAverage().c_str());
  }
  std::fflush(stdout);
  return util::Status::Ok();
}

}  // namespace

void RegisterBenchFraud(CLI::App& bench, Selected& selected) {
  auto args = std::make_shared<FraudArgs>();
  CLI::App* c = AddCommand(bench, selected, "fraud",
                           "Attackers' share of rewards and honest devices flagged, per attack "
                           "class, through a real node",
                           [args] { return [args] { return BenchFraud(*args); }; });
  c->add_flag("--json", args->json, "Print one JSON object instead of a table");
  c->add_option("--devices", args->devices, "Honest fleet devices")->capture_default_str();
  c->add_option("--epochs", args->epochs, "Epochs measured")->capture_default_str();
  c->add_option("--adversaries", args->adversaries,
                "Adversary file (TOML, docs/fleet.md; default: the built-in set)");
  c->add_option("--epoch-length", args->epoch_length, "Epoch length of the dev network")
      ->capture_default_str();
  c->add_option("--heartbeat", args->heartbeat, "Tick interval of every device")
      ->capture_default_str();
  c->add_option("--seed", args->seed, "Seed: keys, placement, behaviour")->capture_default_str();
  c->add_option("--classes", args->classes,
                "The honest fleet's class mix, e.g. wireless:40,hotspot:40,sensor:20 (default: "
                "mobile only, or that mix when the adversaries run hotspots or stations)");
  c->add_option("--seniority-epochs", args->seniority_epochs,
                "PoC and sensor attackers onboard after the honest fleet and are measured while "
                "it is this many epochs old and they are not (0: all onboard at set-up)")
      ->capture_default_str();
}

}  // namespace depin::cli
