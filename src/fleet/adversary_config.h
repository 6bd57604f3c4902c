// The adversary file (`depin fleet --adversaries FILE`, `depin bench fraud --adversaries FILE`):
// one TOML table per class, with how many devices the class runs and its parameters, e.g.
//
//   [receipt_replay]
//   count = 8                # attacker devices
//   receipts_per_tick = 2    # captured receipts each device re-wraps per tick
//   mode = "mixed"           # "single" reports, one "batch" per tick, or "mixed"
//
// Every class, its role (attacker, or a hard honest case measured as honest), its parameters
// with defaults and ranges, and whether it can run against today's fleet are in one table
// (AdversaryClasses(); docs/fleet.md lists them). Errors name the file, the line and the field:
// "<file>:<line>: <class>.<field>: <what>". A class that is known but cannot run yet is an error
// saying why, never silently skipped.
//
// Pure functions over constant data; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace depin::fleet {

struct AdversaryParam {
  std::string_view name;
  uint64_t default_value = 0;
  uint64_t min = 0, max = 0;
  // Non-empty: a string parameter whose value is one of these (stored as its index).
  std::span<const std::string_view> choices;
  std::string_view what;
};

// Which devices a class runs: mobile hotspots (heartbeats, speedtests, usage), PoC hotspots
// (beacons and witnesses) or weather stations (sensor batches). The engine onboards each class's
// devices in the network's resource class of that kind.
enum class AdversaryDevices : uint8_t { kMobile, kHotspots, kStations };

struct AdversaryClass {
  std::string_view name;
  bool honest = false;  // a hard honest case: measured as honest, never as an attacker
  // Empty when runnable; else why not yet (which devices the fleet lacks).
  std::string_view not_runnable;
  std::string_view what;
  std::span<const AdversaryParam> params;
  AdversaryDevices devices = AdversaryDevices::kMobile;
};

// Every known class, runnable or not.
std::span<const AdversaryClass> AdversaryClasses();
const AdversaryClass* FindAdversaryClass(std::string_view name);

struct AdversarySpec {
  std::string class_name;
  bool honest = false;
  uint64_t count = 0;
  std::map<std::string, uint64_t, std::less<>> params;  // every parameter, defaults filled in
  uint32_t line = 0;                                    // the table's line in the file
  AdversaryDevices devices = AdversaryDevices::kMobile;
  uint32_t resource_class = 0;  // set by the engine: the resource class index of its devices
  uint32_t towns = 2;  // set by the engine: hotspots/stations stand in the first this-many cities
  uint64_t Param(std::string_view name) const;  // 0 if unknown
};

// Parses adversary-file text; `source` names it in errors. Classes come back in file order.
util::Result<std::vector<AdversarySpec>> ParseAdversaries(std::string_view text,
                                                          std::string_view source);
// Reads and parses a file.
util::Result<std::vector<AdversarySpec>> LoadAdversaries(const std::string& path);

// The adversary set `depin bench fraud` runs when no file is given (testdata/adversaries/
// default.toml holds the same text).
std::string_view DefaultAdversariesToml();

}  // namespace depin::fleet
