// DeviceAgent: the long-running agent of one real device (`depin device run`). It brings its
// device onto the ledger (onboarding.h: fund owner -> price -> burn for DC -> onboard -> assert
// location), then reports on schedule (behaviour.h: heartbeats, speedtests) for as long as it
// runs. Whenever the node is down, restarting or refuses, the agent waits with seeded, jittered
// exponential backoff (backoff.h) and tries again; it never gives up on its own. Rewards are
// claimed by the node in dev mode (auto-claim); with `claim` set the agent claims each closed epoch
// itself, as an owner on a production network must (claims.h).
//
// Thread-safety: Run() from one thread; Stop() and stats() from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "crypto/ed25519.h"
#include "fleet/backoff.h"
#include "fleet/behaviour.h"
#include "fleet/onboarding.h"
#include "util/mutex.h"
#include "util/status.h"

namespace depin::fleet {

struct AgentKeys {
  AgentKeys(crypto::KeyPair d, crypto::KeyPair o, crypto::KeyPair m)
      : device(std::move(d)), owner(std::move(o)), maker(std::move(m)) {}
  crypto::KeyPair device;
  crypto::KeyPair owner;
  crypto::KeyPair maker;
  std::optional<crypto::KeyPair> funder;        // tops the owner up if it is short
  std::optional<crypto::KeyPair> price_oracle;  // submits a price before burning
};

struct AgentStats {
  std::string stage = "fund";
  uint64_t attempts_failed = 0;  // onboarding steps and report requests that failed
  uint64_t sent = 0, accepted = 0, duplicate = 0, rejected = 0;
  uint64_t claims = 0;  // claims this agent committed
  std::string last_error;
  std::string last_reject_reason;
};

struct AgentOptions {
  std::string node_url = "http://127.0.0.1:8080";
  uint64_t seed = 1;  // backoff jitter and behaviour
  verify::Location location;
  uint32_t resource_class = 0;
  Economics economics;
  BehaviourOptions behaviour;  // dead/flaky shares are ignored: a real agent always tries
  BackoffPolicy backoff;
  int64_t duration_ms = 0;  // 0: until Stop()
  bool claim = false;       // claim each closed epoch's reward (not needed with dev auto-claim)
  int64_t epoch_ms = 30'000;
  int64_t genesis_ms = 0;
  std::function<int64_t()> now_ms;
  // Called for each notable event: a stage reached, a failure and the delay before the retry,
  // and once per tick the report results.
  std::function<void(const std::string& line)> on_event;
};

class DeviceAgent {
 public:
  DeviceAgent(AgentOptions options, AgentKeys keys);
  // Runs until Stop() or the duration; OK then. Errors only for a malformed node URL.
  util::Status Run();
  void Stop();
  AgentStats stats() const;

 private:
  bool Onboard(NodeApi& api, Backoff& backoff);
  void Report(NodeApi& api, Backoff& backoff, int64_t* next_ms);
  void MaybeClaim(NodeApi& api, uint64_t* next_epoch);
  uint64_t EpochNow() const;
  bool Sleep(int64_t ms);
  void Event(const std::string& line);
  int64_t Now() const { return options_.now_ms(); }

  AgentOptions options_;
  AgentKeys keys_;
  EmulatedDevice device_;
  NonceSigner owner_;
  std::optional<NonceSigner> funder_, oracle_;
  std::atomic<bool> stop_{false};
  util::Mutex mu_;
  util::CondVar cv_;
  mutable util::Mutex stats_mu_;
  AgentStats stats_ GUARDED_BY(stats_mu_);
};

}  // namespace depin::fleet
