// HealthBoard (see health_board.h).
#include "node/health_board.h"

#include <spdlog/spdlog.h>

namespace depin::node {

HealthBoard::HealthBoard(http::metrics::Registry* registry) {
  if (registry == nullptr) return;
  gauge_ = &registry->AddGauge("depin_component_degraded",
                               "1 while a component is repairing itself after an error (see "
                               "GET /v1/health), else 0.",
                               {"component"});
  for (const char* component : {"report_log", "ledger"}) gauge_->WithLabels({component}).Set(0);
}

void HealthBoard::Set(const std::string& component, const util::Status& health) {
  bool changed = false;
  {
    std::lock_guard lock(mu_);
    auto it = degraded_.find(component);
    if (health.ok()) {
      changed = it != degraded_.end();
      if (changed) degraded_.erase(it);
    } else {
      changed = it == degraded_.end() || it->second.ToString() != health.ToString();
      degraded_[component] = health;
    }
  }
  if (gauge_) gauge_->WithLabels({component}).Set(health.ok() ? 0 : 1);
  if (!changed) return;
  if (health.ok()) {
    spdlog::info("health: {} recovered", component);
  } else {
    spdlog::warn("health: {} degraded, repairing: {}", component, health.ToString());
  }
}

std::vector<HealthBoard::Degraded> HealthBoard::degraded() const {
  std::lock_guard lock(mu_);
  std::vector<Degraded> out;
  for (const auto& [component, status] : degraded_) {
    out.push_back({component, std::string(util::CodeName(status.code()))});
  }
  return out;
}

}  // namespace depin::node
