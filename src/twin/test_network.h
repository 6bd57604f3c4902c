// Test helpers for the twin's tests: a small network (the default reward mix, halving emission)
// and a scenario text with placeholders. Header-only; tests only.
#pragma once

#include <string>

#include "ledger/params.h"
#include "rewards/config.h"
#include "twin/model.h"
#include "twin/scenario.h"

namespace depin::twin::testing {

inline NetworkParams TestNetwork() {
  NetworkParams n;
  verify::Key stakers, treasury;
  stakers.bytes[0] = 0xA1;
  treasury.bytes[0] = 0xA2;
  n.rewards = rewards::DefaultRewardConfig(stakers, treasury);
  n.ledger.token_decimals = 6;
  n.ledger.epoch_length_ms = 86'400'000;
  n.ledger.emission.kind = ledger::EmissionKind::kHalving;
  n.ledger.emission.initial_per_epoch = 1'000'000'000'000;  // 1M tokens
  n.ledger.emission.halving_interval_epochs = 30;
  n.ledger.allocations.push_back({{}, 1'000'000'000'000'000});
  return n;
}

// A small scenario: `extra` is appended (e.g. a [population] and [attack] table).
inline std::string TestScenarioText(const std::string& extra = "", uint64_t devices = 200,
                                    uint64_t horizon = 40) {
  return "[scenario]\nname = \"test\"\nnetwork = \"network.toml\"\nhorizon_epochs = " +
         std::to_string(horizon) +
         "\nseed = 7\n\n"
         "[fleet]\ninitial_devices = " +
         std::to_string(devices) + "\nmax_devices = " + std::to_string(devices * 3) +
         "\ninitial_owners = " + std::to_string(devices / 4 + 1) +
         "\nnew_owner_share = \"0.5\"\nmax_join_per_epoch = \"0.05\"\n"
         "churn_per_epoch = \"0.002\"\noutage_chance = \"0.05\"\npoor_gps_share = \"0.1\"\n\n"
         "[operators]\nhardware_usd = \"300\"\nopex_usd_per_epoch = \"0.5\"\n"
         "payback_epochs = 365\npatience_epochs = 10\n\n"
         "[demand]\nusd_per_epoch = \"100\"\ngrowth_per_epoch = \"0.02\"\nvolatility = \"0.05\"\n\n"
         "[price]\nmodel = \"endogenous\"\ninitial_usd = \"0.01\"\nvolatility = \"0.03\"\n"
         "liquidity_usd = \"100000\"\n\n" +
         extra;
}

inline Scenario MustParse(const std::string& text) {
  util::Result<Scenario> s = ParseScenario(text, "test.toml", "");
  if (!s.ok()) std::abort();
  return *s;
}

}  // namespace depin::twin::testing
