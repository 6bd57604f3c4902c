// The twin's outputs: the per-epoch table in cadCAD's layout (simulation, subset, run, substep,
// timestep, then the state variables; CSV that pandas.read_csv reads as is), the summary JSON
// with every run's verdict, and writing both so that an interrupted run never leaves output
// that looks complete (summary.json is removed first and written last, each file atomically).
// docs/sim.md documents every column. Pure functions except WriteOutputs (files through Env);
// thread-safe.
#pragma once

#include <string>
#include <vector>

#include "twin/model.h"
#include "twin/verdict.h"
#include "util/env.h"
#include "util/status.h"

namespace depin::twin {

// The CSV header line (with its newline).
std::string CsvHeader();
// Rows of one run: timestep 0 (the initial state, substep 0), then one per epoch (substep 1).
// `subset` tells compared scenarios apart; runs are numbered from 1 as cadCAD does.
std::string CsvRows(const RunResult& run, uint64_t subset);

struct SummaryInput {
  const Scenario* scenario = nullptr;
  std::string network_file;
  const std::vector<RunResult>* runs = nullptr;  // in run order
  std::string csv_sha256;                        // hex of the CSV written beside it
};
// Pretty-printed JSON (docs/sim.md, "summary.json").
std::string SummaryJson(const SummaryInput& in);
// The verdict of every run as text for a terminal: one line per item, a column per run.
std::string VerdictText(const Scenario& scenario, const std::vector<RunResult>& runs);

// Writes <dir>/sim.csv, <dir>/report.html (when `html` is not empty) and last <dir>/summary.json
// (creating dir), each atomically; an older summary.json is removed before the CSV is replaced.
util::Status WriteOutputs(util::Env* env, const std::string& dir, const std::string& csv,
                          const std::string& summary, const std::string& html = "");

}  // namespace depin::twin
