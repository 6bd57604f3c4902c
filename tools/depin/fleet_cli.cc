#include "fleet_cli.h"

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <ctime>

#include "node/network_config.h"
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
  DEPIN_ASSIGN_OR_RETURN(node::NetworkConfig c,
                         node::LoadNetworkConfig(util::Env::Default(), path));
  DeviceNetwork n;
  n.economics.onboard_fee_dc = c.fees.onboarding_dc;
  n.economics.location_fee_dc = c.fees.location_dc;
  n.economics.first_location_free = c.fees.first_location_free;
  n.economics.token_decimals = c.token.decimals;
  if (c.credits.usd_per_dc_nanos != 0) n.economics.usd_nanos_per_dc = c.credits.usd_per_dc_nanos;
  n.epoch_ms = static_cast<int64_t>(c.epoch.length_seconds * 1000);
  n.genesis_ms = c.network.genesis_time_ms;
  for (size_t i = 0; i < c.resource_classes.size(); ++i) {
    const node::ResourceClass& rc = c.resource_classes[i];
    if (rc.name != class_name) continue;
    // The emulated devices are wireless hotspots: heartbeats, speedtests, data transfer.
    for (node::ProofKind k : {node::ProofKind::kHeartbeat, node::ProofKind::kSpeedtest,
                              node::ProofKind::kDataTransfer}) {
      if (std::find(rc.proofs.begin(), rc.proofs.end(), k) == rc.proofs.end()) {
        return util::Status::InvalidArgument(
            path + ": resource class \"" + class_name + "\" does not accept " +
            std::string(node::ProofKindName(k)) +
            " proofs, which the emulated (wireless) devices send; choose another --class");
      }
    }
    n.resource_class = static_cast<uint32_t>(i);
    return n;
  }
  return util::Status::NotFound(path + ": no [[resource_classes]] named \"" + class_name + "\"");
}

}  // namespace depin::cli
