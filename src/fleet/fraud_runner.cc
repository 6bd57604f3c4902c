#include "fleet/fraud_runner.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <regex>
#include <thread>

#include "crypto/key_file.h"
#include "fleet/adversary.h"
#include "fleet/fleet.h"
#include "fleet/poc_world.h"
#include "util/child_process.h"
#include "util/env.h"
#include "util/temp_dir.h"

namespace depin::fleet {
namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::json;
using util::Status;

using Child = util::ChildProcess;

std::string Tail(const std::string& path) {
  util::Result<util::Bytes> raw = util::Env::Default()->ReadFile(path);
  if (!raw.ok()) return "";
  std::string text(util::AsChars(*raw));
  return text.size() > 600 ? text.substr(text.size() - 600) : text;
}

int64_t BeaconIntervalS(const FraudRunOptions& o) {
  return std::max<int64_t>(1, o.epoch_ms / 1000 / std::max<uint32_t>(1, o.beacons_per_epoch));
}

// `depin init DIR`, then the epoch length set to `epoch_ms` (whole seconds) and the gateway
// operators among the populations exempted from origin density ([rewards.origin] exempt_owners,
// docs/rewards.md 1.5), as a network would list a known operator.
Status InitNetwork(const FraudRunOptions& o, const util::TempDir& dir) {
  Child init(o.depin_binary, {"init", dir.File("net")}, dir.File("init.stderr"));
  if (!init.started()) return Status::Unavailable("cannot run " + o.depin_binary);
  if (init.Wait() != 0) {
    return Status::Unavailable("depin init failed: " + Tail(dir.File("init.stderr")));
  }
  util::Env* env = util::Env::Default();
  const std::string path = dir.File("net/network.toml");
  DEPIN_ASSIGN_OR_RETURN(util::Bytes raw, env->ReadFile(path));
  std::string text(util::AsChars(raw));
  const std::regex length(R"(\nlength = "[^"]*")");
  if (!std::regex_search(text, length)) {
    return Status::FailedPrecondition(path + ": no [epoch] length line to shorten");
  }
  const int64_t seconds = std::max<int64_t>(1, o.epoch_ms / 1000);
  text = std::regex_replace(text, length, "\nlength = \"" + std::to_string(seconds) + "s\"",
                            std::regex_constants::format_first_only);
  // Beacons: a few per hotspot per epoch, as a network of daily epochs and 6 h intervals has
  // (one per epoch would give multilateration a quarter of the edges it judges in production).
  const std::regex interval(R"(\nbeacon_interval = "[^"]*")");
  text = std::regex_replace(text, interval,
                            "\nbeacon_interval = \"" + std::to_string(BeaconIntervalS(o)) + "s\"",
                            std::regex_constants::format_first_only);
  const std::vector<std::string> exempt = ExemptOwners(o.adversaries, o.seed);
  if (!exempt.empty()) {
    std::string list;
    for (const std::string& owner : exempt) list += (list.empty() ? "\"" : ", \"") + owner + "\"";
    text += "\n[rewards.origin]\nexempt_owners = [" + list + "]\n";
  }
  return env->WriteFileAtomic(path, util::AsBytes(text));
}

util::Result<FleetKeys> ReadKeys(const util::TempDir& dir) {
  util::Env* env = util::Env::Default();
  auto read = [&](const char* name) {
    return crypto::ReadKeyFile(env, dir.File(std::string("net/keys/") + name));
  };
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair governance, read("governance.key"));
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair oracle, read("price-oracle.key"));
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair maker, read("maker.key"));
  return FleetKeys{std::move(governance), std::move(oracle), std::move(maker)};
}

// A JSON integer the API may send as a number or a decimal string; 0 when absent.
int64_t NumberField(const json& obj, const char* key) {
  if (!obj.contains(key)) return 0;
  const json& v = obj[key];
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) return std::strtoll(v.get<std::string>().c_str(), nullptr, 10);
  return 0;
}

bool WaitUntil(Clock::time_point deadline, const std::function<bool()>& done) {
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return done();
}

FraudLimit LimitOf(const std::string& class_name) {
  return class_name == "wash_trade" || class_name == "colluding_usage" ? FraudLimit::kProfit
                                                                       : FraudLimit::kShare;
}

// Who is who: the adversary populations as the engine ran them, and the honest fleet split into
// steady and flaky devices (dead ones never report and are left out).
std::vector<MeasuredPopulation> Populations(const AdversaryEngine& engine, const Fleet& fleet) {
  std::vector<MeasuredPopulation> out;
  for (const PopulationStats& s : engine.Stats()) {
    MeasuredPopulation p;
    p.name = s.class_name;
    p.honest = s.honest;
    p.limit = LimitOf(s.class_name);
    p.keys = s.device_keys;
    for (const Population::PaidDc& paid : s.paid_dc) {
      p.paid.push_back({paid.payer.ToBase58(), paid.tokens, paid.dc});
    }
    p.sent = s.sent;
    p.accepted = s.accepted;
    p.rejected = s.rejected;
    p.reject_reasons = s.reject_reasons;
    p.origins = s.origins;
    out.push_back(std::move(p));
  }
  MeasuredPopulation steady, hotspots, stations, flaky;
  steady.name = "fleet";
  hotspots.name = "fleet_hotspot";
  stations.name = "fleet_sensor";
  flaky.name = "fleet_flaky";
  steady.honest = hotspots.honest = stations.honest = flaky.honest = true;
  for (const EmulatedDevice& d : fleet.devices()) {
    if (d.dead) continue;
    MeasuredPopulation& into = d.flaky                          ? flaky
                               : d.kind == DeviceKind::kHotspot ? hotspots
                               : d.kind == DeviceKind::kWeather ? stations
                                                                : steady;
    into.keys.push_back(d.managed.key.public_key().ToBase58());
  }
  out.push_back(std::move(steady));
  for (MeasuredPopulation* p : {&hotspots, &stations}) {
    if (!p->keys.empty()) out.push_back(std::move(*p));
  }
  out.push_back(std::move(flaky));
  return out;
}

// One line per flag of a measured epoch, with its population and the verifier's evidence, so a
// run shows why each device was flagged (the manifest's "flags": key, reason, evidence).
void LogFlags(const json& manifest, const std::map<std::string, std::string>& who,
              const std::function<void(const std::string&)>& log) {
  if (!manifest.is_object() || !manifest.contains("flags") || !manifest["flags"].is_array()) {
    return;
  }
  for (const json& f : manifest["flags"]) {
    if (!f.is_object()) continue;
    const std::string key = f.value("device", "");
    auto it = who.find(key);
    log("fraud: epoch " + std::to_string(NumberField(manifest, "epoch")) + " flag " +
        (it == who.end() ? std::string("?") : it->second) + " " + key.substr(0, 8) + " " +
        f.value("reason", "") + ": " + f.value("evidence", ""));
  }
}

}  // namespace

util::Result<FraudTable> RunFraudScenario(const FraudRunOptions& o) {
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  auto log = [&o](const std::string& line) {
    if (o.log) o.log(line);
  };
  // Long epochs need longer: the warm-up, the honest devices' seniority, the measured epochs.
  const int64_t timeout_ms = std::max<int64_t>(
      o.timeout_ms, o.epoch_ms * static_cast<int64_t>(o.epochs + 8 + o.seniority_epochs) + 120'000);
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  util::TempDir dir;
  if (dir.path().empty()) return Status::Unavailable("cannot create a temporary directory");
  DEPIN_RETURN_IF_ERROR(InitNetwork(o, dir));
  Child node(
      o.depin_binary,
      {"node", "--data", dir.File("net"), "--dev", "--api", "127.0.0.1:0", "--log-level", "warn"},
      dir.File("node.stderr"));
  std::smatch m;
  const std::string listening = node.ReadLine(60'000);
  if (!std::regex_match(listening, m, std::regex(R"(listening on (http://127\.0\.0\.1:\d+))"))) {
    return Status::Unavailable("the node did not start: " + Tail(dir.File("node.stderr")));
  }
  const std::string url = m[1];
  log("fraud: node at " + url + ", data " + dir.File("net"));
  DEPIN_ASSIGN_OR_RETURN(std::unique_ptr<NodeApi> api, NodeApi::Create(url));
  DEPIN_ASSIGN_OR_RETURN(std::optional<std::string> summary_text,
                         api->GetJson("/v1/network/summary"));
  const json summary = json::parse(summary_text.value_or(""), nullptr, false);
  if (!summary.is_object()) return Status::Unavailable("no /v1/network/summary");
  const int64_t genesis_ms = NumberField(summary, "genesis_time_ms");
  const int64_t epoch_ms = std::max<int64_t>(1, NumberField(summary, "epoch_length_ms"));
  DEPIN_ASSIGN_OR_RETURN(FleetKeys keys, ReadKeys(dir));
  DEPIN_ASSIGN_OR_RETURN(FleetKeys engine_keys, ReadKeys(dir));
  // The air and public sensor data the fleet and the adversaries share (poc_world.h).
  PocWorld world;
  world.hotspot_cities = std::max<uint32_t>(1, o.hotspot_cities);
  world.station_cities = std::max<uint32_t>(1, o.station_cities);
  std::vector<FleetClass> classes;
  if (!o.classes.empty()) {
    if (!o.load_classes) return Status::InvalidArgument("a class mix needs load_classes");
    DEPIN_ASSIGN_OR_RETURN(classes, o.load_classes(dir.File("net"), o.classes));
    for (const FleetClass& c : classes) {
      if (c.kind == DeviceKind::kHotspot && !world.hotspot_class) {
        world.hotspot_class = c.resource_class;
      }
      if (c.kind == DeviceKind::kWeather && !world.sensor_class) {
        world.sensor_class = c.resource_class;
      }
    }
  }

  AdversaryOptions ao;
  ao.world = &world;
  ao.node_url = url;
  ao.seed = o.seed;
  ao.tick_ms = o.tick_ms;
  ao.log = log;
  bool physical = false;
  for (const AdversarySpec& spec : o.adversaries) {
    physical = physical || spec.devices != AdversaryDevices::kMobile;
  }
  ao.defer_physical = physical && o.seniority_epochs > 0;
  AdversaryEngine engine(ao, std::move(engine_keys), o.adversaries);
  DEPIN_RETURN_IF_ERROR(engine.Setup().WithContext("adversary set-up"));
  log("fraud: adversaries set up");

  FleetOptions fo;
  fo.node_url = url;
  fo.devices = o.devices;
  fo.customers = o.customers;
  fo.seed = o.seed;
  fo.devices_per_owner = 20;
  fo.epoch_ms = epoch_ms;
  fo.genesis_ms = genesis_ms;
  fo.economics.price_usd_e8 = engine.price_usd_e8();  // the price path the adversaries set
  fo.behaviour.tick_ms = o.tick_ms;
  fo.behaviour.flaky_permille = o.flaky_permille;
  fo.behaviour.hotspot_cities = world.hotspot_cities;
  fo.behaviour.station_cities = world.station_cities;
  fo.classes = classes;
  fo.world = &world;
  fo.beacon_interval_ms = BeaconIntervalS(o) * 1000;
  fo.on_log = log;
  Fleet fleet(fo, std::move(keys));
  std::thread fleet_thread([&fleet] { (void)fleet.Run(); });
  std::thread engine_thread([&engine] { (void)engine.Run(); });
  auto stop_all = [&] {
    fleet.Stop();
    engine.Stop();
    if (fleet_thread.joinable()) fleet_thread.join();
    if (engine_thread.joinable()) engine_thread.join();
  };

  if (!WaitUntil(deadline, [&] { return fleet.Snapshot().onboarding_ms >= 0; })) {
    stop_all();
    return Status::Unavailable("the fleet did not onboard in time: " + fleet.Snapshot().last_error);
  }
  // Warm-up: every class active (stale replay needs receipts at least min_age_s old), and four
  // epochs of reports behind every device, so the rolling windows the verifiers judge (speedtests:
  // two tests in 48 h) hold what they would in a network running for a while, not the few ticks
  // of its first epoch: a flaky device's two speedtests of one short dev epoch are a coin toss.
  int64_t warmup_ms = std::max<int64_t>(2 * o.tick_ms, 4 * epoch_ms);
  for (const AdversarySpec& s : o.adversaries) {
    warmup_ms =
        std::max<int64_t>(warmup_ms, static_cast<int64_t>(s.Param("min_age_s")) * 1000 + o.tick_ms);
  }
  util::Env* env = util::Env::Default();
  int64_t active_ms = env->NowUnixMillis() + warmup_ms;
  // Deferred PoC and sensor attackers: onboarded once the honest devices have registered, a
  // third of the way to their seniority; measured once the honest devices are established and
  // the attackers have run two epochs, while the attackers are still new.
  const int64_t established_ms = static_cast<int64_t>(o.seniority_epochs) * epoch_ms;
  int64_t attackers_ms = 0;
  if (ao.defer_physical) {
    const int64_t honest_ms = env->NowUnixMillis();
    WaitUntil(deadline, [&] { return env->NowUnixMillis() >= honest_ms + established_ms / 3; });
    attackers_ms = env->NowUnixMillis();
    util::Status onboarded = engine.OnboardDeferred();
    if (!onboarded.ok()) {
      stop_all();
      return onboarded.WithContext("onboarding the PoC and sensor attackers");
    }
    log("fraud: PoC and sensor attackers onboarded");
    active_ms = std::max(
        {active_ms, honest_ms + established_ms + epoch_ms, env->NowUnixMillis() + 2 * epoch_ms});
  }
  const uint64_t first = static_cast<uint64_t>((active_ms - genesis_ms) / epoch_ms) + 1;
  const uint64_t last = first + std::max<uint64_t>(1, o.epochs) - 1;
  if (ao.defer_physical &&
      genesis_ms + static_cast<int64_t>(last) * epoch_ms >= attackers_ms + established_ms) {
    log("fraud: note: the deferred attackers are established by epoch " + std::to_string(last) +
        " (onboarding was slow): trust and the sensor field may count them as senior");
  }
  log("fraud: fleet onboarded; measuring epochs " + std::to_string(first) + ".." +
      std::to_string(last));
  std::vector<json> manifests;
  std::map<std::string, std::string> who;  // device key -> population, for the flag lines
  for (const MeasuredPopulation& p : Populations(engine, fleet)) {
    for (const std::string& k : p.keys) who[k] = p.name;
  }
  for (uint64_t e = first; e <= last; ++e) {
    std::optional<std::string> body;
    const bool closed = WaitUntil(deadline, [&] {
      util::Result<std::optional<std::string>> r =
          api->GetJson("/v1/epochs/" + std::to_string(e) + "/manifest");
      if (r.ok() && *r) body = **r;
      return body.has_value();
    });
    if (!closed) {
      stop_all();
      return Status::Unavailable("epoch " + std::to_string(e) +
                                 " did not close in time: " + Tail(dir.File("node.stderr")));
    }
    manifests.push_back(json::parse(*body, nullptr, false));
    log("fraud: epoch " + std::to_string(e) + " closed");
    LogFlags(manifests.back(), who, log);
  }
  stop_all();
  FraudTable table = MeasureFraud(manifests, Populations(engine, fleet));
  node.Terminate();
  return table;
}

}  // namespace depin::fleet
