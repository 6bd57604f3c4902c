#include "twin/model.h"

#include <algorithm>

#include "rewards/compute.h"
#include "twin/model_internal.h"
#include "verify/registry.h"
#include "verify/uptime_verifier.h"

namespace depin::twin {

using util::Status;

verify::Key DeviceKey(uint64_t index) {
  verify::Key k;
  for (size_t b = 0; b < 8; ++b) k.bytes[31 - b] = static_cast<uint8_t>(index >> (8 * b));
  return k;
}

uint64_t DeviceIndex(const verify::Key& key) {
  uint64_t index = 0;
  for (size_t b = 24; b < 32; ++b) index = (index << 8) | key.bytes[b];
  return index;
}

verify::Location DeviceLocation(uint64_t index) {
  // A 1000 x 1000 grid of ~1.1 km cells north-east of (40 N, 0 E).
  return {400'000'000 + static_cast<int32_t>(index % 1000) * 100'000,
          static_cast<int32_t>((index / 1000) % 1000) * 100'000};
}

namespace {

internal::ClassProofs ProofsOf(const NetworkParams& network, uint32_t cls) {
  internal::ClassProofs p;
  const auto& classes = network.rewards.verifiers.classes;
  verify::KindMask kinds = 0;
  if (classes.empty()) {  // no classes configured: uptime, speedtest and usage for everyone
    kinds = verify::KindBitOf(verify::ReportKind::kHeartbeat) |
            verify::KindBitOf(verify::ReportKind::kSpeedtest) |
            verify::KindBitOf(verify::ReportKind::kDataTransfer);
  } else if (cls < classes.size()) {
    kinds = classes[cls].kinds;
  }
  p.heartbeat = kinds & verify::KindBitOf(verify::ReportKind::kHeartbeat);
  p.speedtest = kinds & verify::KindBitOf(verify::ReportKind::kSpeedtest);
  p.usage = kinds & verify::KindBitOf(verify::ReportKind::kDataTransfer);
  p.sensor = kinds & verify::KindBitOf(verify::ReportKind::kSensorBatch);
  return p;
}

uint64_t Pow10(uint32_t n) {
  uint64_t v = 1;
  for (uint32_t i = 0; i < n; ++i) v *= 10;
  return v;
}

}  // namespace

Status CheckScenarioOnNetwork(const Scenario& s, const NetworkParams& net) {
  const std::string where = s.source + ": scenario.resource_class: ";
  const auto& classes = net.rewards.verifiers.classes;
  if (!classes.empty() && s.resource_class >= classes.size()) {
    return Status::InvalidArgument(where + "class " + std::to_string(s.resource_class) +
                                   " is not in the network file (it defines " +
                                   std::to_string(classes.size()) + ")");
  }
  if (!classes.empty()) {
    const verify::KindMask kinds = classes[s.resource_class].kinds;
    const verify::KindMask coverage = verify::KindBitOf(verify::ReportKind::kCoverageBeacon) |
                                      verify::KindBitOf(verify::ReportKind::kCoverageWitness);
    if (kinds & coverage) {
      return Status::InvalidArgument(
          where + "class " + classes[s.resource_class].name +
          " uses proof of coverage, which aggregated fidelity does not model yet (docs/sim.md)");
    }
    if (!(kinds & verify::KindBitOf(verify::ReportKind::kHeartbeat))) {
      return Status::InvalidArgument(where + "class " + classes[s.resource_class].name +
                                     " has no heartbeat proof; the twin models devices by "
                                     "their uptime and location (docs/sim.md)");
    }
  }
  if (net.ledger.epoch_length_ms > 64ull * 3'600'000) {
    return Status::InvalidArgument(s.source +
                                   ": the network's epoch is longer than 64 hours, more than an "
                                   "uptime hour bitmap holds");
  }
  verify::EpochWindow window{0, 0, net.ledger.epoch_length_ms};
  DEPIN_RETURN_IF_ERROR(verify::ValidateVerifyParams(net.rewards.verify, window));
  DEPIN_RETURN_IF_ERROR(rewards::ValidateRewardConfig(net.rewards));
  return ledger::ValidateEmissionParams(net.ledger.emission);
}

namespace internal {

Twin::Twin(const Scenario& s, const NetworkParams& net, uint64_t run)
    : s_(s),
      net_(net),
      rng_(RunSeed(s.seed, run)),
      emission_(net.ledger.emission),
      proofs_(ProofsOf(net, s.resource_class)) {
  epoch_ms_ = net.ledger.epoch_length_ms;
  epoch_hours_ =
      static_cast<uint32_t>(std::clamp<uint64_t>((epoch_ms_ + 3'599'999) / 3'600'000, 1, 64));
  unit_ = Pow10(net.ledger.token_decimals);
  const verify::VerifyParams& vp = net.rewards.verify;
  trust_good_ = verify::LocationTrustPpm(vp, 0);
  trust_poor_ = verify::LocationTrustPpm(vp, 350'000);  // 350 m: HIP-style second step
  trust_spoof_ = verify::LocationTrustPpm(vp, s.attack.spoof_distance_m * 1000);
  for (const ledger::GenesisAllocation& a : net.ledger.allocations) supply_ += a.amount;
  price_e8_ = s.price.initial_usd_e8;
  demand_level_ = s.demand.usd_nanos_per_epoch;
  owners_ = static_cast<uint32_t>(s.fleet.initial_owners);
  devices_.reserve(s.fleet.initial_devices);
  for (uint64_t i = 0; i < s.fleet.initial_devices; ++i) AddDevice(Role::kHonest, 0);
  // The initial devices are spread evenly over the initial owners (device i: owner i % owners).
  for (uint64_t i = 0; i < devices_.size(); ++i) {
    devices_[i].owner = static_cast<uint32_t>(i % s.fleet.initial_owners);
  }
  owners_ = static_cast<uint32_t>(s.fleet.initial_owners);
  joined_next_ = s.fleet.initial_devices;
}

EpochRow Twin::InitialRow() const {
  EpochRow r;
  r.registered = devices_.size();
  r.active = active_;
  r.price_usd_e8 = price_e8_;
  r.supply = supply_;
  return r;
}

// Tokens (base units) customers burn for `nanousd` at the epoch's price.
uint64_t Twin::TokensForUsd(uint64_t nanousd) const {
  return MulDiv(nanousd, unit_, price_e8_ * 10);
}
// DC the ledger credits for burning `tokens` (state_machine.cc: amount x price_e8 x 10 /
// (usd_nanos_per_dc x 10^decimals), floored).
uint64_t Twin::DcForTokens(uint64_t tokens) const {
  return static_cast<uint64_t>(static_cast<u128>(tokens) * (price_e8_ * 10) /
                               (static_cast<u128>(net_.ledger.usd_nanos_per_dc) * unit_));
}
uint64_t Twin::UsdForTokens(uint64_t tokens) const { return MulDiv(tokens, price_e8_ * 10, unit_); }

uint64_t Twin::ServedDemand() const {
  uint64_t d = demand_level_;
  // Linear price elasticity around the reference DC price: +10 % DC price, -elasticity x 10 %.
  const uint64_t ref = s_.demand.reference_usd_nanos_per_dc;
  const uint64_t dc_price = net_.ledger.usd_nanos_per_dc;
  if (s_.demand.elasticity_ppm > 0 && ref > 0 && dc_price != ref) {
    const int64_t rel_ppm =
        static_cast<int64_t>(MulDiv(dc_price, kPpm, ref)) - static_cast<int64_t>(kPpm);
    // |rel_ppm| <= 1e12 / ref and elasticity <= 1e7, so the product fits when clamped first.
    const int64_t rel = std::clamp<int64_t>(rel_ppm, -1'000'000'000, 1'000'000'000);
    const int64_t change =
        -(rel * static_cast<int64_t>(s_.demand.elasticity_ppm) / static_cast<int64_t>(kPpm));
    d = ScaleSigned(d, std::min<int64_t>(change, static_cast<int64_t>(kPpm)));
  }
  if (s_.demand.capacity_nanousd_per_device > 0) {
    d = std::min(d, MulDiv(active_, s_.demand.capacity_nanousd_per_device, 1));
  }
  return d;
}

void Twin::UpdatePrice(uint64_t epoch, uint64_t buys, uint64_t sells) {
  int64_t delta = s_.price.drift_ppm;
  if (s_.price.volatility_ppm > 0)
    delta += rng_.Symmetric(static_cast<uint32_t>(s_.price.volatility_ppm));
  if (s_.price.model == PriceModel::kEndogenous) {
    const u128 liquidity = s_.price.liquidity_nanousd;
    const u128 gap = buys > sells ? buys - sells : sells - buys;
    const int64_t move = static_cast<int64_t>(std::min<u128>(gap * kPpm / liquidity, kPpm));
    delta += buys >= sells ? move : -move;
  }
  delta = std::clamp<int64_t>(delta, -900'000, 1'000'000);
  price_e8_ = ScaleSigned(price_e8_, delta);
  for (const Shock& sh : s_.price.shocks) {
    if (sh.epoch == epoch + 1) price_e8_ = MulDiv(price_e8_, sh.factor_ppm, kPpm);
  }
  price_e8_ = std::max(price_e8_, s_.price.floor_usd_e8);
  // Demand for the next epoch.
  int64_t growth = s_.demand.growth_ppm;
  if (s_.demand.volatility_ppm > 0)
    growth += rng_.Symmetric(static_cast<uint32_t>(s_.demand.volatility_ppm));
  demand_level_ = ScaleSigned(demand_level_, growth);
  for (const Shock& sh : s_.demand.shocks) {
    if (sh.epoch == epoch + 1) demand_level_ = MulDiv(demand_level_, sh.factor_ppm, kPpm);
  }
}

util::Result<EpochRow> Twin::Step(uint64_t epoch, const EpochObserver& observer) {
  if (epoch == 0) {  // shocks at epoch 0 apply before it starts
    for (const Shock& sh : s_.price.shocks) {
      if (sh.epoch == 0)
        price_e8_ = std::max(MulDiv(price_e8_, sh.factor_ppm, kPpm), s_.price.floor_usd_e8);
    }
    for (const Shock& sh : s_.demand.shocks) {
      if (sh.epoch == 0) demand_level_ = MulDiv(demand_level_, sh.factor_ppm, kPpm);
    }
  }
  EpochRow row;
  row.epoch = epoch;
  row.price_usd_e8 = price_e8_;
  if (s_.attack.wave_devices > 0 && epoch == s_.attack.wave_epoch) {
    for (uint64_t i = 0; i < s_.attack.wave_devices && active_ < s_.fleet.max_devices; ++i) {
      AddDevice(DrawAttackRole(), epoch);
      ++joined_next_;
    }
  }
  row.joined = joined_next_;
  row.left = left_next_;
  joined_next_ = left_next_ = 0;

  // Customers buy tokens at the epoch's price and burn them for DC (the ledger's conversion).
  row.demand_nanousd = ServedDemand();
  const uint64_t organic_tokens = TokensForUsd(row.demand_nanousd);
  const uint64_t organic_dc = DcForTokens(organic_tokens);
  BuildWork(epoch, organic_dc, organic_tokens, &row);
  DeriveWork();

  // The epoch's burns happen before its close; the close sizes the mint (node/epoch_close.cc).
  supply_ -= std::min(supply_, row.tokens_burned);
  reemit_pool_ += emission_.ReemitShare(row.tokens_burned);
  const ledger::Allowance allowance = emission_.AllowanceFor(epoch, supply_, reemit_pool_);
  row.emission_base = allowance.base;
  row.emission = allowance.total;

  rewards::RewardInputs inputs;
  inputs.emission = allowance.total;
  inputs.dc_price = {net_.ledger.usd_nanos_per_dc * unit_, price_e8_ * 10};
  inputs.prior = std::move(prior_);
  const Status computed = rewards::ComputeRewardsInto(net_.rewards, inputs, work_, &manifest_);
  if (!computed.ok()) return computed.WithContext("epoch " + std::to_string(epoch));
  const rewards::Manifest& manifest = manifest_;
  row.unallocated = manifest.unallocated_total;
  row.minted = manifest.emission - manifest.unallocated_total;
  // post_reward_root: whatever exceeds the base allowance comes out of the re-emission pool.
  const uint64_t from_pool = row.minted > allowance.base ? row.minted - allowance.base : 0;
  reemit_pool_ -= std::min(from_pool, reemit_pool_);
  supply_ += row.minted;
  row.supply = supply_;
  row.reemit_pool = reemit_pool_;
  row.root = manifest.root;
  for (const rewards::RecipientEntry& r : manifest.recipients) row.recipient_rewards += r.amount;
  if (observer) observer(work_, manifest);

  Decide(epoch, manifest, &row);
  // This epoch's leaves are the next one's prior; the old prior's buffer takes the next leaves.
  prior_ = std::move(manifest_.leaves);
  manifest_.leaves = std::move(inputs.prior);
  return row;
}

}  // namespace internal

util::Result<RunResult> RunTwin(const Scenario& scenario, const NetworkParams& network,
                                uint64_t run, const EpochObserver& observer,
                                std::atomic<uint64_t>* progress) {
  DEPIN_RETURN_IF_ERROR(CheckScenarioOnNetwork(scenario, network));
  RunResult out;
  out.run = run;
  out.seed = RunSeed(scenario.seed, run);
  internal::Twin twin(scenario, network, run);
  out.initial = twin.InitialRow();
  out.rows.reserve(scenario.horizon_epochs);
  for (uint64_t e = 0; e < scenario.horizon_epochs; ++e) {
    DEPIN_ASSIGN_OR_RETURN(EpochRow row, twin.Step(e, observer));
    out.rows.push_back(row);
    if (progress != nullptr) progress->fetch_add(1, std::memory_order_relaxed);
  }
  return out;
}

}  // namespace depin::twin
