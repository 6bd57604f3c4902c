#include "fleet_cli.h"

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <ctime>

#include "config/network_config.h"
#include "util/env.h"

namespace depin::cli {

SignalStopper::SignalStopper(std::function<void()> on_signal) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([this, set, on_signal = std::move(on_signal)] {
    const timespec tick{0, 100'000'000};  // re-check done_ ten times a second
    while (!done_) {
      if (sigtimedwait(&set, nullptr, &tick) > 0) {
        signalled_ = true;
        on_signal();
      }
    }
  });
}

SignalStopper::~SignalStopper() {
  done_ = true;
  thread_.join();
}

util::Result<int64_t> ParseDurationMs(const std::string& text, const std::string& flag) {
  int64_t value = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string unit(p, text.data() + text.size());
  int64_t scale = 0;
  if (unit == "ms") scale = 1;
  if (unit == "s" || unit.empty()) scale = 1000;
  if (unit == "m") scale = 60'000;
  if (unit == "h") scale = 3'600'000;
  if (ec != std::errc() || value < 0 || scale == 0 || value > INT64_MAX / scale) {
    return util::Status::InvalidArgument(flag + ": \"" + text +
                                         "\" is not a duration like 60s, 5m");
  }
  return value * scale;
}

util::Result<DeviceNetwork> LoadDeviceNetwork(const std::string& data_dir,
                                              const std::string& class_name) {
  const std::string path = util::JoinPath(data_dir, "network.toml");
  DEPIN_ASSIGN_OR_RETURN(config::NetworkConfig c,
                         config::LoadNetworkConfig(util::Env::Default(), path));
  DeviceNetwork n;
  n.economics.onboard_fee_dc = c.fees.onboarding_dc;
  n.economics.location_fee_dc = c.fees.location_dc;
  n.economics.first_location_free = c.fees.first_location_free;
  n.economics.token_decimals = c.token.decimals;
  if (c.credits.usd_per_dc_nanos != 0) n.economics.usd_nanos_per_dc = c.credits.usd_per_dc_nanos;
  n.epoch_ms = static_cast<int64_t>(c.epoch.length_seconds * 1000);
  n.genesis_ms = c.network.genesis_time_ms;
  for (size_t i = 0; i < c.resource_classes.size(); ++i) {
    const config::ResourceClass& rc = c.resource_classes[i];
    if (rc.name != class_name) continue;
    // The emulated devices are wireless hotspots: heartbeats, speedtests, data transfer.
    for (config::ProofKind k : {config::ProofKind::kHeartbeat, config::ProofKind::kSpeedtest,
                                config::ProofKind::kDataTransfer}) {
      if (std::find(rc.proofs.begin(), rc.proofs.end(), k) == rc.proofs.end()) {
        return util::Status::InvalidArgument(
            path + ": resource class \"" + class_name + "\" does not accept " +
            std::string(config::ProofKindName(k)) +
            " proofs, which the emulated (wireless) devices send; choose another --class");
      }
    }
    n.resource_class = static_cast<uint32_t>(i);
    return n;
  }
  return util::Status::NotFound(path + ": no [[resource_classes]] named \"" + class_name + "\"");
}

util::Result<DeviceNetwork> LoadFleetClasses(const std::string& data_dir, const std::string& mix) {
  const std::string path = util::JoinPath(data_dir, "network.toml");
  DEPIN_ASSIGN_OR_RETURN(config::NetworkConfig c,
                         config::LoadNetworkConfig(util::Env::Default(), path));
  // The economics and epoch as for one class (any class will do for those).
  DeviceNetwork n;
  n.economics.onboard_fee_dc = c.fees.onboarding_dc;
  n.economics.location_fee_dc = c.fees.location_dc;
  n.economics.first_location_free = c.fees.first_location_free;
  n.economics.token_decimals = c.token.decimals;
  if (c.credits.usd_per_dc_nanos != 0) n.economics.usd_nanos_per_dc = c.credits.usd_per_dc_nanos;
  n.epoch_ms = static_cast<int64_t>(c.epoch.length_seconds * 1000);
  n.genesis_ms = c.network.genesis_time_ms;
  n.beacon_interval_ms = static_cast<int64_t>(c.proofs.beacon_interval_seconds * 1000);
  auto has = [](const config::ResourceClass& rc, config::ProofKind k) {
    return std::find(rc.proofs.begin(), rc.proofs.end(), k) != rc.proofs.end();
  };
  size_t at = 0;
  while (at <= mix.size()) {
    size_t comma = mix.find(',', at);
    if (comma == std::string::npos) comma = mix.size();
    const std::string item = mix.substr(at, comma - at);
    at = comma + 1;
    if (item.empty()) {
      return util::Status::InvalidArgument("--classes: \"" + mix +
                                           "\" is not a list like wireless:50,hotspot:30");
    }
    fleet::FleetClass fc;
    const size_t colon = item.find(':');
    fc.name = item.substr(0, colon);
    if (colon != std::string::npos) {
      const std::string w = item.substr(colon + 1);
      uint64_t weight = 0;
      auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), weight);
      if (ec != std::errc() || end != w.data() + w.size() || weight == 0 || weight > 1'000'000) {
        return util::Status::InvalidArgument("--classes: weight \"" + w + "\" of " + fc.name +
                                             " is not a whole number from 1 to 1000000");
      }
      fc.weight = static_cast<uint32_t>(weight);
    }
    size_t index = c.resource_classes.size();
    for (size_t i = 0; i < c.resource_classes.size(); ++i) {
      if (c.resource_classes[i].name == fc.name) index = i;
    }
    if (index == c.resource_classes.size()) {
      return util::Status::NotFound(path + ": no [[resource_classes]] named \"" + fc.name + "\"");
    }
    const config::ResourceClass& rc = c.resource_classes[index];
    fc.resource_class = static_cast<uint32_t>(index);
    if (has(rc, config::ProofKind::kCoverageBeacon) &&
        has(rc, config::ProofKind::kCoverageWitness)) {
      fc.kind = fleet::DeviceKind::kHotspot;
    } else if (has(rc, config::ProofKind::kSensorBatch)) {
      fc.kind = fleet::DeviceKind::kWeather;
    } else if (has(rc, config::ProofKind::kHeartbeat) && has(rc, config::ProofKind::kSpeedtest) &&
               has(rc, config::ProofKind::kDataTransfer)) {
      fc.kind = fleet::DeviceKind::kMobile;
    } else {
      return util::Status::InvalidArgument(
          path + ": resource class \"" + fc.name +
          "\" is none the fleet emulates: PoC hotspots (coverage_beacon, coverage_witness), "
          "weather stations (sensor_batch) or mobile hotspots (heartbeat, speedtest, "
          "data_transfer)");
    }
    n.classes.push_back(std::move(fc));
  }
  if (!n.classes.empty()) n.resource_class = n.classes[0].resource_class;
  return n;
}

}  // namespace depin::cli
