#include "fleet/adversary_config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>

#include "util/env.h"

namespace depin::fleet {
namespace {

using util::Status;

constexpr uint64_t kMaxCount = 100'000;
constexpr std::array<std::string_view, 3> kReplayModes = {"single", "batch", "mixed"};

constexpr std::array<AdversaryParam, 6> kReplayParams = {{
    {"count", 6, 0, kMaxCount, {}, "attacker devices"},
    {"receipts_per_tick", 4, 1, 64, {}, "captured receipts each device re-wraps per tick"},
    {"mode", 2, 0, 0, kReplayModes, "single reports, one batch per tick, or alternating"},
    {"usage_permille", 50, 1, 1000, {}, "chance per tick that the victim really uses a device"},
    {"given", 4, 0, 1000, {}, "genuine receipts each device holds from earlier sessions"},
    {"liveness", 0, 0, 1, {}, "1: also heartbeats and speedtests (earns like a farm too)"},
}};
constexpr std::array<AdversaryParam, 7> kModifiedParams = {{
    {"count", 3, 0, kMaxCount, {}, "attacker devices"},
    {"receipts_per_tick", 2, 1, 64, {}, "receipts re-wrapped per device and tick"},
    {"scale_percent", 1000, 1, 100'000, {}, "byte and DC counts scaled to this percentage"},
    {"mode", 2, 0, 0, kReplayModes, "single reports, one batch per tick, or alternating"},
    {"usage_permille", 50, 1, 1000, {}, "chance per tick that the victim really uses a device"},
    {"given", 4, 0, 1000, {}, "genuine receipts each device holds from earlier sessions"},
    {"liveness", 0, 0, 1, {}, "1: also heartbeats and speedtests (earns like a farm too)"},
}};
constexpr std::array<AdversaryParam, 7> kStaleParams = {{
    {"count", 3, 0, kMaxCount, {}, "attacker devices"},
    {"receipts_per_tick", 2, 1, 64, {}, "receipts re-wrapped per device and tick"},
    {"min_age_s", 10, 1, 30 * 86'400, {}, "only receipts captured at least this long ago"},
    {"mode", 2, 0, 0, kReplayModes, "single reports, one batch per tick, or alternating"},
    {"usage_permille", 50, 1, 1000, {}, "chance per tick that the victim really uses a device"},
    {"given", 4, 0, 1000, {}, "genuine receipts each device holds from earlier sessions"},
    {"liveness", 0, 0, 1, {}, "1: also heartbeats and speedtests (earns like a farm too)"},
}};
constexpr std::array<AdversaryParam, 3> kFarmParams = {{
    {"count", 20, 0, kMaxCount, {}, "onboarded keys on the one host"},
    {"origins", 1, 1, 1, {}, "network origins (one host: always 1)"},
    {"spread_m", 8'000, 0, 50'000, {}, "claimed locations scattered over this radius"},
}};
constexpr std::array<AdversaryParam, 3> kSpreadFarmParams = {{
    {"count", 20, 0, kMaxCount, {}, "onboarded keys"},
    {"origins", 4, 2, 256, {}, "network origins the keys are spread over"},
    {"spread_m", 8'000, 0, 50'000, {}, "claimed locations scattered over this radius"},
}};
constexpr std::array<AdversaryParam, 4> kJitteredFarmParams = {{
    {"count", 20, 0, kMaxCount, {}, "onboarded keys on the one host"},
    {"origins", 1, 1, 1, {}, "network origins (one host: always 1)"},
    {"spread_m", 8'000, 0, 50'000, {}, "claimed locations scattered over this radius"},
    {"jitter", 1, 1, 1, {}, "each key its own phase, ~3 % missed ticks (honest-looking timing)"},
}};
constexpr std::array<AdversaryParam, 4> kRotatingFarmParams = {{
    {"count", 20, 0, kMaxCount, {}, "onboarded keys on the one host"},
    {"origins", 4, 2, 256, {}, "addresses (/24s) the host cycles through"},
    {"spread_m", 8'000, 0, 50'000, {}, "claimed locations scattered over this radius"},
    {"rotate_ticks", 1, 1, 1'000'000, {}, "ticks before the host moves to its next address"},
}};
constexpr std::array<AdversaryParam, 6> kWashParams = {{
    {"count", 3, 0, kMaxCount, {}, "the attacker's devices"},
    {"tokens", 1'000'000'000, 1, uint64_t{1} << 50, {}, "token base units burned for DC"},
    {"price_drop_percent", 90, 0, 99, {}, "the token price falls this much after the burn"},
    {"bytes_per_tick", 2'000'000, 24, uint64_t{1} << 40, {}, "bytes each device claims per tick"},
    {"same_owner", 0, 0, 1, {}, "1: the payer account also owns the devices (naive)"},
    {"liveness", 0, 0, 1, {}, "1: also heartbeats and speedtests (earns like a farm too)"},
}};
constexpr std::array<AdversaryParam, 6> kCollusionParams = {{
    {"count", 3, 0, kMaxCount, {}, "colluding devices"},
    {"tokens", 100'000'000, 1, uint64_t{1} << 50, {}, "token base units burned for DC"},
    {"bytes_per_receipt", 240, 1, uint64_t{1} << 32, {}, "real bytes per receipt (tiny)"},
    {"receipts_per_tick", 4, 1, 64, {}, "receipts per device and tick"},
    {"overclaim_percent", 0, 0, 100'000, {}, "bytes claimed beyond what the DC pays for"},
    {"liveness", 0, 0, 1, {}, "1: also heartbeats and speedtests (earns like a farm too)"},
}};
constexpr std::array<AdversaryParam, 4> kUplinkParams = {{
    {"count", 8, 0, kMaxCount, {}, "honest devices"},
    {"groups", 2, 1, kMaxCount, {}, "buildings; each group shares one uplink and origin"},
    {"usage_permille", 400, 0, 1000, {}, "chance per tick that a customer uses a device"},
    {"exempt", 0, 0, 1, {}, "1: the owner is a known gateway operator ([rewards.origin] exempt)"},
}};
constexpr std::array<std::string_view, 2> kSignalModels = {"flat", "radio"};

using D = AdversaryDevices;

constexpr std::array<AdversaryParam, 4> kRingParams = {{
    {"count", 10, 0, kMaxCount, {}, "colluding keys (no radio: nobody really hears them)"},
    {"spread_m", 3'000, 200, 20'000, {}, "asserted locations scattered over this radius"},
    {"signals", 1, 0, 0, kSignalModels,
     "fabricated witness signals: flat, or falling off like radio"},
    {"origins",
     10,
     1,
     kMaxCount,
     {},
     "network origins the members send from (people, not one host)"},
}};
constexpr std::array<AdversaryParam, 3> kVirtualParams = {{
    {"count", 20, 0, kMaxCount, {}, "hotspot keys on one server (one origin)"},
    {"spread_m", 3'000, 200, 20'000, {}, "asserted locations scattered over this radius"},
    {"signals", 1, 0, 0, kSignalModels,
     "fabricated witness signals: flat, or falling off like radio"},
}};
constexpr std::array<AdversaryParam, 3> kMultiKeyParams = {{
    {"count", 9, 0, kMaxCount, {}, "keys in all"},
    {"keys_per_radio", 3, 2, 16, {}, "keys sharing each real radio"},
    {"spacing_m", 300, 50, 2'000, {}, "the keys of one radio are asserted this far apart"},
}};
constexpr std::array<AdversaryParam, 2> kSpoofParams = {{
    {"count", 4, 0, kMaxCount, {}, "real radios asserting another place (GPS spoofed too)"},
    {"offset_m", 1'500, 100, 100'000, {}, "asserted location this far from the real one"},
}};
constexpr std::array<AdversaryParam, 2> kFarSpoofParams = {{
    {"count", 4, 0, kMaxCount, {}, "real radios asserting another place (GPS spoofed too)"},
    {"offset_m", 20'000, 100, 100'000, {}, "asserted location this far from the real one"},
}};
constexpr std::array<AdversaryParam, 2> kRelayParams = {{
    {"count", 4, 0, kMaxCount, {}, "real radios, each relaying a far town's beacons"},
    {"distance_m", 28'000, 10'000, 90'000, {}, "home of the radio from the relayed town's centre"},
}};
constexpr std::array<AdversaryParam, 2> kAlternatingParams = {{
    {"count", 4, 0, kMaxCount, {}, "stations"},
    {"amplitude_milli",
     800,
     1,
     20'000,
     {},
     "the two values lie this far either side of the city's"},
}};
constexpr std::array<AdversaryParam, 3> kCopyParams = {{
    {"count", 4, 0, kMaxCount, {}, "stations"},
    {"offset_milli", 300, 0, 20'000, {}, "added to the copied temperature"},
    {"lag_ticks", 4, 0, 1'000, {}, "the copy runs this many ticks behind its source"},
}};
constexpr std::array<AdversaryParam, 2> kSmoothParams = {{
    {"count", 4, 0, kMaxCount, {}, "stations"},
    {"period_ticks", 40, 4, 100'000, {}, "period of the synthetic curve"},
}};
constexpr std::array<AdversaryParam, 3> kBackfillParams = {{
    {"count", 4, 0, kMaxCount, {}, "stations"},
    {"every_ticks", 4, 1, 1'000, {}, "a backfilled batch this often, nothing live in between"},
    {"hours", 24, 2, 48, {}, "each upload covers this many hours, one sample per 15 minutes"},
}};
constexpr std::array<AdversaryParam, 2> kMajorityParams = {{
    {"count", 8, 0, kMaxCount, {}, "new stations in one area"},
    {"offset_milli", 6'000, 0, 30'000, {}, "their temperatures are this much too warm"},
}};
constexpr std::array<AdversaryParam, 3> kLoneParams = {{
    {"count", 3, 0, kMaxCount, {}, "stations, each alone in its cell"},
    {"distance_m", 12'000, 1'000, 15'000, {}, "from the nearest town centre"},
    {"offset_milli", 5'000, 0, 30'000, {}, "their temperatures are this much off"},
}};
constexpr std::array<AdversaryParam, 1> kNoHeartbeatParams = {{
    {"count", 4, 0, kMaxCount, {}, "stations sending plausible batches and no heartbeat"},
}};
constexpr std::array<AdversaryParam, 2> kRuralParams = {{
    {"count", 6, 0, kMaxCount, {}, "honest hotspots outside a town"},
    {"distance_m", 14'000, 6'000, 40'000, {}, "from the town centre"},
}};
constexpr std::array<AdversaryParam, 2> kMicroclimateParams = {{
    {"count", 6, 0, kMaxCount, {}, "honest stations in a valley, a park, on a roof"},
    {"offset_milli", 2'500, 0, 3'900, {}, "their climate's offset from the town's"},
}};
constexpr std::array<AdversaryParam, 2> kFlakyParams = {{
    {"count", 6, 0, kMaxCount, {}, "honest stations on a poor uplink"},
    {"drop_permille", 400, 0, 900, {}, "share of uploads lost"},
}};

constexpr std::array<AdversaryClass, 28> kClasses = {{
    {"receipt_replay",
     false,
     {},
     "genuine receipts a real customer gave the attacker's devices, "
     "re-wrapped again and again in new reports, single and batched, across epochs",
     kReplayParams},
    {"replay_modified",
     false,
     {},
     "captured receipts with their byte and DC counts changed "
     "(the payer's signature no longer matches)",
     kModifiedParams},
    {"stale_receipt_replay",
     false,
     {},
     "receipts of sessions that ended long ago (captured at "
     "least min_age_s earlier) replayed as new",
     kStaleParams},
    {"uptime_farm",
     false,
     {},
     "one host sending heartbeats and speedtests for dozens of "
     "onboarded keys with scattered claimed locations",
     kFarmParams},
    {"spread_farm", false, {}, "an uptime farm spread over a few origins", kSpreadFarmParams},
    {"jittered_farm",
     false,
     {},
     "an uptime farm on one host whose keys keep their own phases and "
     "miss ticks like honest devices",
     kJitteredFarmParams},
    {"rotating_farm",
     false,
     {},
     "an uptime farm on one host whose address cycles through a few /24s, "
     "each key sending most of its reports from its own one",
     kRotatingFarmParams},
    {"gateway",
     true,
     {},
     "honest: a known operator's many devices behind one uplink, its owner "
     "listed in [rewards.origin] exempt_owners",
     kUplinkParams},
    {"wash_trade",
     false,
     {},
     "an attacker customer buys DC, the price drops, then it pays its "
     "own devices for fake usage",
     kWashParams},
    {"colluding_usage",
     false,
     {},
     "a colluding customer and devices with tiny real traffic "
     "(many small receipts, optionally claiming more bytes than paid)",
     kCollusionParams},
    {"shared_uplink",
     true,
     {},
     "honest: devices in a few buildings, each building sharing one "
     "uplink and network origin",
     kUplinkParams},
    {"coverage_ring",
     false,
     {},
     "collusion ring of keys without radios, each witnessing the others' beacons with signals "
     "fabricated to fall off with the asserted distance like real radio",
     kRingParams,
     D::kHotspots},
    {"virtual_hotspots",
     false,
     {},
     "many hotspot keys on one server (one origin) witnessing each other with radio-like "
     "fabricated signals",
     kVirtualParams,
     D::kHotspots},
    {"relayed_witness",
     false,
     {},
     "a real radio at home outside a town that witnesses the town's beacons relayed over the "
     "internet, with signals fabricated to fit the distance",
     kRelayParams,
     D::kHotspots},
    {"multi_key_radio",
     false,
     {},
     "several keys on one real radio asserted a few hundred metres apart",
     kMultiKeyParams,
     D::kHotspots},
    {"location_spoof",
     false,
     {},
     "a real radio asserting (and GPS-spoofing) a place 1-2 km from where it stands",
     kSpoofParams,
     D::kHotspots},
    {"far_location_spoof",
     false,
     {},
     "a real radio asserting (and GPS-spoofing) a place 15+ km from where it stands",
     kFarSpoofParams,
     D::kHotspots},
    {"sensor_alternating",
     false,
     {},
     "a station alternating two plausible values",
     kAlternatingParams,
     D::kStations},
    {"sensor_neighbour_copy",
     false,
     {},
     "a station copying a neighbour's published data with an offset and a lag",
     kCopyParams,
     D::kStations},
    {"sensor_smooth",
     false,
     {},
     "a smooth synthetic series without measurement noise",
     kSmoothParams,
     D::kStations},
    {"sensor_backfill",
     false,
     {},
     "a whole day of samples sent at its end",
     kBackfillParams,
     D::kStations},
    {"sensor_majority",
     false,
     {},
     "a local majority of new stations in one area, all too warm by the same offset",
     kMajorityParams,
     D::kStations},
    {"sensor_lone_station",
     false,
     {},
     "a fabricator alone in its cell, kilometres from anyone",
     kLoneParams,
     D::kStations},
    {"sensor_no_heartbeat",
     false,
     {},
     "a station that never sends a heartbeat",
     kNoHeartbeatParams,
     D::kStations},
    {"rural_hotspots",
     true,
     {},
     "honest: hotspots outside a town with few neighbours",
     kRuralParams,
     D::kHotspots},
    {"microclimate_stations",
     true,
     {},
     "honest: stations in a microclimate a few degrees off",
     kMicroclimateParams,
     D::kStations},
    {"flaky_sensors",
     true,
     {},
     "honest: stations losing many of their uploads",
     kFlakyParams,
     D::kStations},
}};

Status FileError(std::string_view source, uint32_t line, std::string_view field,
                 std::string_view message) {
  std::string out = std::string(source) + ":" + std::to_string(line) + ": ";
  if (!field.empty()) out += std::string(field) + ": ";
  return Status::InvalidArgument(out + std::string(message));
}

uint32_t LineOf(const toml::node& node) {
  return static_cast<uint32_t>(std::max<toml::source_index>(1, node.source().begin.line));
}

std::string Choices(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

std::string ClassNames() {
  std::vector<std::string_view> names;
  for (const AdversaryClass& c : kClasses) names.push_back(c.name);
  return Choices(names);
}

// Reads one parameter's value into *out.
Status ReadParam(const AdversaryParam& p, const toml::node& value, std::string_view source,
                 const std::string& field, uint64_t* out) {
  if (!p.choices.empty()) {
    const std::optional<std::string_view> s = value.value<std::string_view>();
    if (!s) return FileError(source, LineOf(value), field, "want one of " + Choices(p.choices));
    auto it = std::find(p.choices.begin(), p.choices.end(), *s);
    if (it == p.choices.end()) {
      return FileError(source, LineOf(value), field,
                       "\"" + std::string(*s) + "\" is not one of " + Choices(p.choices));
    }
    *out = static_cast<uint64_t>(it - p.choices.begin());
    return Status::Ok();
  }
  std::optional<int64_t> v = value.value_exact<int64_t>();
  if (!v) {
    if (const std::optional<bool> b = value.value_exact<bool>()) v = *b ? 1 : 0;
  }
  if (!v || *v < 0) return FileError(source, LineOf(value), field, "want a non-negative integer");
  const uint64_t u = static_cast<uint64_t>(*v);
  if (u < p.min || u > p.max) {
    return FileError(
        source, LineOf(value), field,
        std::to_string(u) + " is outside " + std::to_string(p.min) + ".." + std::to_string(p.max));
  }
  *out = u;
  return Status::Ok();
}

util::Result<AdversarySpec> ReadClass(const AdversaryClass& c, const toml::table& table,
                                      std::string_view source) {
  AdversarySpec spec;
  spec.class_name = std::string(c.name);
  spec.honest = c.honest;
  spec.devices = c.devices;
  spec.line = LineOf(table);
  if (!c.not_runnable.empty()) {
    return FileError(source, spec.line, c.name, "not yet runnable: " + std::string(c.not_runnable));
  }
  for (const auto& [key, value] : table) {
    const std::string_view name = key.str();  // clang 14 cannot capture a structured binding
    const std::string field = std::string(c.name) + "." + std::string(name);
    auto it = std::find_if(c.params.begin(), c.params.end(),
                           [&](const AdversaryParam& p) { return p.name == name; });
    if (it == c.params.end()) {
      std::vector<std::string_view> names;
      for (const AdversaryParam& p : c.params) names.push_back(p.name);
      return FileError(source, LineOf(value), field,
                       "unknown field (known: " + Choices(names) + ")");
    }
    uint64_t v = 0;
    DEPIN_RETURN_IF_ERROR(ReadParam(*it, value, source, field, &v));
    spec.params[std::string(it->name)] = v;
  }
  for (const AdversaryParam& p : c.params)
    spec.params.emplace(std::string(p.name), p.default_value);
  spec.count = spec.Param("count");
  return spec;
}

}  // namespace

std::span<const AdversaryClass> AdversaryClasses() { return kClasses; }

const AdversaryClass* FindAdversaryClass(std::string_view name) {
  for (const AdversaryClass& c : kClasses) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

uint64_t AdversarySpec::Param(std::string_view name) const {
  auto it = params.find(name);
  return it == params.end() ? 0 : it->second;
}

util::Result<std::vector<AdversarySpec>> ParseAdversaries(std::string_view text,
                                                          std::string_view source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return FileError(source, std::max<uint32_t>(1, e.source().begin.line), "",
                     "TOML syntax error: " + std::string(e.description()));
  }
  std::vector<std::pair<uint32_t, AdversarySpec>> specs;
  for (const auto& [key, value] : root) {
    const AdversaryClass* c = FindAdversaryClass(key.str());
    if (c == nullptr) {
      return FileError(source, LineOf(value), key.str(),
                       "unknown adversary class (known: " + ClassNames() + ")");
    }
    const toml::table* table = value.as_table();
    if (table == nullptr) {
      return FileError(source, LineOf(value), key.str(),
                       "want a table ([" + std::string(c->name) + "])");
    }
    DEPIN_ASSIGN_OR_RETURN(AdversarySpec spec, ReadClass(*c, *table, source));
    specs.emplace_back(spec.line, std::move(spec));
  }
  // toml++ tables iterate in key order; the file's order is the one people read.
  std::stable_sort(specs.begin(), specs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<AdversarySpec> out;
  for (auto& [line, spec] : specs) out.push_back(std::move(spec));
  return out;
}

util::Result<std::vector<AdversarySpec>> LoadAdversaries(const std::string& path) {
  util::Result<util::Bytes> raw = util::Env::Default()->ReadFile(path);
  if (!raw.ok()) return raw.status().WithContext("adversary file");
  return ParseAdversaries(util::AsChars(*raw), path);
}

std::string_view DefaultAdversariesToml() {
  return R"(# The adversary set `depin bench fraud` runs by default (src/fleet/adversary_config.cc
# holds the same text). One table per class; docs/fleet.md lists every class and parameter.
[receipt_replay]
count = 6
receipts_per_tick = 4
mode = "mixed"

[replay_modified]
count = 3
scale_percent = 1000

[stale_receipt_replay]
count = 4
receipts_per_tick = 4
min_age_s = 10

[uptime_farm]
count = 40
spread_m = 8000

[jittered_farm]
count = 20

[rotating_farm]
count = 20
origins = 4
rotate_ticks = 1

[spread_farm]
count = 20
origins = 4

[wash_trade]
count = 3
tokens = 1000000000
price_drop_percent = 90

[colluding_usage]
count = 3
bytes_per_receipt = 240
receipts_per_tick = 4

[shared_uplink]
count = 8
groups = 2

[gateway]
count = 8
groups = 1
exempt = 1
)";
}

}  // namespace depin::fleet
