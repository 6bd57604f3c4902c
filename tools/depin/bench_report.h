// BenchReport: what every `depin bench <what>` prints. A benchmark records named figures (value
// and unit, in the order measured), the physical limit it is judged against (for example the
// all-cores Ed25519 verify rate measured in the same run) and a ratio, then prints either a
// readable table or one JSON object:
//
//   {"bench":"crypto",
//    "figures":{"ed25519 verify, 1 core":{"value":19500.0,"unit":"verifies/s"}, ...},
//    "limit":{"name":"ed25519 verify, all cores","value":38000.0,"unit":"verifies/s"},
//    "ratio":0.97, "ratio_means":"...", "info":{"cores":"2", ...}}
//
// "ratio" is by default figure / limit for the figure named in SetRatioOf() (how close a
// pipeline comes to the limit); a benchmark whose ratio means something else sets it with
// SetRatio() and says what it means. "limit", "ratio" and "info" are omitted when not set.
// Figures are doubles: they are measurements, never token amounts.
//
// Not thread-safe: fill it from one thread after the measuring threads have joined.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace depin::cli {

class BenchReport {
 public:
  struct Figure {
    std::string name;
    double value = 0;
    std::string unit;
  };

  explicit BenchReport(std::string bench) : bench_(std::move(bench)) {}

  // Adds (or replaces) a figure; names are shown as given and are the JSON keys.
  void AddFigure(const std::string& name, double value, const std::string& unit);
  // The limit this run is compared with.
  void SetLimit(const std::string& name, double value, const std::string& unit);
  // ratio = figure(`figure_name`) / limit; the figure and the limit must be set when printing.
  void SetRatioOf(const std::string& figure_name);
  // An explicit ratio and a short phrase saying what it is, e.g. "all cores / (1 core x cores)".
  void SetRatio(double ratio, const std::string& means);
  // Context printed with the report (machine, parameters); JSON strings under "info".
  void AddInfo(const std::string& key, const std::string& value);

  const std::vector<Figure>& figures() const { return figures_; }
  std::optional<double> FigureValue(const std::string& name) const;
  // The ratio as it will be printed, if one can be computed.
  std::optional<double> Ratio() const;

  // One JSON object, no trailing newline.
  std::string ToJson() const;
  // A table: one figure per line with its unit, then the limit and the ratio.
  std::string ToText() const;
  // Writes ToJson() or ToText() and a newline to `out`.
  void Print(bool json, std::FILE* out = stdout) const;

 private:
  std::string bench_;
  std::vector<Figure> figures_;
  std::optional<Figure> limit_;
  std::optional<std::string> ratio_of_;
  std::optional<double> ratio_;
  std::string ratio_means_;
  std::vector<std::pair<std::string, std::string>> info_;
};

// Facts about the machine that every benchmark prints beside its figures (Linux /proc).
std::string CpuModel();     // "model name" from /proc/cpuinfo, or "unknown"
std::string LoadAverage();  // 1-minute load average: other work on the machine lowers every figure
double PeakMiB();           // this process's peak resident set (VmHWM), MiB

}  // namespace depin::cli
