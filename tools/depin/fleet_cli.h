// Helpers shared by `depin fleet` (cmd_fleet.cc) and `depin device run` (cmd_device.cc):
// stopping cleanly on SIGINT/SIGTERM, parsing durations, and reading what the device side needs
// from a network's data directory (network.toml economics and epoch, role key files).
//
// Thread-safety: SignalStopper must be constructed before any other thread starts (it blocks the
// signals for the whole process, so only its own thread receives them); the rest is pure.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "fleet/fleet.h"
#include "fleet/onboarding.h"
#include "util/result.h"

namespace depin::cli {

// Blocks SIGINT and SIGTERM in the calling thread (and every thread it starts later) and runs
// `on_signal` on a private thread when one arrives. The destructor stops that thread.
class SignalStopper {
 public:
  explicit SignalStopper(std::function<void()> on_signal);
  ~SignalStopper();
  SignalStopper(const SignalStopper&) = delete;
  SignalStopper& operator=(const SignalStopper&) = delete;
  bool signalled() const { return signalled_; }

 private:
  std::atomic<bool> done_{false};
  std::atomic<bool> signalled_{false};
  std::thread thread_;
};

// "90s", "2m", "1h", "500ms" or a plain number of seconds; InvalidArgument naming `flag`.
util::Result<int64_t> ParseDurationMs(const std::string& text, const std::string& flag);

struct DeviceNetwork {
  fleet::Economics economics;
  int64_t epoch_ms = 30'000;
  int64_t genesis_ms = 0;
  uint32_t resource_class = 0;                 // index of the class in [[resource_classes]]
  int64_t beacon_interval_ms = 6 * 3'600'000;  // [proofs] beacon_interval
  std::vector<fleet::FleetClass> classes;      // LoadFleetClasses
};
// Reads <data>/network.toml; NotFound naming `class_name` if the network has no such class,
// InvalidArgument if that class does not accept heartbeats, speedtests and data transfer.
util::Result<DeviceNetwork> LoadDeviceNetwork(const std::string& data_dir,
                                              const std::string& class_name);

// Reads <data>/network.toml and a class mix "wireless:50,hotspot:30,sensor:20" (weights; a bare
// name weighs 1). Each class's devices are emulated by what its proofs say: coverage_beacon and
// coverage_witness -> PoC hotspots, sensor_batch -> weather stations, heartbeat + speedtest +
// data_transfer -> mobile hotspots. NotFound for an unknown class, InvalidArgument for a class
// the fleet cannot emulate or a malformed mix.
util::Result<DeviceNetwork> LoadFleetClasses(const std::string& data_dir, const std::string& mix);

}  // namespace depin::cli
