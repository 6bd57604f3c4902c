#include "twin/verdict.h"

#include <algorithm>

#include "twin/fixed.h"

namespace depin::twin {

namespace {

constexpr uint64_t kHalf = kPpm / 2;
constexpr uint64_t kHealthyNakamoto = 10;
constexpr uint64_t kMaxAttackerPpm = 50'000;  // 5 %

std::string Percent(uint64_t ppm) { return FormatDecimal(ppm / 100, 2) + " %"; }
std::string Ratio(uint64_t ppm) { return FormatDecimal(ppm, kPpmDigits); }

uint64_t ActivePpm(const EpochRow& r) {
  return r.registered == 0 ? 0 : MulDiv(r.active, kPpm, r.registered);
}

}  // namespace

std::optional<uint64_t> BurnMintPpm(const EpochRow& row, bool organic) {
  if (row.minted == 0) return std::nullopt;
  const uint64_t burn = organic ? row.tokens_burned - row.tokens_burned_wash : row.tokens_burned;
  return MulDiv(burn, kPpm, row.minted);
}

std::vector<VerdictItem> JudgeRun(const Scenario& /*scenario*/, const RunResult& run) {
  std::vector<VerdictItem> out;
  const std::vector<EpochRow>& rows = run.rows;
  if (rows.empty()) return out;
  const EpochRow& last = rows.back();

  {  // 1. Demand covers emission: organic burn >= mint, sustained to the horizon.
    VerdictItem v;
    v.name = "burn_covers_emission";
    std::optional<uint64_t> first, sustained;
    for (const EpochRow& r : rows) {
      std::optional<uint64_t> ratio = BurnMintPpm(r, true);
      const bool covers = !ratio || *ratio >= kPpm;
      if (covers && !first) first = r.epoch;
      if (covers && !sustained) sustained = r.epoch;
      if (!covers) sustained.reset();
    }
    v.value_ppm = BurnMintPpm(last, true).value_or(UINT64_MAX);
    v.epoch = sustained;
    v.holds = sustained.has_value();
    v.text = "organic burn / mint at the last epoch: " +
             (BurnMintPpm(last, true) ? Ratio(v.value_ppm) : std::string("no mint")) +
             (sustained ? "; >= 1 from epoch " + std::to_string(*sustained) + " on"
              : first   ? "; reached 1 at epoch " + std::to_string(*first) + " but fell back"
                        : "; never reached 1 within the horizon");
    out.push_back(v);
  }
  {  // 2. Operators at break-even after emissions decline (base emission at most half of epoch 0).
    VerdictItem v;
    v.name = "operators_break_even_after_decline";
    std::optional<uint64_t> decline;
    for (const EpochRow& r : rows) {
      if (r.emission_base * 2 <= rows.front().emission_base) {
        decline = r.epoch;
        break;
      }
    }
    const uint64_t from = decline.value_or(last.epoch);
    std::optional<uint64_t> below;
    uint64_t at_decline = 0;
    for (const EpochRow& r : rows) {
      if (r.epoch == from) at_decline = r.profitable_ppm;
      if (r.epoch >= from && r.profitable_ppm < kHalf && !below) below = r.epoch;
    }
    v.value_ppm = last.profitable_ppm;
    v.epoch = below;
    v.holds = last.profitable_ppm >= kHalf;
    v.text = "share of active honest devices earning their opex: " + Percent(last.profitable_ppm) +
             " at the last epoch, " + Percent(at_decline) +
             (decline ? " when emission had halved (epoch " + std::to_string(*decline) + ")"
                      : " at the horizon (emission never halved within it)") +
             (below ? "; below half from epoch " + std::to_string(*below) : "") +
             "; lifetime paid back: " + Percent(last.paid_back_ppm);
    out.push_back(v);
  }
  {  // 3. Active vs registered.
    VerdictItem v;
    v.name = "active_vs_registered";
    std::optional<uint64_t> below;
    for (const EpochRow& r : rows) {
      if (ActivePpm(r) < kHalf) {
        below = r.epoch;
        break;
      }
    }
    v.value_ppm = ActivePpm(last);
    v.epoch = below;
    v.holds = v.value_ppm >= kHalf;
    v.text = std::to_string(last.active) + " of " + std::to_string(last.registered) +
             " registered devices active (" + Percent(v.value_ppm) + ")" +
             (below ? "; below half from epoch " + std::to_string(*below) : "");
    out.push_back(v);
  }
  {  // 4. Top-10 owner share.
    VerdictItem v;
    v.name = "top10_owner_share";
    uint64_t peak = 0, peak_epoch = 0;
    for (const EpochRow& r : rows) {
      if (r.top10_owner_ppm > peak) peak = r.top10_owner_ppm, peak_epoch = r.epoch;
    }
    v.value_ppm = last.top10_owner_ppm;
    v.epoch = peak_epoch;
    v.holds = last.top10_owner_ppm < kHalf;
    v.text = "the 10 best-paid owners took " + Percent(last.top10_owner_ppm) +
             " of device rewards in the last epoch (peak " + Percent(peak) + " at epoch " +
             std::to_string(peak_epoch) + ")";
    out.push_back(v);
  }
  {  // 5. Nakamoto coefficient.
    VerdictItem v;
    v.name = "nakamoto_coefficient";
    v.is_count = true;
    uint64_t low = UINT64_MAX, low_epoch = 0;
    for (const EpochRow& r : rows) {
      if (r.device_rewards > 0 && r.nakamoto < low) low = r.nakamoto, low_epoch = r.epoch;
    }
    v.value_ppm = last.nakamoto;
    v.epoch = low_epoch;
    v.holds = last.nakamoto >= kHealthyNakamoto;
    v.text = std::to_string(last.nakamoto) +
             " owners together hold more than half of the last epoch's device rewards (lowest " +
             (low == UINT64_MAX ? std::string("-") : std::to_string(low)) + " at epoch " +
             std::to_string(low_epoch) + ")";
    out.push_back(v);
  }
  {  // 6. Attackers' share of rewards.
    VerdictItem v;
    v.name = "attackers_share";
    u128 attack = 0, total = 0;
    uint64_t peak = 0, peak_epoch = 0;
    for (const EpochRow& r : rows) {
      attack += r.attacker_rewards;
      total += r.device_rewards;
      const uint64_t share =
          r.device_rewards ? MulDiv(r.attacker_rewards, kPpm, r.device_rewards) : 0;
      if (share > peak) peak = share, peak_epoch = r.epoch;
    }
    v.value_ppm = total == 0 ? 0 : static_cast<uint64_t>(attack * kPpm / total);
    v.epoch = peak_epoch;
    v.holds = v.value_ppm <= kMaxAttackerPpm;
    v.text = "attack classes took " + Percent(v.value_ppm) +
             " of all device rewards over the horizon (peak " + Percent(peak) + " at epoch " +
             std::to_string(peak_epoch) + ")";
    out.push_back(v);
  }
  return out;
}

}  // namespace depin::twin
