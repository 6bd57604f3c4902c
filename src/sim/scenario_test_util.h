// Helpers of the scenario tests (scenario_test.cc, leak_test.cc): load a scenario file, run a
// generated network through the real EpochVerifier with the coverage or QoD verifier (and the
// uptime verifier for location trust) and the real reward computation, tally rewards and flags
// per role, and check the acceptance limits. Test-only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "rewards/compute.h"
#include "sim/coverage_sim.h"
#include "sim/scenario.h"
#include "sim/weather_sim.h"
#include "verify/fixed_point.h"
#include "verify/qod_verifier.h"
#include "verify/uptime_verifier.h"

namespace depin::sim::testing {

inline constexpr uint64_t kStart = 1'704'067'200'000;
inline const verify::EpochWindow kWindow{7, kStart, kStart + 24 * 3'600'000ull};

inline Scenario Load(const char* name) {
  auto s = LoadScenario(std::string(DEPIN_SOURCE_DIR) + "/testdata/scenarios/" + name);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : Scenario{};
}

struct Outcome {
  std::map<Role, uint64_t> devices, flagged, amount;
  uint64_t total = 0;
  std::vector<verify::DeviceFlag> flags;
  verify::CoverageStats coverage;

  uint64_t SharePpm(Role role) const {
    if (total == 0 || !amount.count(role)) return 0;
    return static_cast<uint64_t>(static_cast<verify::u128>(amount.at(role)) * 1'000'000 / total);
  }
  uint64_t Flagged(Role role) const { return flagged.count(role) ? flagged.at(role) : 0; }
  uint64_t HonestDevices() const {
    uint64_t n = 0;
    for (const auto& [role, count] : devices) n += IsHonest(role) ? count : 0;
    return n;
  }
  uint64_t HonestFlagged() const {
    uint64_t n = 0;
    for (const auto& [role, count] : flagged) n += IsHonest(role) ? count : 0;
    return n;
  }
};

// Rewards the epoch and tallies amounts and flags by role.
inline Outcome Tally(const verify::EpochWork& work, const std::vector<verify::DeviceInfo>& devices,
                     const std::vector<Role>& roles, const std::vector<verify::DeviceFlag>& flags) {
  verify::Key stakers, treasury;
  stakers.bytes.fill(0xF1);
  treasury.bytes.fill(0xF2);
  rewards::RewardInputs in;
  in.emission = 1'000'000'000'000;
  in.dc_price = {1, 1};
  auto manifest =
      rewards::ComputeRewards(rewards::DefaultRewardConfig(stakers, treasury), in, work);
  EXPECT_TRUE(manifest.ok()) << manifest.status().ToString();
  Outcome o;
  o.flags = flags;
  auto role_of = [&](const verify::Key& k) {
    auto it = std::lower_bound(
        devices.begin(), devices.end(), k,
        [](const verify::DeviceInfo& d, const verify::Key& x) { return d.key < x; });
    return roles[it - devices.begin()];
  };
  for (Role r : roles) ++o.devices[r];
  for (const auto& f : flags) ++o.flagged[role_of(f.device)];
  if (!manifest.ok()) return o;
  for (const auto& d : manifest->devices) {
    o.amount[role_of(d.device)] += d.amount;
    o.total += d.amount;
  }
  return o;
}

inline Outcome RunCoverage(const CoverageScenario& sc,
                           const verify::CoverageParams& params = verify::CoverageParams{}) {
  CoverageNetwork net = GenerateCoverageNetwork(sc, kWindow);
  auto epoch = verify::EpochVerifier::Create(kWindow, verify::VerifyParams{}, net.devices).value();
  auto cov = verify::CoverageVerifier::Create(params, kWindow, epoch->devices(), net.entropy,
                                              verify::Denylist{})
                 .value();
  verify::CoverageVerifier* coverage = cov.get();
  EXPECT_TRUE(epoch->Register(std::move(cov)).ok());
  net.Run([&](const verify::ReportView& r) { epoch->Observe(r); });
  verify::EpochWork work = epoch->Finish();
  Outcome o = Tally(work, net.devices, net.roles, coverage->flags());
  o.coverage = coverage->stats();
  return o;
}

// QoD parameters for a scenario's reading cadence (the windows are in samples).
inline verify::QodParams QodParamsFor(const WeatherScenario& sc) {
  verify::QodParams params = verify::DefaultQodParams();
  const uint32_t step = sc.minutes_per_reading;
  params.expected_per_hour = 60 / step;
  for (verify::QodRule& r : params.rules) r.constancy_samples /= step;
  for (verify::QodRule& r : params.rules) {
    if (r.parameter == 4 || r.parameter == 7) r.constancy_samples = 60 / step * 3;  // wind, light
  }
  params.cell_capacity = 1'000;  // capacity is tested on its own; here every honest one earns
  return params;
}

inline Outcome RunWeather(const WeatherScenario& sc, const verify::QodParams& params) {
  WeatherNetwork net = GenerateWeatherNetwork(sc, kWindow);
  auto epoch = verify::EpochVerifier::Create(kWindow, verify::VerifyParams{}, net.devices).value();
  // Location trust comes from heartbeats (the uptime verifier), as in the node.
  EXPECT_TRUE(epoch
                  ->Register(std::make_unique<verify::UptimeLocationVerifier>(
                      verify::VerifyParams{}, kWindow))
                  .ok());
  auto q = verify::QodVerifier::Create(params, kWindow, epoch->devices()).value();
  verify::QodVerifier* qod = q.get();
  EXPECT_TRUE(epoch->Register(std::move(q)).ok());
  net.Run([&](const verify::ReportView& r) { epoch->Observe(r); });
  verify::EpochWork work = epoch->Finish();
  return Tally(work, net.devices, net.roles, qod->flags());
}

// Prints one line per role and asserts the acceptance limits: each attack class's share of
// device rewards, and the honest devices (every honest class together) flagged.
inline void CheckAndPrint(const char* name, const Scenario& sc, const Outcome& o) {
  std::printf("scenario %s: device rewards %llu\n", name, static_cast<unsigned long long>(o.total));
  ASSERT_GT(o.total, 0u);
  uint64_t attackers = 0;
  for (const auto& [role, n] : o.devices) {
    const uint64_t share_ppm = o.SharePpm(role);
    std::printf("  %-20s devices %6llu  flagged %6llu  reward share %8.4f%%\n", RoleName(role),
                static_cast<unsigned long long>(n),
                static_cast<unsigned long long>(o.Flagged(role)),
                static_cast<double>(share_ppm) / 1e4);
    if (IsHonest(role)) continue;
    attackers += o.amount.count(role) ? o.amount.at(role) : 0;
    EXPECT_LE(share_ppm, sc.max_attacker_share_ppm) << RoleName(role);
  }
  const uint64_t share_ppm =
      static_cast<uint64_t>(static_cast<verify::u128>(attackers) * 1'000'000 / o.total);
  std::printf(
      "  attackers' share %llu ppm (limit per class %u); honest flagged %llu of %llu (limit %u "
      "ppm)\n",
      static_cast<unsigned long long>(share_ppm), sc.max_attacker_share_ppm,
      static_cast<unsigned long long>(o.HonestFlagged()),
      static_cast<unsigned long long>(o.HonestDevices()), sc.max_honest_flagged_ppm);
  EXPECT_LE(o.HonestFlagged() * 1'000'000, uint64_t{sc.max_honest_flagged_ppm} * o.HonestDevices());
  // The operator-reviewable list, first lines.
  std::string report = verify::FlagReport(o.flags);
  size_t cut = 0;
  for (int line = 0; line < 3 && cut != std::string::npos; ++line) cut = report.find('\n', cut + 1);
  std::printf("flags (%zu):\n%s...\n", o.flags.size(), report.substr(0, cut).c_str());
}

}  // namespace depin::sim::testing
