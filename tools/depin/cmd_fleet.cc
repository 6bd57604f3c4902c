// `depin fleet`: thousands of emulated devices in one process against a node (src/fleet).
//   depin fleet --node http://127.0.0.1:8080 --data DIR [--devices 1000] [--customers 5]
//        [--seed 1] [--duration 60s] [--threads 2] [--per-owner 25] [--heartbeat 5s]
//        [--class wireless | --classes wireless:50,hotspot:30,sensor:20] [--hotspot-cities 12]
//        [--admin-token FILE] [--topup-every 1m] [--adversaries FILE]
// DIR is the network's data directory made by `depin init` (network.toml and keys/governance.key,
// keys/price-oracle.key, keys/maker.key). Progress once a second and one line per epoch go to
// stderr; stdout gets "onboarded N/N devices in T ms" once all are on the ledger, and a summary
// line when the fleet stops (after --duration, or on SIGINT/SIGTERM). Customer top-ups (and failed
// top-up checks) are logged to stderr as they happen. With --adversaries, the classes of FILE
// (src/fleet/adversary_config.h, docs/fleet.md) are onboarded and set up first, then run beside
// the fleet; a line per class follows the summary.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cli.h"
#include "config/network_init.h"
#include "crypto/key_file.h"
#include "fleet/adversary.h"
#include "fleet/fleet.h"
#include "fleet/poc_world.h"
#include "fleet_cli.h"
#include "http/client.h"
#include "util/env.h"

namespace depin::cli {
namespace {

struct FleetArgs {
  std::string node = "http://127.0.0.1:8080";
  std::string data;
  uint64_t devices = 1000;
  uint64_t customers = 5;
  uint64_t seed = 1;
  std::string duration;
  unsigned threads = 2;
  uint32_t per_owner = 25;
  std::string heartbeat = "5s";
  std::string resource_class = "wireless";
  std::string classes;  // a mix; overrides resource_class
  uint32_t hotspot_cities = 12;
  std::string admin_token_file;
  std::string topup_every = "1m";
  std::string adversaries;
};

util::Result<fleet::FleetKeys> ReadFleetKeys(const std::string& data) {
  util::Env* env = util::Env::Default();
  auto read = [&](const char* name) {
    return crypto::ReadKeyFile(env, util::JoinPath(data, std::string("keys/") + name));
  };
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair governance, read("governance.key"));
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair oracle, read("price-oracle.key"));
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair maker, read("maker.key"));
  return fleet::FleetKeys{std::move(governance), std::move(oracle), std::move(maker)};
}

// On a terminal the progress line is rewritten in place every second; in a log (not a terminal)
// it is left out, except when it carries an error: the per-epoch line says what happened.
const bool kStderrIsTerminal = isatty(STDERR_FILENO) == 1;

void PrintProgress(const fleet::FleetSnapshot& s, fleet::FleetSnapshot* last) {
  std::string line = "fleet: onboarded " + std::to_string(s.onboarded) + "/" +
                     std::to_string(s.devices) + " | reports/s sent " +
                     std::to_string(s.reports_sent - last->reports_sent) + " accepted " +
                     std::to_string(s.accepted - last->accepted) + " rejected " +
                     std::to_string(s.rejected - last->rejected) + " | total accepted " +
                     std::to_string(s.accepted);
  if (s.beacons > 0) {
    line += " | beacons " + std::to_string(s.beacons) + " witnesses " + std::to_string(s.witnesses);
  }
  if (!s.reject_reasons.empty()) {
    line += " | rejected by reason:";
    for (const auto& [reason, n] : s.reject_reasons) line += " " + reason + "=" + std::to_string(n);
  }
  const bool error = !s.provisioned || s.request_failures > last->request_failures ||
                     (s.onboarded < s.devices && !s.last_error.empty());
  if (error) line += " | last error: " + s.last_error;
  *last = s;
  if (kStderrIsTerminal) {
    std::fprintf(stderr, "\r%s\033[K%s", line.c_str(), error ? "\n" : "");
  } else if (error) {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
}

void PrintEpoch(const fleet::EpochSummary& e) {
  std::string line = "epoch " + std::to_string(e.epoch) + ": " +
                     std::to_string(e.at_end.onboarded) + " devices onboarded, reports accepted " +
                     std::to_string(e.accepted_in_epoch) + " rejected " +
                     std::to_string(e.rejected_in_epoch);
  line += e.has_rewards ? " | paid " + std::to_string(e.rewards_total) + " base units to " +
                              std::to_string(e.rewarded_devices) + " fleet devices"
                        : " | no manifest";
  for (const auto& [name, c] : e.by_class) {
    line += " | " + name + ": paid " + std::to_string(c.total) + " to " +
            std::to_string(c.rewarded_devices) + "/" + std::to_string(c.devices) + ", flagged " +
            std::to_string(c.flagged);
  }
  std::fprintf(stderr, "%s%s\n", kStderrIsTerminal ? "\r\033[K" : "", line.c_str());
}

util::Status RunFleet(const FleetArgs& args) {
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  if (args.devices == 0) return util::Status::InvalidArgument("--devices must be > 0");
  std::string host;
  uint16_t port = 0;
  DEPIN_RETURN_IF_ERROR(http::ParseServerUrl(args.node, &host, &port));
  fleet::FleetOptions o;
  o.node_url = args.node;
  o.devices = args.devices;
  o.customers = args.customers;
  o.seed = args.seed;
  o.threads = args.threads;
  o.devices_per_owner = args.per_owner;
  o.resource_class_name = args.resource_class;
  if (!args.duration.empty()) {
    DEPIN_ASSIGN_OR_RETURN(o.duration_ms, ParseDurationMs(args.duration, "--duration"));
  }
  DEPIN_ASSIGN_OR_RETURN(o.behaviour.tick_ms, ParseDurationMs(args.heartbeat, "--heartbeat"));
  if (o.behaviour.tick_ms <= 0) return util::Status::InvalidArgument("--heartbeat must be > 0");
  DEPIN_ASSIGN_OR_RETURN(o.topup_check_ms, ParseDurationMs(args.topup_every, "--topup-every"));
  if (o.topup_check_ms <= 0) return util::Status::InvalidArgument("--topup-every must be > 0");
  DeviceNetwork net;
  if (args.classes.empty()) {
    DEPIN_ASSIGN_OR_RETURN(net, LoadDeviceNetwork(args.data, args.resource_class));
  } else {
    DEPIN_ASSIGN_OR_RETURN(net, LoadFleetClasses(args.data, args.classes));
  }
  o.classes = net.classes;
  o.behaviour.hotspot_cities = args.hotspot_cities;
  o.beacon_interval_ms = net.beacon_interval_ms;
  o.economics = net.economics;
  o.epoch_ms = net.epoch_ms;
  o.genesis_ms = net.genesis_ms;
  o.resource_class = net.resource_class;
  if (!args.admin_token_file.empty()) {
    DEPIN_ASSIGN_OR_RETURN(o.admin_token,
                           config::ReadAdminToken(util::Env::Default(), args.admin_token_file));
  }
  std::vector<fleet::AdversarySpec> adversaries;
  if (!args.adversaries.empty()) {
    DEPIN_ASSIGN_OR_RETURN(adversaries, fleet::LoadAdversaries(args.adversaries));
  }
  DEPIN_ASSIGN_OR_RETURN(fleet::FleetKeys keys, ReadFleetKeys(args.data));

  auto last = std::make_shared<fleet::FleetSnapshot>();
  auto announced = std::make_shared<bool>(false);
  o.on_progress = [last, announced](const fleet::FleetSnapshot& s) {
    if (!*announced && s.onboarding_ms >= 0) {
      *announced = true;
      std::printf(
          "onboarded %llu/%llu devices in %lld ms\n", static_cast<unsigned long long>(s.onboarded),
          static_cast<unsigned long long>(s.devices), static_cast<long long>(s.onboarding_ms));
      std::fflush(stdout);
    }
    PrintProgress(s, last.get());
  };
  o.on_epoch = PrintEpoch;
  o.on_log = [](const std::string& line) { std::fprintf(stderr, "fleet: %s\n", line.c_str()); };
  std::fprintf(stderr, "fleet: %llu devices, %llu customers, seed %llu, node %s\n",
               static_cast<unsigned long long>(args.devices),
               static_cast<unsigned long long>(args.customers),
               static_cast<unsigned long long>(args.seed), args.node.c_str());
  // The air and public sensor data the fleet shares with coverage and sensor attackers.
  fleet::PocWorld world;
  world.hotspot_cities = world.station_cities = std::max<uint32_t>(1, args.hotspot_cities);
  for (const fleet::FleetClass& c : o.classes) {
    if (c.kind == fleet::DeviceKind::kHotspot && !world.hotspot_class) {
      world.hotspot_class = c.resource_class;
    }
    if (c.kind == fleet::DeviceKind::kWeather && !world.sensor_class) {
      world.sensor_class = c.resource_class;
    }
  }
  o.world = &world;
  std::unique_ptr<fleet::AdversaryEngine> engine;
  if (!adversaries.empty()) {
    fleet::AdversaryOptions ao;
    ao.world = &world;
    ao.node_url = args.node;
    ao.seed = args.seed;
    ao.tick_ms = o.behaviour.tick_ms;
    ao.resource_class = o.resource_class;
    ao.economics = o.economics;
    ao.log = o.on_log;
    DEPIN_ASSIGN_OR_RETURN(fleet::FleetKeys engine_keys, ReadFleetKeys(args.data));
    engine = std::make_unique<fleet::AdversaryEngine>(ao, std::move(engine_keys), adversaries);
  }
  std::unique_ptr<fleet::Fleet> fleet;
  util::Status status;
  {
    std::mutex mu;  // guards `fleet` against the signal thread
    SignalStopper stopper([&] {
      std::lock_guard<std::mutex> lock(mu);
      if (engine) engine->Stop();
      if (fleet) fleet->Stop();
    });
    // The adversaries use the treasury and oracle keys first, alone (nonces are counted
    // locally); the fleet then keeps the price they left.
    if (engine) status = engine->Setup().WithContext("adversary set-up");
    if (status.ok() && !stopper.signalled()) {
      if (engine) o.economics.price_usd_e8 = engine->price_usd_e8();
      {
        std::lock_guard<std::mutex> lock(mu);
        fleet = std::make_unique<fleet::Fleet>(std::move(o), std::move(keys));
      }
      std::thread attackers;
      if (engine) attackers = std::thread([&engine] { (void)engine->Run(); });
      status = fleet->Run();
      if (engine) engine->Stop();
      if (attackers.joinable()) attackers.join();
    }
  }
  if (!fleet) return status;
  const fleet::FleetSnapshot s = fleet->Snapshot();
  std::printf(
      "summary: onboarded %llu/%llu reports sent %llu accepted %llu duplicate %llu "
      "rejected %llu request_failures %llu customer_topups %llu\n",
      static_cast<unsigned long long>(s.onboarded), static_cast<unsigned long long>(s.devices),
      static_cast<unsigned long long>(s.reports_sent), static_cast<unsigned long long>(s.accepted),
      static_cast<unsigned long long>(s.duplicate), static_cast<unsigned long long>(s.rejected),
      static_cast<unsigned long long>(s.request_failures),
      static_cast<unsigned long long>(s.customer_topups));
  if (engine) {
    for (const fleet::PopulationStats& p : engine->Stats()) {
      std::string reasons;
      for (const auto& [r, n] : p.reject_reasons) reasons += " " + r + "=" + std::to_string(n);
      std::printf("adversary %s (%s, %zu devices): sent %llu accepted %llu rejected %llu%s\n",
                  p.class_name.c_str(), p.honest ? "honest" : "attacker", p.device_keys.size(),
                  static_cast<unsigned long long>(p.sent),
                  static_cast<unsigned long long>(p.accepted),
                  static_cast<unsigned long long>(p.rejected), reasons.c_str());
    }
  }
  std::fflush(stdout);
  return status;
}

}  // namespace

void RegisterFleetCommand(CLI::App& app, Selected& selected) {
  auto args = std::make_shared<FleetArgs>();
  CLI::App* cmd = AddCommand(app, selected, "fleet",
                             "Emulate many devices (and their customers) against a node",
                             [args] { return [args] { return RunFleet(*args); }; });
  cmd->add_option("--node", args->node, "Node URL")->capture_default_str();
  cmd->add_option("--data", args->data,
                  "The network's data directory (network.toml, keys/governance.key, "
                  "keys/price-oracle.key, keys/maker.key)")
      ->required();
  cmd->add_option("--devices", args->devices, "Devices to emulate")->capture_default_str();
  cmd->add_option("--customers", args->customers, "Customers paying for data transfer")
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "Seed: keys, placement, behaviour")->capture_default_str();
  cmd->add_option("--duration", args->duration,
                  "Stop after this long (e.g. 60s; default: run "
                  "until SIGINT/SIGTERM)");
  cmd->add_option("--threads", args->threads, "Worker threads")->capture_default_str();
  cmd->add_option("--per-owner", args->per_owner, "Devices per owner account")
      ->capture_default_str();
  cmd->add_option("--heartbeat", args->heartbeat, "Heartbeat interval")->capture_default_str();
  cmd->add_option("--class", args->resource_class, "Resource class of the devices")
      ->capture_default_str();
  cmd->add_option("--classes", args->classes,
                  "A mix of resource classes with weights, e.g. wireless:50,hotspot:30,sensor:20 "
                  "(PoC hotspots beacon and witness, weather stations send sensor batches)");
  cmd->add_option("--hotspot-cities", args->hotspot_cities,
                  "PoC hotspots cluster in this many cities (they need neighbours)")
      ->capture_default_str();
  cmd->add_option("--admin-token", args->admin_token_file,
                  "Also register devices with a dev node's ingest registry (keys/admin.token)");
  cmd->add_option("--topup-every", args->topup_every,
                  "How often to check customers' delegated data credits and top up low ones")
      ->capture_default_str();
  cmd->add_option("--adversaries", args->adversaries,
                  "Also run the attackers (and hard honest cases) of this TOML file "
                  "(docs/fleet.md, testdata/adversaries/)");
}

}  // namespace depin::cli
