#include "fleet/fleet.h"

#include <algorithm>
#include <chrono>

#include "fleet/poc_world.h"
#include "fleet/random.h"
#include "ingest/report_builder.h"
#include "util/env.h"

namespace depin::fleet {
namespace {

constexpr uint64_t kDeviceBase = uint64_t{1} << 32;  // task ids: owners below, devices above
constexpr uint64_t kPriceTask = uint64_t{1} << 48;
constexpr uint64_t kFundingTask = kPriceTask + 1;
constexpr uint64_t kEntropyTask = kPriceTask + 2;
constexpr int64_t kPriceRefreshMs = 4 * 60 * 1000;  // well inside the 10-minute dev price age
constexpr size_t kMaxDevicesPerRequest = 256;
constexpr int64_t kGatherMs = 200;            // reports due within this go out together
constexpr size_t kHouseholdConnections = 64;  // per worker thread (households.h)

std::function<int64_t()> SystemClock() {
  return [] { return util::Env::Default()->NowUnixMillis(); };
}

}  // namespace

Fleet::Fleet(FleetOptions options, FleetKeys keys)
    : options_(std::move(options)),
      keys_(std::move(keys)),
      governance_(keys_.governance),
      oracle_(keys_.price_oracle),
      scheduler_(options_.now_ms ? options_.now_ms : SystemClock()) {
  if (!options_.now_ms) options_.now_ms = SystemClock();
  options_.devices_per_owner = std::max<uint32_t>(1, options_.devices_per_owner);
  options_.threads = std::max(1u, options_.threads);
  devices_.reserve(options_.devices);
  uint64_t total_weight = 0;
  for (const FleetClass& c : options_.classes) total_weight += c.weight;
  for (uint64_t i = 0; i < options_.devices; ++i) {
    if (total_weight == 0) {
      devices_.push_back(MakeDevice(options_.seed, i, options_.resource_class, options_.behaviour));
      continue;
    }
    // The device's class from its own stream, by weight: adding devices never moves others.
    uint64_t pick = MixSeed(options_.seed, kStreamClass, i) % total_weight;
    const FleetClass* cls = &options_.classes.back();
    for (const FleetClass& c : options_.classes) {
      if (pick < c.weight) {
        cls = &c;
        break;
      }
      pick -= c.weight;
    }
    devices_.push_back(
        MakeDevice(options_.seed, i, cls->resource_class, options_.behaviour, cls->kind));
  }
  neighbours_ = HotspotNeighbours(devices_);
  air_rng_ = sim::Rng(MixSeed(options_.seed, kStreamHotspot, ~uint64_t{0}));
  if (options_.world != nullptr) {
    options_.world->genesis_ms = options_.genesis_ms;
    options_.world->slot_ms =
        std::max<int64_t>(1, std::min(std::max<int64_t>(1, options_.epoch_ms),
                                      std::max<int64_t>(1, options_.beacon_interval_ms)));
  }
  for (uint32_t i = 0; i < devices_.size(); ++i) {
    if (devices_[i].kind == DeviceKind::kHotspot) hotspots_.push_back(i);
  }

  const uint64_t n_owners =
      (options_.devices + options_.devices_per_owner - 1) / options_.devices_per_owner;
  OnboardingOptions onboarding;
  onboarding.stop = &stop_;
  for (uint64_t o = 0; o < n_owners; ++o) {
    owners_.push_back(std::make_unique<NonceSigner>(DeriveKey(options_.seed, "owner", o)));
    std::vector<const ManagedDevice*> mine;
    const uint64_t end = std::min<uint64_t>(options_.devices, (o + 1) * options_.devices_per_owner);
    for (uint64_t i = o * options_.devices_per_owner; i < end; ++i) {
      mine.push_back(&devices_[i].managed);
    }
    OnboardingKeys k;
    k.owner = owners_.back().get();
    k.maker = &keys_.maker;
    k.funder = &governance_;  // only if provisioning left it short
    onboarding_.push_back(
        std::make_unique<Onboarding>(k, std::move(mine), options_.economics, onboarding));
    owner_backoff_.push_back(
        std::make_unique<Backoff>(options_.backoff, MixSeed(options_.seed, kStreamBackoff, o)));
  }
  // A router opens a new session per run: a receipt key (payer, session, sequence) is paid once,
  // ever, so a restarted fleet must not sign sequence 0 of the last run's session again.
  const uint64_t run = static_cast<uint64_t>(options_.now_ms());
  for (uint64_t c = 0; c < options_.customers; ++c) {
    customers_.push_back(std::make_unique<Customer>(
        DeriveKey(options_.seed, "customer", c), DeriveKey(options_.seed, "router", c),
        MixSeed(options_.seed ^ run, kStreamSchedule, c)));
    customer_ptrs_.push_back(customers_.back().get());
  }
  FundingOptions funding;
  funding.grant_tokens = options_.customer_tokens;
  funding.low_permille = options_.topup_permille;
  funding.stop = &stop_;
  funding.log = options_.on_log;
  funding_ = std::make_unique<CustomerFunding>(customer_ptrs_, &governance_, options_.economics,
                                               std::move(funding));
}

Fleet::~Fleet() {
  Stop();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void Fleet::Stop() {
  stop_ = true;
  scheduler_.Stop();
  util::MutexLock lock(stop_mu_);
  stop_cv_.NotifyAll();
}

bool Fleet::Sleep(int64_t ms) {
  util::MutexLock lock(stop_mu_);
  stop_cv_.WaitFor(stop_mu_, std::chrono::milliseconds(ms), [this] { return stop_.load(); });
  return !stop_;
}

void Fleet::SetError(const std::string& error) {
  util::MutexLock lock(stats_mu_);
  last_error_ = error;
}

FleetSnapshot Fleet::Snapshot() const {
  FleetSnapshot s;
  s.devices = devices_.size();
  s.owners = owners_.size();
  s.onboarded = onboarded_;
  s.owners_done = owners_done_;
  s.requests = requests_;
  s.request_failures = request_failures_;
  s.reports_sent = sent_;
  s.accepted = accepted_;
  s.duplicate = duplicate_;
  s.rejected = rejected_;
  s.customer_topups = funding_->topups();
  s.beacons = beacons_;
  s.witnesses = witnesses_;
  s.provisioned = provisioned_;
  s.onboarding_ms = onboarding_ms_;
  util::MutexLock lock(stats_mu_);
  s.reject_reasons = reasons_;
  s.last_error = last_error_;
  return s;
}

util::Status Fleet::Run() {
  DEPIN_ASSIGN_OR_RETURN(std::unique_ptr<NodeApi> api, NodeApi::Create(options_.node_url));
  const int64_t started = started_ms_ = Now();
  if (options_.duration_ms > 0) {
    threads_.emplace_back([this] {
      if (Sleep(options_.duration_ms)) Stop();
    });
  }
  Backoff backoff(options_.backoff, MixSeed(options_.seed, kStreamBackoff, ~uint64_t{0}));
  // Provisioning is idempotent (it reads the ledger first), so it is simply retried.
  while (!stop_) {
    util::Status s = Provision(*api);
    if (s.ok()) break;
    SetError("provisioning: " + s.ToString());
    if (options_.on_progress) options_.on_progress(Snapshot());
    Sleep(backoff.NextDelayMs());
  }
  if (!stop_) {
    provisioned_ = true;
    for (uint64_t o = 0; o < owners_.size(); ++o) scheduler_.Schedule(o, Now());
    scheduler_.Schedule(kPriceTask, started + kPriceRefreshMs);
    // The first check at once: an earlier run's customers may have run low while it was down.
    if (!customers_.empty()) scheduler_.Schedule(kFundingTask, Now());
    if (!hotspots_.empty() || options_.world != nullptr) {
      scheduler_.Schedule(kEntropyTask, Now());
    }
    for (unsigned t = 0; t < options_.threads; ++t) {
      threads_.emplace_back([this, t] { WorkerLoop(t); });
    }
    Monitor(*api);
  }
  Stop();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  return util::Status::Ok();
}

void Fleet::WorkerLoop(unsigned index) {
  util::Result<std::unique_ptr<NodeApi>> api = NodeApi::Create(options_.node_url);
  if (!api.ok()) return;  // Run() already parsed the same URL
  Backoff backoff(options_.backoff, MixSeed(options_.seed, kStreamBackoff, kDeviceBase + index));
  // Devices report from their own households' addresses when the node is on loopback.
  std::unique_ptr<SourceClients> households;
  if (options_.spread_households && IsLoopbackUrl(options_.node_url)) {
    households = std::make_unique<SourceClients>(options_.node_url, kHouseholdConnections);
  }
  while (true) {
    std::vector<uint64_t> due = scheduler_.WaitDue(kMaxDevicesPerRequest, kGatherMs);
    if (due.empty()) return;  // stopped
    std::vector<uint64_t> device_tasks;
    for (uint64_t task : due) {
      if (task == kPriceTask) {
        RefreshPrice(**api);
      } else if (task == kFundingTask) {
        CheckCustomers(**api);
      } else if (task == kEntropyTask) {
        RefreshEntropy(**api);
        scheduler_.Schedule(kEntropyTask,
                            Now() + std::max<int64_t>(1, options_.entropy_refresh_ms));
      } else if (task < kDeviceBase) {
        RunOperator(**api, task, *owner_backoff_[task]);
      } else {
        device_tasks.push_back(task - kDeviceBase);
      }
    }
    if (!device_tasks.empty()) SendReports(**api, device_tasks, backoff, households.get());
  }
}

void Fleet::RefreshPrice(NodeApi& api) {
  util::Result<uint64_t> nonce = oracle_.Take(api);
  util::Result<std::string> network_id = api.NetworkId();
  if (nonce.ok() && network_id.ok()) {
    ledger::Tx tx;
    tx.signer = oracle_.address();
    tx.nonce = *nonce;
    tx.body = ledger::SubmitPrice{options_.economics.price_usd_e8};
    tx.network_id = *network_id;
    ledger::SignTx(&tx, oracle_.key());
    util::Result<SubmitOutcome> out = api.SubmitTx(tx);
    if (!out.ok() || !out->pending) oracle_.Reset();
  }
  scheduler_.Schedule(kPriceTask, Now() + kPriceRefreshMs);
}

// Tops up customers running low on delegated DC; a failure (logged by CustomerFunding) is
// retried at the next check.
void Fleet::CheckCustomers(NodeApi& api) {
  util::Result<size_t> n = funding_->Check(api);
  if (!n.ok()) SetError("customer top-up: " + n.status().ToString());
  scheduler_.Schedule(kFundingTask, Now() + std::max<int64_t>(1, options_.topup_check_ms));
}

void Fleet::RunOperator(NodeApi& api, uint64_t owner, Backoff& backoff) {
  util::Result<Stage> stage = onboarding_[owner]->Step(api);
  if (!stage.ok()) {
    SetError("owner " + std::to_string(owner) + ": " + stage.status().ToString());
    scheduler_.Schedule(owner, Now() + backoff.NextDelayMs());
    return;
  }
  backoff.Reset();
  if (*stage != Stage::kDone) {  // funded or bought credits: continue at once
    scheduler_.Schedule(owner, Now());
    return;
  }
  if (!options_.admin_token.empty()) RegisterWithAdmin(api, owner);
  const uint64_t first = owner * options_.devices_per_owner;
  const uint64_t end = std::min<uint64_t>(devices_.size(), first + options_.devices_per_owner);
  onboarded_ += end - first;
  if (++owners_done_ == owners_.size()) onboarding_ms_ = Now() - started_ms_;
  // Spread the devices' first ticks over one interval, so their reports do not come in waves.
  // The node reports a tx committed only once ingest knows the device it onboarded.
  sim::Rng rng(MixSeed(options_.seed, kStreamSchedule, owner));
  const int64_t now = Now();
  for (uint64_t i = first; i < end; ++i) {
    scheduler_.Schedule(
        kDeviceBase + i,
        now + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(options_.behaviour.tick_ms))));
  }
}

void Fleet::SendReports(NodeApi& api, const std::vector<uint64_t>& device_tasks, Backoff& backoff,
                        SourceClients* households) {
  util::Result<std::string> network = api.NetworkId();
  if (!network.ok()) {  // nothing can be signed yet: try these devices again after a backoff
    SetError("network id: " + network.status().ToString());
    const int64_t retry = Now() + std::max(backoff.NextDelayMs(), options_.behaviour.tick_ms);
    for (uint64_t i : device_tasks) scheduler_.Schedule(kDeviceBase + i, retry);
    return;
  }
  const uint64_t now = static_cast<uint64_t>(Now());
  std::vector<Signed> out;
  for (uint64_t i : device_tasks) {
    EmulatedDevice& d = devices_[i];
    std::vector<wire::v1::Report> tick = Tick(d, now, options_.behaviour, customer_ptrs_, *network);
    if (tick.empty()) continue;
    if (d.kind == DeviceKind::kWeather) PublishBatches(i, tick);
    // One signature per tick: a lone report is signed alone, several as one batch.
    const bool batch = tick.size() > 1;
    util::Result<util::Bytes> bytes =
        batch ? ingest::SignBatchToBytes(tick, now, *network, d.managed.key)
              : ingest::SignReportToBytes(tick[0], *network, d.managed.key);
    if (!bytes.ok()) {
      SetError("signing: " + bytes.status().ToString());
      continue;
    }
    out.push_back({i, std::move(*bytes), batch, tick.size()});
  }
  // Beacons and the witnesses of their neighbours; each witness is sent by the witness.
  AddBeaconRounds(device_tasks, now, *network, &out);
  WitnessTheAir(*network, &out);
  int64_t next = Now() + options_.behaviour.tick_ms;
  if (households == nullptr) {
    SendFrom(api, out, backoff, &next);
  } else {
    // One request per household, from the household's own address (households.h).
    std::stable_sort(out.begin(), out.end(),
                     [](const Signed& a, const Signed& b) { return a.device < b.device; });
    for (size_t first = 0; first < out.size();) {
      size_t end = first + 1;
      while (end < out.size() && out[end].device == out[first].device) ++end;
      const std::span<const Signed> group(out.data() + first, end - first);
      util::Result<NodeApi*> from = households->For(HouseholdSource(out[first].device));
      if (!from.ok()) SetError("household source: " + from.status().ToString());
      SendFrom(from.ok() ? **from : api, group, backoff, &next);
      first = end;
    }
  }
  for (uint64_t i : device_tasks) scheduler_.Schedule(kDeviceBase + i, next);
}

void Fleet::SendFrom(NodeApi& api, std::span<const Signed> out, Backoff& backoff, int64_t* next) {
  if (out.empty()) return;
  ingest::SubmissionBuilder body;
  uint64_t reports = 0;
  for (const Signed& o : out) {
    if (o.batch) {
      body.AddBatch(o.bytes);
    } else {
      body.AddSignedReport(o.bytes);
    }
    reports += o.reports;
  }
  ++requests_;
  sent_ += reports;
  util::Result<std::vector<http::SubmitResultJson>> results = api.SubmitReports(body.body());
  if (results.ok()) {
    backoff.Reset();
    util::MutexLock lock(stats_mu_);
    for (const http::SubmitResultJson& r : *results) {
      if (r.status == "accepted") {
        ++accepted_;
      } else if (r.status == "duplicate") {
        ++duplicate_;
      } else {
        ++rejected_;
        ++reasons_[r.reason.empty() ? r.status : r.reason];
      }
    }
  } else {
    ++request_failures_;
    SetError("reports: " + results.status().ToString());
    *next = std::max(*next, Now() + std::max(backoff.NextDelayMs(), options_.behaviour.tick_ms));
  }
}

}  // namespace depin::fleet
