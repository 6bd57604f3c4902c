// A self-contained HTML report of a twin run set (no script, no network access: inline SVG):
// supply, emission vs burn, active and registered devices, operators' profitability, price,
// reward concentration and attackers' share over time, each with the band (min..max) across
// runs and run 1's line, and the verdict. Plotting uses doubles for display only; no amount is
// derived from them. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "twin/model.h"
#include "twin/scenario.h"

namespace depin::twin {

std::string HtmlReport(const Scenario& scenario, const std::vector<RunResult>& runs);

}  // namespace depin::twin
