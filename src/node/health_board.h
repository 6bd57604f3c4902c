// HealthBoard: which of the node's components are degraded right now, for GET /v1/health (503
// naming each degraded component) and the gauge depin_component_degraded{component} (1 while
// degraded). Components that repair themselves after storage errors (the report log, the ledger's
// block producer) report every change of their health here; the cause is logged, never served
// (it names files).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "http/metrics.h"
#include "util/status.h"

namespace depin::node {

class HealthBoard {
 public:
  // Registers the gauge on `registry` (may be null: no metric).
  explicit HealthBoard(http::metrics::Registry* registry);

  // The component's health: OK when healthy, else the cause (logged on each change).
  void Set(const std::string& component, const util::Status& health);

  struct Degraded {
    std::string component;
    std::string code;  // util::CodeName of the cause: stable, with no internals
  };
  std::vector<Degraded> degraded() const;

 private:
  http::metrics::Family<http::metrics::Gauge>* gauge_ = nullptr;
  mutable std::mutex mu_;
  std::map<std::string, util::Status> degraded_;  // guarded by mu_
};

}  // namespace depin::node
