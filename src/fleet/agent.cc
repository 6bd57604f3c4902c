#include "fleet/agent.h"

#include <chrono>

#include "fleet/claims.h"
#include "fleet/random.h"
#include "ingest/report_builder.h"
#include "util/env.h"
#include "verify/s2_cells.h"

namespace depin::fleet {

DeviceAgent::DeviceAgent(AgentOptions options, AgentKeys keys)
    : options_(std::move(options)),
      keys_(std::move(keys)),
      device_(keys_.device),
      owner_(keys_.owner) {
  if (!options_.now_ms) options_.now_ms = [] { return util::Env::Default()->NowUnixMillis(); };
  options_.behaviour.dead_permille = 0;
  options_.behaviour.flaky_permille = 0;
  device_.managed.resource_class = options_.resource_class;
  device_.managed.cell = verify::S2CellAt(options_.location, 20);
  device_.location = options_.location;
  device_.rng = sim::Rng(MixSeed(options_.seed, kStreamBehaviour, 0));
  device_.download_bps = 150'000'000;
  device_.upload_bps = 20'000'000;
  device_.latency_ms = 20;
  if (keys_.funder) funder_.emplace(*keys_.funder);
  if (keys_.price_oracle) oracle_.emplace(*keys_.price_oracle);
}

void DeviceAgent::Stop() {
  stop_ = true;
  util::MutexLock lock(mu_);
  cv_.NotifyAll();
}

bool DeviceAgent::Sleep(int64_t ms) {
  util::MutexLock lock(mu_);
  cv_.WaitFor(mu_, std::chrono::milliseconds(ms), [this] { return stop_.load(); });
  return !stop_;
}

void DeviceAgent::Event(const std::string& line) {
  if (options_.on_event) options_.on_event(line);
}

AgentStats DeviceAgent::stats() const {
  util::MutexLock lock(stats_mu_);
  return stats_;
}

util::Status DeviceAgent::Run() {
  DEPIN_ASSIGN_OR_RETURN(std::unique_ptr<NodeApi> api, NodeApi::Create(options_.node_url));
  const int64_t end = options_.duration_ms > 0 ? Now() + options_.duration_ms : INT64_MAX;
  Backoff backoff(options_.backoff, MixSeed(options_.seed, kStreamBackoff, 0));
  if (!Onboard(*api, backoff)) return util::Status::Ok();
  // The node registers the device with ingest just after its block is durable: start a moment
  // later.
  int64_t next = Now() + 500;
  uint64_t claim_from = EpochNow();  // earlier epochs hold nothing of this device
  while (!stop_ && Now() < end) {
    if (Now() >= next) {
      Report(*api, backoff, &next);
      if (options_.claim) MaybeClaim(*api, &claim_from);
    }
    if (!Sleep(std::min<int64_t>(next, end) - Now())) break;
  }
  return util::Status::Ok();
}

bool DeviceAgent::Onboard(NodeApi& api, Backoff& backoff) {
  OnboardingKeys k;
  k.owner = &owner_;
  k.maker = &keys_.maker;
  k.funder = funder_ ? &*funder_ : nullptr;
  k.price_oracle = oracle_ ? &*oracle_ : nullptr;
  OnboardingOptions o;
  o.stop = &stop_;
  Onboarding onboarding(k, {&device_.managed}, options_.economics, o);
  while (!stop_) {
    util::Result<Stage> stage = onboarding.Step(api);
    if (stage.ok()) {
      backoff.Reset();
      {
        util::MutexLock lock(stats_mu_);
        stats_.stage = std::string(StageName(*stage));
      }
      if (*stage == Stage::kDone) {
        Event("onboarded: device " + keys_.device.public_key().ToBase58() + " in cell " +
              std::to_string(device_.managed.cell));
        return true;
      }
      Event("onboarding: reached stage " + std::string(StageName(*stage)));
      continue;
    }
    const int64_t delay = backoff.NextDelayMs();
    {
      util::MutexLock lock(stats_mu_);
      ++stats_.attempts_failed;
      stats_.last_error = stage.status().ToString();
    }
    Event("onboarding: " + stage.status().ToString() + "; retrying in " + std::to_string(delay) +
          " ms");
    Sleep(delay);
  }
  return false;
}

uint64_t DeviceAgent::EpochNow() const {
  const int64_t since = std::max<int64_t>(0, Now() - options_.genesis_ms);
  return static_cast<uint64_t>(since / std::max<int64_t>(1, options_.epoch_ms));
}

// Claims the newest closed epoch once it is served (claims are cumulative, so one per epoch).
void DeviceAgent::MaybeClaim(NodeApi& api, uint64_t* next_epoch) {
  const uint64_t current = EpochNow();
  if (current == 0 || current - 1 < *next_epoch) return;
  util::Result<ClaimResult> r = ClaimEpoch(api, &owner_, keys_.device.public_key(), current - 1);
  if (!r.ok()) {
    Event("claim epoch " + std::to_string(current - 1) + ": " + r.status().ToString());
    return;
  }
  if (*r == ClaimResult::kNotClosed) return;  // try again on the next tick
  *next_epoch = current;
  if (*r == ClaimResult::kClaimed) {
    util::MutexLock lock(stats_mu_);
    ++stats_.claims;
  }
  Event("claim epoch " + std::to_string(current - 1) + ": " +
        (*r == ClaimResult::kClaimed ? "claimed" : "nothing to claim"));
}

void DeviceAgent::Report(NodeApi& api, Backoff& backoff, int64_t* next_ms) {
  const uint64_t now = static_cast<uint64_t>(Now());
  *next_ms = static_cast<int64_t>(now) + options_.behaviour.tick_ms;
  util::Result<std::string> network = api.NetworkId();
  if (!network.ok()) {
    Event("network id: " + network.status().ToString());
    return;
  }
  std::vector<wire::v1::Report> tick = Tick(device_, now, options_.behaviour, {}, *network);
  if (tick.empty()) return;
  util::Result<util::Bytes> bytes =
      tick.size() == 1 ? ingest::SignReportToBytes(tick[0], *network, keys_.device)
                       : ingest::SignBatchToBytes(tick, now, *network, keys_.device);
  if (!bytes.ok()) {
    Event("signing: " + bytes.status().ToString());
    return;
  }
  ingest::SubmissionBuilder body;
  if (tick.size() == 1) {
    body.AddSignedReport(*bytes);
  } else {
    body.AddBatch(*bytes);
  }
  util::Result<std::vector<http::SubmitResultJson>> results = api.SubmitReports(body.body());
  util::MutexLock lock(stats_mu_);
  stats_.sent += tick.size();
  if (!results.ok()) {
    ++stats_.attempts_failed;
    stats_.last_error = results.status().ToString();
    const int64_t delay = backoff.NextDelayMs();
    *next_ms = static_cast<int64_t>(now) + std::max(delay, int64_t{1});
    Event("reports: " + stats_.last_error + "; retrying in " + std::to_string(delay) + " ms");
    return;
  }
  backoff.Reset();
  uint64_t accepted = 0;
  for (const http::SubmitResultJson& r : *results) {
    if (r.status == "accepted") {
      ++stats_.accepted;
      ++accepted;
    } else if (r.status == "duplicate") {
      ++stats_.duplicate;
    } else {
      ++stats_.rejected;
      stats_.last_reject_reason = r.reason;
    }
  }
  Event(
      "reports: " + std::to_string(accepted) + "/" + std::to_string(results->size()) + " accepted" +
      (accepted == results->size() ? "" : " (last rejection: " + stats_.last_reject_reason + ")"));
}

}  // namespace depin::fleet
