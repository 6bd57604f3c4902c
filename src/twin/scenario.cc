#include "twin/scenario.h"

#include <toml++/toml.h>

#include "twin/fields_internal.h"
#include "twin/fixed.h"

namespace depin::twin {

using internal::Fields;
using util::Status;

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kHonest:
      return "honest";
    case Role::kUptimeFarm:
      return "uptime_farm";
    case Role::kWashTrade:
      return "wash_trade";
    case Role::kSpoofer:
      return "spoofer";
  }
  return "unknown";
}

namespace {

// Parses one optional sub-table with `fill`, folding its error (first wins) into `status`.
template <typename Fn>
void Section(Fields& root, std::string_view key, bool required, std::string_view source,
             Status* status, Fn fill) {
  const toml::table* t = root.Table(key);
  if (t == nullptr) {
    if (required) root.Fail(key, "is required (a [" + std::string(key) + "] table)");
    return;
  }
  Fields f(*t, std::string(key), source);
  fill(f);
  Status st = f.Finish();
  if (status->ok() && !st.ok()) *status = st;
}

void ReadScenario(Fields& f, Scenario* s, std::string_view base_dir) {
  f.String("name", &s->name, false);
  if (f.String("network", &s->network_path, true) && !s->network_path.empty() &&
      s->network_path[0] != '/' && !base_dir.empty()) {
    s->network_path = std::string(base_dir) + "/" + s->network_path;
  }
  f.Uint("horizon_epochs", &s->horizon_epochs, true, 1, 100'000);
  f.Uint("seed", &s->seed, false);
  uint64_t cls = 0;
  if (f.Uint("resource_class", &cls, false, 0, 255)) s->resource_class = static_cast<uint32_t>(cls);
  std::string fidelity;
  if (f.String("fidelity", &fidelity, false)) {
    if (fidelity == "full") {
      f.Fail("fidelity",
             "\"full\" (signed reports through the real verifiers) is not implemented yet; use "
             "\"aggregated\" (docs/sim.md)");
    } else if (fidelity != "aggregated") {
      f.Fail("fidelity", "must be \"aggregated\" or \"full\", got \"" + fidelity + "\"");
    }
  }
}

void ReadFleet(Fields& f, FleetSpec* fl) {
  f.Uint("initial_devices", &fl->initial_devices, true, 1, 50'000'000);
  fl->max_devices = fl->initial_devices;
  f.Uint("max_devices", &fl->max_devices, false, 1, 50'000'000);
  if (fl->max_devices < fl->initial_devices) {
    f.Fail("max_devices",
           "must be at least initial_devices (" + std::to_string(fl->initial_devices) + ")");
  }
  fl->initial_owners = fl->initial_devices;
  f.Uint("initial_owners", &fl->initial_owners, false, 1, fl->initial_devices);
  f.Decimal("new_owner_share", kPpmDigits, &fl->new_owner_ppm, false, 0, kPpm);
  f.Decimal("max_join_per_epoch", kPpmDigits, &fl->max_join_ppm, false, 0, kPpm);
  f.Decimal("churn_per_epoch", kPpmDigits, &fl->churn_ppm, false, 0, kPpm);
  f.Decimal("outage_chance", kPpmDigits, &fl->outage_ppm, false, 0, kPpm);
  f.Decimal("poor_gps_share", kPpmDigits, &fl->poor_gps_ppm, false, 0, kPpm);
  f.Uint("heartbeats_per_hour", &fl->heartbeats_per_hour, false, 1, 60);
  f.UintRange("download_mbps", &fl->download_mbps, false, 1'000'000);
  f.UintRange("upload_mbps", &fl->upload_mbps, false, 1'000'000);
  f.UintRange("latency_ms", &fl->latency_ms, false, 100'000);
  Range qod{0, 0};
  if (f.UintRange("qod_percent", &qod, false, 100))
    fl->qod_ppm = {qod.lo * 10'000, qod.hi * 10'000};
  f.Uint("usage_weight_max", &fl->usage_weight_max, false, 1, 1000);
}

void ReadOperators(Fields& f, OperatorSpec* op) {
  f.Decimal("hardware_usd", kNanoDigits, &op->hardware_nanousd, true);
  f.Decimal("opex_usd_per_epoch", kNanoDigits, &op->opex_nanousd, true);
  f.Uint("payback_epochs", &op->payback_epochs, true, 1, 100'000);
  f.Uint("patience_epochs", &op->patience_epochs, true, 1, 100'000);
  f.Decimal("sell_share", kPpmDigits, &op->sell_ppm, false, 0, kPpm);
}

void ReadDemand(Fields& f, DemandSpec* d) {
  f.Decimal("usd_per_epoch", kNanoDigits, &d->usd_nanos_per_epoch, true);
  f.SignedDecimal("growth_per_epoch", kPpmDigits, &d->growth_ppm, false);
  if (d->growth_ppm <= -static_cast<int64_t>(kPpm) || d->growth_ppm > static_cast<int64_t>(kPpm)) {
    f.Fail("growth_per_epoch", "must be above -1 and at most 1");
  }
  f.Decimal("volatility", kPpmDigits, &d->volatility_ppm, false, 0, kPpm - 1);
  f.Decimal("elasticity", kPpmDigits, &d->elasticity_ppm, false, 0, 10 * kPpm);
  f.Decimal("reference_usd_per_dc", kNanoDigits, &d->reference_usd_nanos_per_dc, false);
  f.Decimal("capacity_usd_per_device", kNanoDigits, &d->capacity_nanousd_per_device, false);
  f.Shocks("shocks", &d->shocks);
}

void ReadPrice(Fields& f, PriceSpec* p) {
  std::string model = "exogenous";
  f.String("model", &model, false);
  if (model == "endogenous") {
    p->model = PriceModel::kEndogenous;
  } else if (model != "exogenous") {
    f.Fail("model", "must be \"exogenous\" or \"endogenous\", got \"" + model + "\"");
  }
  f.Decimal("initial_usd", kPriceDigits, &p->initial_usd_e8, true, 1);
  f.SignedDecimal("drift_per_epoch", kPpmDigits, &p->drift_ppm, false);
  if (p->drift_ppm <= -static_cast<int64_t>(kPpm) || p->drift_ppm > static_cast<int64_t>(kPpm)) {
    f.Fail("drift_per_epoch", "must be above -1 and at most 1");
  }
  f.Decimal("volatility", kPpmDigits, &p->volatility_ppm, false, 0, kPpm - 1);
  f.Decimal("liquidity_usd", kNanoDigits, &p->liquidity_nanousd, false);
  if (p->model == PriceModel::kEndogenous && p->liquidity_nanousd == 0) {
    f.Fail("liquidity_usd", "is required and must be positive when model = \"endogenous\"");
  }
  f.Decimal("floor_usd", kPriceDigits, &p->floor_usd_e8, false, 1);
  f.Shocks("shocks", &p->shocks);
}

void ReadPopulation(Fields& f, AttackSpec* a) {
  uint64_t sum = 0;
  for (size_t r = 0; r < kRoleCount; ++r) {
    f.Decimal(RoleName(static_cast<Role>(r)), kPpmDigits, &a->share_ppm[r], r == 0, 0, kPpm);
    sum += a->share_ppm[r];
  }
  if (sum != kPpm) {
    f.Fail("honest", "shares of honest, uptime_farm, wash_trade and spoofer sum to " +
                         FormatDecimal(sum, kPpmDigits) + ", must be 1");
  }
}

void ReadAttack(Fields& f, AttackSpec* a) {
  f.Uint("start_epoch", &a->start_epoch, false);
  f.Uint("wave_epoch", &a->wave_epoch, false);
  f.Uint("wave_devices", &a->wave_devices, false, 0, 50'000'000);
  f.Uint("farm_keys_per_origin", &a->farm_keys_per_origin, false, 1, 1'000'000);
  f.Decimal("farm_cost_usd", kNanoDigits, &a->farm_cost_nanousd, false);
  f.Decimal("farm_opex_usd_per_epoch", kNanoDigits, &a->farm_opex_nanousd, false);
  f.Decimal("wash_usd_per_epoch", kNanoDigits, &a->wash_usd_nanos, false);
  f.Uint("spoof_distance_m", &a->spoof_distance_m, false, 0, 20'000'000);
}

}  // namespace

util::Result<Scenario> ParseScenario(std::string_view text, std::string_view source_name,
                                     std::string_view base_dir) {
  Scenario s;
  s.source = std::string(source_name);
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(std::string(source_name) + ":" +
                                   std::to_string(e.source().begin.line) + ": " +
                                   std::string(e.description()));
  }
  Fields top(root, "", source_name);
  Status status;
  Section(top, "scenario", true, source_name, &status,
          [&](Fields& f) { ReadScenario(f, &s, base_dir); });
  Section(top, "fleet", true, source_name, &status, [&](Fields& f) { ReadFleet(f, &s.fleet); });
  Section(top, "operators", true, source_name, &status,
          [&](Fields& f) { ReadOperators(f, &s.operators); });
  Section(top, "demand", true, source_name, &status, [&](Fields& f) { ReadDemand(f, &s.demand); });
  Section(top, "price", true, source_name, &status, [&](Fields& f) { ReadPrice(f, &s.price); });
  s.attack.share_ppm = {kPpm, 0, 0, 0};
  Section(top, "population", false, source_name, &status,
          [&](Fields& f) { ReadPopulation(f, &s.attack); });
  Section(top, "attack", false, source_name, &status, [&](Fields& f) { ReadAttack(f, &s.attack); });
  Status top_status = top.Finish();  // unknown top-level tables first
  if (!top_status.ok()) return top_status;
  if (!status.ok()) return status;
  return s;
}

}  // namespace depin::twin
