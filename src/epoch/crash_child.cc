// Child process for epoch_crash_test.cc: closes epoch 0 of the fixture ledger and log in
// argv[1], printing each step of the close ("computed 0", "posted 0", "settled 0") on stdout, and
// kills itself with SIGKILL right after printing the step named in argv[2] (if any) — a crash at
// exactly that point of the close, with no sleeps.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <string>

#include "crypto/ed25519.h"
#include "epoch/service.h"
#include "epoch/test_fixture.h"

int main(int argc, char** argv) {
  using namespace depin::epoch;
  using namespace depin::epoch::testing;
  if (argc < 2 || !depin::crypto::InitCrypto().ok()) return 2;
  // Errors only, to stderr: stdout carries the steps. (Not node/logging.h: the epoch is below
  // the node.)
  spdlog::set_default_logger(spdlog::stderr_color_mt("epoch_crash_child"));
  spdlog::set_level(spdlog::level::err);
  const std::string dir = argv[1];
  const std::string kill_at = argc > 2 ? argv[2] : "";
  auto l = depin::ledger::Ledger::Open(dir + "/ledger.db", FixtureParams());
  if (!l.ok()) return 3;
  TestNet net;
  constexpr int64_t kNow =
      depin::ledger::testing::kGenesisMs + static_cast<int64_t>(kEpochMs) + 60'000;
  EpochServiceOptions o;
  o.data_dir = dir;
  o.config = FixtureRewardConfig();
  o.oracle = net.oracle1;
  o.auto_claim = true;
  o.now_ms = [] { return kNow; };
  o.progress = [&](EpochStep step, uint64_t epoch) {
    const std::string_view name = EpochStepName(step);
    std::printf("%.*s %llu\n", static_cast<int>(name.size()), name.data(),
                static_cast<unsigned long long>(epoch));
    std::fflush(stdout);
    if (name == kill_at) raise(SIGKILL);
  };
  EpochService svc(std::move(o), l->get(),
                   MakeDirectSubmitter(l->get(), net.producer, [] { return kNow; }));
  auto r = svc.Close(0);
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    return 1;
  }
  std::printf("done %d %d %llu %llu\n", r->computed, r->posted_now,
              static_cast<unsigned long long>(r->settled),
              static_cast<unsigned long long>(r->claims));
  return 0;
}
