#include "dashboard/economy_metrics.h"

#include <string>

#include "util/mutex.h"

namespace depin::dashboard {

namespace {

int64_t Clamp(uint64_t v) {
  return v > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(v);
}

// A counter mirroring a monotonic ledger total: advanced by the difference since the last read.
struct MirroredCounter {
  http::metrics::Counter* counter = nullptr;
  uint64_t seen = 0;
  void Advance(uint64_t total) {
    if (total > seen) counter->Inc(total - seen);
    seen = total > seen ? total : seen;
  }
};

}  // namespace

struct EconomyMetrics::Families {
  util::Mutex mu;  // serializes Collect (two scrapes at once)
  http::metrics::Gauge *supply, *reward_pool, *staked, *reemit_pool;
  // What the mirrored counters last saw of the ledger's totals.
  MirroredCounter minted GUARDED_BY(mu);
  MirroredCounter burned GUARDED_BY(mu);
  MirroredCounter burned_for_credits GUARDED_BY(mu);
  MirroredCounter credits_minted GUARDED_BY(mu);
  MirroredCounter credits_spent GUARDED_BY(mu);
  http::metrics::Gauge *closed, *last, *last_end, *emission, *epoch_minted, *unallocated,
      *device_rewards, *dc_burned, *reporting, *rewarded, *flagged, *valid, *invalid;
};

EconomyMetrics::EconomyMetrics(http::metrics::Registry* registry, const ledger::Ledger* ledger,
                               EpochCache* epochs)
    : ledger_(ledger), epochs_(epochs), f_(std::make_unique<Families>()) {
  auto gauge = [registry](const char* name, const char* help) {
    return &registry->AddGauge(name, help).WithLabels({});
  };
  auto counter = [registry](const char* name, const char* help) {
    return MirroredCounter{&registry->AddCounter(name, help).WithLabels({}), 0};
  };
  Families& f = *f_;
  f.supply = gauge("depin_ledger_supply_base_units", "Token supply, base units.");
  f.reward_pool = gauge("depin_ledger_reward_pool_base_units",
                        "Rewards minted and not yet claimed, base units.");
  f.staked = gauge("depin_ledger_staked_base_units", "Tokens staked or unbonding, base units.");
  f.reemit_pool = gauge("depin_ledger_reemit_pool_base_units",
                        "Burned tokens eligible for net re-emission, base units.");
  {
    util::MutexLock lock(f.mu);  // the mirrored counters are guarded by it
    f.minted = counter("depin_ledger_minted_base_units_total", "Tokens minted, base units.");
    f.burned = counter("depin_ledger_burned_base_units_total",
                       "Tokens burned (fees, burns for data credits, slashes), base units.");
    f.burned_for_credits = counter("depin_ledger_burned_for_credits_base_units_total",
                                   "Tokens burned for data credits, base units.");
    f.credits_minted = counter("depin_ledger_credits_minted_total", "Data credits minted.");
    f.credits_spent = counter("depin_ledger_credits_spent_total", "Data credits spent.");
  }
  f.closed = gauge("depin_epochs_closed", "Closed epochs with a manifest on disk.");
  f.last = gauge("depin_epoch_last_closed", "The newest closed epoch.");
  f.last_end = gauge("depin_epoch_last_closed_end_timestamp_seconds",
                     "When the newest closed epoch ended, Unix seconds.");
  f.emission = gauge("depin_epoch_emission_base_units",
                     "The newest closed epoch's emission (base plus re-emission), base units.");
  f.epoch_minted =
      gauge("depin_epoch_minted_base_units",
            "What the newest closed epoch minted (emission - unallocated), base units.");
  f.unallocated = gauge("depin_epoch_unallocated_base_units",
                        "The newest closed epoch's unallocated emission, base units.");
  f.device_rewards = gauge("depin_epoch_device_rewards_base_units",
                           "Rewards paid to devices in the newest closed epoch, base units.");
  f.dc_burned = gauge("depin_epoch_dc_burned", "Data credits burned in the newest closed epoch.");
  http::metrics::Family<http::metrics::Gauge>& devices = registry->AddGauge(
      "depin_epoch_devices", "Devices in the newest closed epoch, by state.", {"state"});
  f.reporting = &devices.WithLabels({"reporting"});
  f.rewarded = &devices.WithLabels({"rewarded"});
  f.flagged = &devices.WithLabels({"flagged"});
  http::metrics::Family<http::metrics::Gauge>& reports = registry->AddGauge(
      "depin_epoch_reports", "Reports of the newest closed epoch, by result.", {"result"});
  f.valid = &reports.WithLabels({"valid"});
  f.invalid = &reports.WithLabels({"invalid"});
  hook_ = registry->OnCollect([this] { Collect(); });
}

EconomyMetrics::~EconomyMetrics() = default;

void EconomyMetrics::Collect() {
  Families& f = *f_;
  util::MutexLock lock(f.mu);
  util::Result<ledger::Globals> globals = ledger_->ReadGlobals();
  if (!globals.ok()) return;  // the gauges keep their last values; the ledger counts the error
  const ledger::Globals& g = *globals;
  f.supply->Set(Clamp(g.supply));
  f.reward_pool->Set(Clamp(g.reward_pool));
  f.staked->Set(Clamp(g.staked));
  f.reemit_pool->Set(Clamp(g.reemit_pool));
  f.minted.Advance(g.minted);
  f.burned.Advance(g.burned);
  f.burned_for_credits.Advance(g.burned_for_credits);
  f.credits_minted.Advance(g.credits_minted);
  f.credits_spent.Advance(g.credits_spent);

  f.closed->Set(Clamp(epochs_->Epochs().size()));
  std::shared_ptr<const EpochSummary> s = epochs_->Latest();
  if (!s) return;
  f.last->Set(Clamp(s->epoch));
  f.last_end->Set(Clamp(s->end_ms / 1000));
  f.emission->Set(Clamp(s->emission));
  f.epoch_minted->Set(Clamp(s->minted));
  f.unallocated->Set(Clamp(s->unallocated_total));
  f.device_rewards->Set(Clamp(s->device_rewards));
  f.dc_burned->Set(Clamp(s->dc_burned));
  f.reporting->Set(Clamp(s->devices_reporting));
  f.rewarded->Set(Clamp(s->devices_rewarded));
  f.flagged->Set(Clamp(s->devices_flagged));
  f.valid->Set(Clamp(s->valid_reports));
  f.invalid->Set(Clamp(s->invalid_reports));
}

}  // namespace depin::dashboard
