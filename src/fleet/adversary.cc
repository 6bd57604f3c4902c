// The adversary engine: receipt capture, the population base, ledger set-up and the tick loop.
// The classes themselves are in adversary_usage.cc and adversary_farm.cc. See adversary.h.
#include "fleet/adversary.h"

#include <algorithm>
#include <chrono>

#include "fleet/adversary_classes.h"
#include "fleet/backoff.h"
#include "fleet/funding.h"
#include "fleet/households.h"
#include "fleet/random.h"
#include "ingest/report_builder.h"
#include "sim/random.h"
#include "util/env.h"

namespace depin::fleet {
namespace {

constexpr uint64_t kStreamAdversary = 16;  // fleet/random.h streams 1..4; room left between
constexpr int64_t kOnboardTimeoutMs = 120'000;

}  // namespace

void ReceiptTap::Observe(const std::vector<wire::v1::Report>& reports, uint64_t now_ms) {
  util::MutexLock lock(mu_);
  for (const wire::v1::Report& r : reports) {
    if (!r.has_data_transfer()) continue;
    pool_.push_back({r.data_transfer(), now_ms});
    if (pool_.size() > capacity_) pool_.pop_front();
  }
}

std::vector<ReceiptTap::Captured> ReceiptTap::Draw(sim::Rng& rng, size_t n,
                                                   uint64_t max_captured_ms) const {
  util::MutexLock lock(mu_);
  // The pool is in capture order: receipts old enough are a prefix.
  const auto end =
      std::upper_bound(pool_.begin(), pool_.end(), max_captured_ms,
                       [](uint64_t t, const Captured& c) { return t < c.captured_ms; });
  const size_t eligible = static_cast<size_t>(end - pool_.begin());
  std::vector<Captured> out;
  if (eligible == 0) return out;
  for (size_t i = 0; i < n; ++i) out.push_back(pool_[rng.Below(eligible)]);
  return out;
}

size_t ReceiptTap::size() const {
  util::MutexLock lock(mu_);
  return pool_.size();
}

Population::Population(const AdversarySpec& spec, uint64_t seed, uint32_t index)
    : spec_(spec),
      index_(index),
      owner_(DeriveKey(MixSeed(seed, kStreamAdversary, index), "owner", 0)),
      rng_(MixSeed(seed, kStreamAdversary + 1, index)) {
  const uint64_t pop_seed = MixSeed(seed, kStreamAdversary, index);
  BehaviourOptions steady;  // populations decide their own misses
  steady.dead_permille = 0;
  steady.flaky_permille = 0;
  const DeviceKind kind = spec.devices == AdversaryDevices::kHotspots   ? DeviceKind::kHotspot
                          : spec.devices == AdversaryDevices::kStations ? DeviceKind::kWeather
                                                                        : DeviceKind::kMobile;
  for (uint64_t i = 0; i < spec.count; ++i) {
    devices_.push_back(MakeDevice(pop_seed, i, spec.resource_class, steady, kind));
    devices_.back().sensor_fault = SensorFault::kNone;  // a class decides its own faults
  }
}

util::Status Population::Setup(AdversaryContext&, int) { return util::Status::Ok(); }

void Population::Send(const EmulatedDevice& d, std::vector<wire::v1::Report> reports,
                      uint64_t now_ms, uint32_t origin, bool as_batch, std::vector<Outgoing>* out) {
  if (reports.empty()) return;
  auto emit = [&](util::Result<util::Bytes> bytes, bool batch, size_t n) {
    if (!bytes.ok()) return;  // well-formed by construction
    out->push_back({origin, std::move(*bytes), batch, static_cast<uint32_t>(n)});
  };
  if (as_batch && reports.size() > 1) {
    emit(ingest::SignBatchToBytes(reports, now_ms, network_id_, d.managed.key), true,
         reports.size());
    return;
  }
  for (const wire::v1::Report& r : reports) {
    emit(ingest::SignReportToBytes(r, network_id_, d.managed.key), false, 1);
  }
}

void Population::AddLiveness(EmulatedDevice& d, uint64_t now_ms, uint32_t share_link,
                             std::vector<wire::v1::Report>* reports) {
  const uint64_t tick = d.ticks++;
  const crypto::PublicKey& key = d.managed.key.public_key();
  const verify::Location fix =
      sim::Offset(d.location, (d.rng.Unit() - 0.5) * 16.0, (d.rng.Unit() - 0.5) * 16.0);
  reports->push_back(ingest::MakeHeartbeat(key, now_ms, fix.lat_e7, fix.lon_e7));
  if (tick % 2 == 0) {
    const uint64_t jitter = 90 + d.rng.Below(21);
    const uint64_t share = std::max<uint32_t>(1, share_link);
    reports->push_back(ingest::MakeSpeedtest(key, now_ms + 1, d.download_bps * jitter / 100 / share,
                                             d.upload_bps * jitter / 100 / share,
                                             static_cast<uint32_t>(d.latency_ms * jitter / 100)));
  }
}

util::Result<FundedCustomer> FundCustomer(AdversaryContext& ctx, const Customer& customer,
                                          uint64_t tokens) {
  NodeApi& api = *ctx.api;
  const ledger::Address& account = customer.account().public_key();
  std::vector<crypto::Hash256> ids;
  DEPIN_RETURN_IF_ERROR(SubmitNext(api, ctx.treasury, ledger::Transfer{account, tokens}, &ids));
  DEPIN_RETURN_IF_ERROR(WaitAllCommitted(api, ids, ctx.stop));
  DEPIN_ASSIGN_OR_RETURN(AccountInfo before, api.GetAccount(account));
  NonceSigner signer(customer.account());
  ids.clear();
  DEPIN_RETURN_IF_ERROR(SubmitNext(api, &signer, Burn(tokens), &ids));
  DEPIN_RETURN_IF_ERROR(WaitAllCommitted(api, ids, ctx.stop));
  DEPIN_ASSIGN_OR_RETURN(AccountInfo after, api.GetAccount(account));
  FundedCustomer f;
  f.tokens = tokens;
  f.dc = after.credits - std::min(after.credits, before.credits);
  ids.clear();
  DEPIN_RETURN_IF_ERROR(SubmitNext(
      api, &signer, ledger::DelegateCredits{customer.router().public_key(), f.dc}, &ids));
  DEPIN_RETURN_IF_ERROR(WaitAllCommitted(api, ids, ctx.stop));
  return f;
}

AdversaryEngine::AdversaryEngine(AdversaryOptions options, FleetKeys keys,
                                 std::vector<AdversarySpec> specs)
    : options_(std::move(options)),
      keys_(std::move(keys)),
      treasury_(keys_.governance),
      oracle_(keys_.price_oracle) {
  options_.tick_ms = std::max<int64_t>(100, options_.tick_ms);
  if (!options_.now_ms) options_.now_ms = [] { return util::Env::Default()->NowUnixMillis(); };
  price_usd_e8_ = options_.economics.price_usd_e8;
  for (uint32_t i = 0; i < specs.size(); ++i) {
    AdversarySpec spec = specs[i];
    spec.resource_class = options_.resource_class;
    PocWorld* world = options_.world;
    if (world) {
      spec.towns = spec.devices == AdversaryDevices::kStations ? world->station_cities
                                                               : world->hotspot_cities;
    }
    if (spec.devices == AdversaryDevices::kHotspots && world && world->hotspot_class) {
      spec.resource_class = *world->hotspot_class;
    } else if (spec.devices == AdversaryDevices::kStations && world && world->sensor_class) {
      spec.resource_class = *world->sensor_class;
    } else if (spec.devices != AdversaryDevices::kMobile) {
      missing_class_ = spec.class_name;
    }
    std::unique_ptr<Population> p = MakePopulation(spec, options_.seed, i);
    if (!p) continue;  // ParseAdversaries refuses classes without a factory
    PopulationStats s;
    s.class_name = spec.class_name;
    s.honest = spec.honest;
    s.line = spec.line;
    s.origins = p->origins();
    for (const EmulatedDevice& d : p->devices()) {
      s.device_keys.push_back(d.managed.key.public_key().ToBase58());
    }
    stats_.push_back(std::move(s));
    populations_.push_back(std::move(p));
  }
  active_ = std::make_unique<std::atomic<bool>[]>(populations_.size());
  for (size_t i = 0; i < populations_.size(); ++i) active_[i] = false;
}

AdversaryEngine::~AdversaryEngine() { Stop(); }

void AdversaryEngine::Stop() {
  stop_ = true;
  util::MutexLock lock(stop_mu_);
  stop_cv_.NotifyAll();
}

bool AdversaryEngine::Sleep(int64_t ms) {
  util::MutexLock lock(stop_mu_);
  stop_cv_.WaitFor(stop_mu_, std::chrono::milliseconds(ms), [this] { return stop_.load(); });
  return !stop_;
}

void AdversaryEngine::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

std::vector<PopulationStats> AdversaryEngine::Stats() const {
  util::MutexLock lock(stats_mu_);
  return stats_;
}

util::Status AdversaryEngine::SubmitPrice(NodeApi& api, uint64_t price_usd_e8) {
  std::vector<crypto::Hash256> ids;
  DEPIN_RETURN_IF_ERROR(SubmitNext(api, &oracle_, ledger::SubmitPrice{price_usd_e8}, &ids));
  return WaitAllCommitted(api, ids, &stop_);
}

// Every population's devices, owner by owner, through the same state machine honest operators
// use (fund from the treasury, burn, onboard with the maker, assert location).
bool AdversaryEngine::Deferred(size_t i) const {
  return options_.defer_physical && populations_[i]->spec().devices != AdversaryDevices::kMobile;
}

util::Status AdversaryEngine::OnboardAll(NodeApi& api, bool physical) {
  OnboardingOptions o;
  o.stop = &stop_;
  for (size_t i = 0; i < populations_.size(); ++i) {
    Population& p = *populations_[i];
    if (Deferred(i) != physical) continue;
    if (p.devices().empty()) {
      active_[i] = true;
      continue;
    }
    std::vector<const ManagedDevice*> mine;
    for (const EmulatedDevice& d : p.devices()) mine.push_back(&d.managed);
    OnboardingKeys k;
    k.owner = &p.owner();
    k.maker = &keys_.maker;
    k.funder = &treasury_;
    Onboarding onboarding(k, std::move(mine), options_.economics, o);
    Backoff backoff(options_.backoff, MixSeed(options_.seed, kStreamBackoff, 1'000'000 + i));
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(kOnboardTimeoutMs);
    while (true) {
      if (stop_) return util::Status::Unavailable("stopping");
      util::Result<Stage> stage = onboarding.Step(api);
      if (stage.ok() && *stage == Stage::kDone) break;
      if (std::chrono::steady_clock::now() > deadline) {
        return util::Status::Unavailable("onboarding " + p.spec().class_name + ": " +
                                         (stage.ok() ? "timed out" : stage.status().ToString()));
      }
      if (!stage.ok()) Sleep(backoff.NextDelayMs());
    }
    Log("adversaries: " + p.spec().class_name + ": " + std::to_string(p.devices().size()) +
        " devices onboarded");
    active_[i] = true;
  }
  return util::Status::Ok();
}

util::Status AdversaryEngine::OnboardDeferred() {
  DEPIN_ASSIGN_OR_RETURN(std::unique_ptr<NodeApi> api, NodeApi::Create(options_.node_url));
  treasury_.Reset();  // the fleet funded its owners with the same key since Setup
  return OnboardAll(*api, true);
}

util::Status AdversaryEngine::Setup() {
  if (!missing_class_.empty()) {
    return util::Status::FailedPrecondition(
        missing_class_ + " runs " +
        (FindAdversaryClass(missing_class_)->devices == AdversaryDevices::kHotspots
             ? "PoC hotspots"
             : "weather stations") +
        " but the network has no resource class of that kind (or no shared world was given)");
  }
  DEPIN_ASSIGN_OR_RETURN(std::unique_ptr<NodeApi> api, NodeApi::Create(options_.node_url));
  // A fresh price first: onboarding and the classes' burns need one.
  DEPIN_RETURN_IF_ERROR(SubmitPrice(*api, price_usd_e8_).WithContext("submitting the price"));
  DEPIN_RETURN_IF_ERROR(OnboardAll(*api, false));
  DEPIN_ASSIGN_OR_RETURN(std::string network_id, api->NetworkId());
  for (auto& p : populations_) p->set_network_id(network_id);
  AdversaryContext ctx;
  ctx.api = api.get();
  ctx.economics = &options_.economics;
  ctx.treasury = &treasury_;
  ctx.price_oracle = &oracle_;
  ctx.stop = &stop_;
  ctx.world = options_.world;
  ctx.seed = options_.seed;
  ctx.tick_ms = options_.tick_ms;
  for (auto& p : populations_) {
    DEPIN_RETURN_IF_ERROR(p->Setup(ctx, 0).WithContext(p->spec().class_name + " set-up"));
  }
  if (ctx.new_price_usd_e8 != 0 && ctx.new_price_usd_e8 != price_usd_e8_) {
    DEPIN_RETURN_IF_ERROR(SubmitPrice(*api, ctx.new_price_usd_e8).WithContext("price change"));
    Log("adversaries: token price moved from " + std::to_string(price_usd_e8_) + " to " +
        std::to_string(ctx.new_price_usd_e8) + " (USD e-8)");
    price_usd_e8_ = ctx.new_price_usd_e8;
    options_.economics.price_usd_e8 = price_usd_e8_;
  }
  for (auto& p : populations_) {
    DEPIN_RETURN_IF_ERROR(p->Setup(ctx, 1).WithContext(p->spec().class_name + " set-up"));
  }
  {
    util::MutexLock lock(stats_mu_);
    for (size_t i = 0; i < populations_.size(); ++i) stats_[i].paid_dc = populations_[i]->paid_dc();
  }
  ready_ = true;
  return util::Status::Ok();
}

util::Status AdversaryEngine::Run() {
  // One client per (population, origin), each leaving from its own source address when the node
  // is on loopback (households.h): a farm sends from one /24, a spread farm from `origins` /24s,
  // so the node measures the origins the attack really implies, apart from the honest fleet's.
  const bool bind = options_.bind_sources && IsLoopbackUrl(options_.node_url);
  std::map<std::pair<size_t, uint32_t>, std::unique_ptr<NodeApi>> origins;
  AdversaryContext ctx;
  ctx.economics = &options_.economics;
  ctx.stop = &stop_;
  ctx.world = options_.world;
  ctx.seed = options_.seed;
  ctx.tick_ms = options_.tick_ms;
  while (!stop_) {
    const auto tick_start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < populations_.size(); ++i) {
      if (!active_[i]) continue;  // deferred, not onboarded yet
      // Each population's reports are stamped just before they go out: stamped once for all,
      // the last population's would cross epoch boundaries (outside_epoch) after the others'
      // round trips.
      const uint64_t now = static_cast<uint64_t>(options_.now_ms());
      std::vector<Outgoing> out;
      populations_[i]->Tick(ctx, now, &out);
      std::map<uint32_t, std::pair<ingest::SubmissionBuilder, uint64_t>> by_origin;
      for (Outgoing& o : out) {
        auto& [body, n] = by_origin[o.origin];
        if (o.batch) {
          body.AddBatch(o.bytes);
        } else {
          body.AddSignedReport(o.bytes);
        }
        n += o.reports;
      }
      for (auto& [origin, entry] : by_origin) {
        std::unique_ptr<NodeApi>& api = origins[{i, origin}];
        if (!api) {
          const std::string source =
              bind ? AdversarySource(static_cast<uint32_t>(i), origin) : std::string();
          DEPIN_ASSIGN_OR_RETURN(api, NodeApi::Create(options_.node_url, source));
        }
        util::Result<std::vector<http::SubmitResultJson>> results =
            api->SubmitReports(entry.first.body());
        util::MutexLock lock(stats_mu_);
        PopulationStats& s = stats_[i];
        s.sent += entry.second;
        if (!results.ok()) {
          ++s.reject_reasons["request_failed"];
          continue;
        }
        for (const http::SubmitResultJson& r : *results) {
          if (r.status == "accepted") {
            ++s.accepted;
          } else if (r.status == "duplicate") {
            ++s.duplicate;
          } else {
            ++s.rejected;
            ++s.reject_reasons[r.reason.empty() ? r.status : r.reason];
          }
        }
      }
    }
    const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - tick_start)
                           .count();
    if (!Sleep(std::max<int64_t>(1, options_.tick_ms - spent))) break;
  }
  return util::Status::Ok();
}

std::vector<std::string> ExemptOwners(const std::vector<AdversarySpec>& specs, uint64_t seed) {
  std::vector<std::string> out;
  for (uint32_t i = 0; i < specs.size(); ++i) {
    if (specs[i].Param("exempt") == 0) continue;
    AdversarySpec owner_only = specs[i];
    owner_only.count = 0;  // the owner is all we need
    if (std::unique_ptr<Population> p = MakePopulation(owner_only, seed, i)) {
      out.push_back(p->owner().address().ToBase58());
    }
  }
  return out;
}

std::unique_ptr<Population> MakePopulation(const AdversarySpec& spec, uint64_t seed,
                                           uint32_t index) {
  if (auto p = MakeUsagePopulation(spec, seed, index)) return p;
  if (auto p = MakePocPopulation(spec, seed, index)) return p;
  if (auto p = MakeSensorPopulation(spec, seed, index)) return p;
  return MakeFarmPopulation(spec, seed, index);
}

}  // namespace depin::fleet
