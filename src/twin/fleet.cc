// The fleet's behaviour in one epoch (its DeviceWork), the real derivations over it, and the
// operators' decisions after the epoch's rewards (docs/sim.md, "the model").
#include <algorithm>
#include <bit>
#include <type_traits>

#include "twin/model_internal.h"
#include "verify/fixed_point.h"
#include "verify/origin_density.h"
#include "verify/speedtest_verifier.h"
#include "verify/uptime_verifier.h"

namespace depin::twin::internal {

namespace {

constexpr uint64_t kFarmOriginBase = uint64_t{1} << 62;

// verify::OriginTally is gaining each report's receive time (issue 12: origin density weighted by
// the time slots a device spent at each origin). These two helpers compile against either form,
// so the twin builds whichever change merges first; drop the old branch once both are in.
template <typename Tally>
Tally MakeTally(size_t devices, const verify::EpochWindow& window) {
  if constexpr (std::is_constructible_v<Tally, size_t, const verify::EpochWindow&>) {
    return Tally(devices, window);
  } else {
    return Tally(devices);
  }
}
template <typename Tally>
void ObserveHome(Tally& tally, size_t index, uint64_t origin, uint64_t received_ms) {
  if constexpr (requires { tally.Observe(index, origin, received_ms); }) {
    tally.Observe(index, origin, received_ms);
  } else {
    tally.Observe(index, origin);
  }
}

}  // namespace

uint64_t Twin::OpexOf(Role role) const {
  switch (role) {
    case Role::kUptimeFarm:
      return s_.attack.farm_opex_nanousd;
    case Role::kWashTrade:
      return s_.operators.opex_nanousd + (proofs_.usage ? s_.attack.wash_usd_nanos : 0);
    default:
      return s_.operators.opex_nanousd;
  }
}

uint64_t Twin::HardwareOf(Role role) const {
  return role == Role::kUptimeFarm ? s_.attack.farm_cost_nanousd : s_.operators.hardware_nanousd;
}

Role Twin::DrawAttackRole() {
  const auto& share = s_.attack.share_ppm;
  const uint64_t attack_total = kPpm - share[0];
  if (attack_total == 0) return Role::kUptimeFarm;
  uint64_t draw = rng_.Below(attack_total);
  for (size_t r = 1; r < kRoleCount; ++r) {
    if (draw < share[r]) return static_cast<Role>(r);
    draw -= share[r];
  }
  return Role::kUptimeFarm;
}

Role Twin::DrawJoinerRole(uint64_t epoch) {
  if (epoch < s_.attack.start_epoch || s_.attack.share_ppm[0] == kPpm) return Role::kHonest;
  return rng_.Below(kPpm) < s_.attack.share_ppm[0] ? Role::kHonest : DrawAttackRole();
}

void Twin::AddDevice(Role role, uint64_t epoch) {
  const uint64_t index = devices_.size();
  Device d;
  d.role = role;
  d.joined_epoch = static_cast<uint32_t>(epoch);
  const FleetSpec& f = s_.fleet;
  d.down_mbps = static_cast<uint32_t>(rng_.Between(f.download_mbps.lo, f.download_mbps.hi));
  d.up_mbps = static_cast<uint32_t>(rng_.Between(f.upload_mbps.lo, f.upload_mbps.hi));
  d.latency_ms = static_cast<uint32_t>(rng_.Between(f.latency_ms.lo, f.latency_ms.hi));
  d.qod_ppm = static_cast<uint32_t>(rng_.Between(f.qod_ppm.lo, f.qod_ppm.hi));
  d.weight = static_cast<uint16_t>(rng_.Between(1, f.usage_weight_max));
  d.poor_gps = role == Role::kHonest && rng_.Chance(f.poor_gps_ppm);
  d.origin = index + 1;  // an honest home: its own /24
  if (role == Role::kUptimeFarm) {
    // One host runs farm_keys_per_origin keys behind one origin, all of one owner.
    if (farm_keys_in_group_ == 0) {
      farm_owner_ = owners_++;
      ++farm_groups_;
    }
    d.owner = farm_owner_;
    d.origin = kFarmOriginBase + farm_groups_;
    if (++farm_keys_in_group_ == s_.attack.farm_keys_per_origin) farm_keys_in_group_ = 0;
    // A farm claims the best speedtest tier (speedtests are self-reported).
    const auto& tiers = net_.rewards.verify.speedtest_tiers;
    if (!tiers.empty()) {
      d.down_mbps = static_cast<uint32_t>((tiers[0].min_download_bps + 999'999) / 1'000'000);
      d.up_mbps = static_cast<uint32_t>((tiers[0].min_upload_bps + 999'999) / 1'000'000);
      d.latency_ms = tiers[0].latency_below_ms > 0 ? tiers[0].latency_below_ms - 1 : 0;
    }
    d.qod_ppm = static_cast<uint32_t>(kPpm);  // fabricated data scores perfectly (docs/sim.md)
  } else if (role != Role::kHonest || devices_.empty() || rng_.Chance(s_.fleet.new_owner_ppm)) {
    d.owner = owners_++;  // attackers and new operators: an owner of their own
  } else {
    d.owner = devices_[rng_.Below(devices_.size())].owner;  // an operator adds a device
  }
  devices_.push_back(d);
  ++active_;
}

void Twin::BuildWork(uint64_t epoch, uint64_t organic_dc, uint64_t organic_tokens, EpochRow* row) {
  const verify::VerifyParams& vp = net_.rewards.verify;
  const uint64_t start = static_cast<uint64_t>(net_.ledger.genesis_time_ms) + epoch * epoch_ms_;
  work_.window = {epoch, start, start + epoch_ms_};
  work_.devices.clear();
  work_.work.clear();
  positions_.clear();
  work_.devices.reserve(active_);
  work_.work.reserve(active_);
  positions_.reserve(active_);
  uint64_t weight_total = 0;
  const uint32_t full_hours = epoch_hours_;
  const uint64_t speedtests = std::max<uint64_t>(vp.min_speedtests, 2);
  for (uint64_t i = 0; i < devices_.size(); ++i) {
    const Device& d = devices_[i];
    if (!d.active) continue;
    verify::DeviceInfo info;
    info.key = DeviceKey(i);
    info.owner = DeviceKey(0xFF00'0000'0000'0000ull | d.owner);
    info.has_asserted_location = true;
    info.asserted_location = DeviceLocation(i);
    info.registered_at_ms =
        static_cast<uint64_t>(net_.ledger.genesis_time_ms) + d.joined_epoch * epoch_ms_;
    info.resource_class = s_.resource_class;
    verify::DeviceWork w;
    // Uptime: an honest device is online all epoch unless an outage strikes; a farm never is
    // offline (nothing physical to fail).
    uint32_t hours = full_hours;
    if (d.role != Role::kUptimeFarm && rng_.Chance(s_.fleet.outage_ppm)) {
      hours = static_cast<uint32_t>(rng_.Below(full_hours));
    }
    if (hours > 0) {
      w.hour_mask = hours >= 64 ? ~uint64_t{0} : (uint64_t{1} << hours) - 1;
      w.heartbeats = static_cast<uint32_t>(hours * s_.fleet.heartbeats_per_hour);
      const uint32_t trust = d.role == Role::kSpoofer ? trust_spoof_
                             : d.poor_gps             ? trust_poor_
                                                      : trust_good_;
      w.trust_sum_ppm = uint64_t{w.heartbeats} * trust;
      w.valid_reports = w.heartbeats;
      if (proofs_.sensor) {
        w.sensor_batches = hours;
        w.valid_reports += hours;
      }
      if (proofs_.usage && d.role != Role::kUptimeFarm) weight_total += d.weight;
    }
    if (proofs_.speedtest) {
      // The speedtest verifier's judgement (speedtest_verifier.cc Judge) with the real tiers; a
      // device that sent no tests is judged too (tier "fail").
      if (hours > 0) {
        w.speedtests = static_cast<uint32_t>(speedtests);
        w.avg_download_bps = uint64_t{d.down_mbps} * 1'000'000;
        w.avg_upload_bps = uint64_t{d.up_mbps} * 1'000'000;
        w.avg_latency_ms = d.latency_ms;
        w.sum_download_bps = w.avg_download_bps * speedtests;
        w.sum_upload_bps = w.avg_upload_bps * speedtests;
        w.sum_latency_ms = w.avg_latency_ms * speedtests;
        w.valid_reports += w.speedtests;
      }
      const size_t fail = vp.speedtest_tiers.size();
      const size_t tier = w.speedtests < vp.min_speedtests
                              ? fail
                              : verify::SpeedtestTierIndex(vp, w.avg_download_bps, w.avg_upload_bps,
                                                           w.avg_latency_ms);
      w.speedtest_tier = static_cast<uint8_t>(tier);
      w.speedtest_ppm = tier == fail ? 0 : vp.speedtest_tiers[tier].multiplier_ppm;
    }
    work_.devices.push_back(info);
    work_.work.push_back(w);
    positions_.push_back(static_cast<uint32_t>(i));
  }
  row->active = active_;
  row->registered = devices_.size();
  row->dc_burned = organic_dc;
  row->tokens_burned = organic_tokens;
  if (!proofs_.usage) return;  // the network sells its service without per-device receipts
  // Organic demand: DC spread over the serving devices by weight; each device's DC carry their
  // share of the tokens burned for them (their cost basis, what the usage cap is based on).
  const uint64_t wash_tokens = TokensForUsd(s_.attack.wash_usd_nanos);
  const uint64_t wash_dc = DcForTokens(wash_tokens);
  for (size_t p = 0; p < work_.work.size(); ++p) {
    verify::DeviceWork& w = work_.work[p];
    const Device& d = devices_[positions_[p]];
    if (w.heartbeats == 0 || d.role == Role::kUptimeFarm) continue;
    if (weight_total > 0 && organic_dc > 0) {
      const uint64_t dc = MulDiv(organic_dc, d.weight, weight_total);
      if (dc > 0) {
        w.receipts = 1;
        w.dc_burned = dc;
        w.dc_basis = MulDiv(organic_tokens, dc, organic_dc);
        w.usage_bytes = dc * net_.rewards.verify.bytes_per_dc;
        w.valid_reports += 1;
      }
    }
    if (d.role == Role::kWashTrade && wash_dc > 0) {
      // Self-dealing: the owner buys DC at the epoch's price and pays its own device.
      w.receipts += 1;
      w.dc_burned += wash_dc;
      w.dc_basis += wash_tokens;
      w.self_paid_dc += wash_dc;
      w.usage_bytes += wash_dc * net_.rewards.verify.bytes_per_dc;
      w.valid_reports += 1;
      row->dc_burned += wash_dc;
      row->tokens_burned += wash_tokens;
      row->tokens_burned_wash += wash_tokens;
    }
  }
}

void Twin::DeriveWork() {
  const verify::VerifyParams& vp = net_.rewards.verify;
  // The uptime verifier's own Finish: hours from the mask, uptime_ok, floored mean trust.
  verify::UptimeLocationVerifier uptime(vp, work_.window);
  uptime.Finish(work_);
  if (proofs_.sensor) {
    // QoD units = location trust x quality of data (qod_verifier.h), without the per-cell
    // capacity or the statistical flags (not modelled in aggregated fidelity).
    for (size_t p = 0; p < work_.work.size(); ++p) {
      verify::DeviceWork& w = work_.work[p];
      w.has_proof_units = true;
      w.qod_ppm = w.heartbeats > 0 ? devices_[positions_[p]].qod_ppm : 0;
      w.proof_units = verify::ApplyPpm(w.location_trust_ppm, w.qod_ppm);
    }
  }
  // Origin density: every report of a device comes from its one origin (its home).
  auto tally = MakeTally<verify::OriginTally>(work_.devices.size(), work_.window);
  for (size_t p = 0; p < work_.work.size(); ++p) {
    if (work_.work[p].valid_reports > 0) {
      ObserveHome(tally, p, devices_[positions_[p]].origin, work_.window.start_ms);
    }
  }
  verify::ApplyOriginDensity(vp, tally, work_);
}

void Twin::Decide(uint64_t epoch, const rewards::Manifest& manifest, EpochRow* row) {
  // This epoch's reward per active device (manifest.devices and positions_ are both in key order).
  std::vector<uint64_t> reward(positions_.size(), 0);
  size_t p = 0;
  for (const rewards::DeviceEntry& e : manifest.devices) {
    const uint64_t index = DeviceIndex(e.device);
    while (p < positions_.size() && positions_[p] < index) ++p;
    if (p < positions_.size() && positions_[p] == index) reward[p] = e.amount;
  }
  owner_rewards_.resize(owners_, 0);
  uint64_t honest = 0, honest_income = 0, profitable = 0, paid_back = 0, sold_nanousd = 0;
  for (size_t q = 0; q < positions_.size(); ++q) {
    Device& d = devices_[positions_[q]];
    const uint64_t amount = reward[q];
    const uint64_t income = UsdForTokens(amount);
    const uint64_t opex = OpexOf(d.role);
    d.income_nanousd += income;
    sold_nanousd += MulDiv(income, s_.operators.sell_ppm, kPpm);
    row->device_rewards += amount;
    if (amount > 0) {
      ++row->earning;
      if (owner_rewards_[d.owner] == 0) owners_touched_.push_back(d.owner);
      owner_rewards_[d.owner] += amount;
    }
    if (d.role != Role::kHonest) {
      row->attacker_rewards += amount;
      ++row->attackers_active;
    } else {
      ++honest;
      honest_income += income;
      if (income >= opex) ++profitable;
      const u128 cost = HardwareOf(d.role) + static_cast<u128>(opex) * (epoch - d.joined_epoch + 1);
      if (d.income_nanousd >= cost) ++paid_back;
    }
    d.loss_streak = income < opex ? d.loss_streak + 1 : 0;
    // Rational operators ignore sunk hardware: they leave once the device keeps costing more to
    // run than it earns; some leave anyway (moves, failures).
    if (d.loss_streak >= s_.operators.patience_epochs || rng_.Chance(s_.fleet.churn_ppm)) {
      d.active = false;
      --active_;
      ++left_next_;
    }
  }
  row->mean_income_nanousd = honest > 0 ? honest_income / honest : 0;
  row->profitable_ppm = honest > 0 ? MulDiv(profitable, kPpm, honest) : 0;
  row->paid_back_ppm = honest > 0 ? MulDiv(paid_back, kPpm, honest) : 0;

  // Concentration by owner: top-10 share and the Nakamoto coefficient of device rewards.
  std::vector<uint64_t> by_owner;
  by_owner.reserve(owners_touched_.size());
  for (uint32_t o : owners_touched_) {
    by_owner.push_back(owner_rewards_[o]);
    owner_rewards_[o] = 0;
  }
  owners_touched_.clear();
  std::sort(by_owner.begin(), by_owner.end(), std::greater<>());
  row->owners_earning = by_owner.size();
  if (row->device_rewards > 0) {
    uint64_t top = 0;
    for (size_t i = 0; i < by_owner.size() && i < 10; ++i) top += by_owner[i];
    row->top10_owner_ppm = MulDiv(top, kPpm, row->device_rewards);
    u128 acc = 0;
    for (uint64_t v : by_owner) {
      acc += v;
      ++row->nakamoto;
      if (acc * 2 > row->device_rewards) break;
    }
  }

  // Joining: while a device's expected margin pays its hardware back within payback_epochs,
  // up to max_join of the fleet joins, scaled by how comfortably it pays back.
  const uint64_t expected = row->mean_income_nanousd;
  const uint64_t opex = s_.operators.opex_nanousd;
  uint64_t joiners = 0;
  if (expected > opex) {
    const u128 margin = static_cast<u128>(expected - opex) * s_.operators.payback_epochs;
    const u128 hw = s_.operators.hardware_nanousd;
    if (margin >= hw) {
      const uint64_t excess =
          hw == 0 ? kPpm : static_cast<uint64_t>(std::min<u128>((margin - hw) * kPpm / hw, kPpm));
      joiners =
          MulDiv(MulDiv(std::max<uint64_t>(active_, 1), s_.fleet.max_join_ppm, kPpm), excess, kPpm);
    }
  }
  // max_devices is the market's size: active devices never exceed it.
  joiners =
      std::min<uint64_t>(joiners, s_.fleet.max_devices - std::min(active_, s_.fleet.max_devices));
  for (uint64_t j = 0; j < joiners; ++j) AddDevice(DrawJoinerRole(epoch + 1), epoch + 1);
  joined_next_ += joiners;

  // Customers buy tokens to burn; operators sell part of their rewards.
  const uint64_t buys = UsdForTokens(row->tokens_burned);
  UpdatePrice(epoch, buys, sold_nanousd);
}

}  // namespace depin::twin::internal
