#include "bench_report.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

namespace depin::cli {
namespace {

// Thousands separators for large rates, enough decimals for small ones.
std::string FormatValue(double v) {
  char buf[64];
  if (std::fabs(v) >= 1000) {
    std::snprintf(buf, sizeof(buf), "%.0f", v);
    std::string digits = buf;
    std::string out;
    size_t start = digits[0] == '-' ? 1 : 0;
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i > start && (digits.size() - i) % 3 == 0) out.push_back(',');
      out.push_back(digits[i]);
    }
    return out;
  }
  if (std::fabs(v) >= 10) {
    std::snprintf(buf, sizeof(buf), "%.1f", v);
  } else {
    std::snprintf(buf, sizeof(buf), "%.3f", v);
  }
  return buf;
}

}  // namespace

void BenchReport::AddFigure(const std::string& name, double value, const std::string& unit) {
  for (Figure& f : figures_) {
    if (f.name == name) {
      f.value = value;
      f.unit = unit;
      return;
    }
  }
  figures_.push_back({name, value, unit});
}

void BenchReport::SetLimit(const std::string& name, double value, const std::string& unit) {
  limit_ = Figure{name, value, unit};
}

void BenchReport::SetRatioOf(const std::string& figure_name) {
  ratio_of_ = figure_name;
  ratio_.reset();
  ratio_means_ = figure_name + " / limit";
}

void BenchReport::SetRatio(double ratio, const std::string& means) {
  ratio_ = ratio;
  ratio_of_.reset();
  ratio_means_ = means;
}

void BenchReport::AddInfo(const std::string& key, const std::string& value) {
  info_.emplace_back(key, value);
}

std::optional<double> BenchReport::FigureValue(const std::string& name) const {
  for (const Figure& f : figures_) {
    if (f.name == name) return f.value;
  }
  return std::nullopt;
}

std::optional<double> BenchReport::Ratio() const {
  if (ratio_) return ratio_;
  if (!ratio_of_ || !limit_ || limit_->value == 0) return std::nullopt;
  std::optional<double> figure = FigureValue(*ratio_of_);
  if (!figure) return std::nullopt;
  return *figure / limit_->value;
}

std::string BenchReport::ToJson() const {
  nlohmann::ordered_json j;
  j["bench"] = bench_;
  nlohmann::ordered_json figures = nlohmann::ordered_json::object();
  for (const Figure& f : figures_) figures[f.name] = {{"value", f.value}, {"unit", f.unit}};
  j["figures"] = figures;
  if (limit_) {
    j["limit"] = {{"name", limit_->name}, {"value", limit_->value}, {"unit", limit_->unit}};
  }
  if (std::optional<double> ratio = Ratio()) {
    j["ratio"] = *ratio;
    j["ratio_means"] = ratio_means_;
  }
  if (!info_.empty()) {
    nlohmann::ordered_json info = nlohmann::ordered_json::object();
    for (const auto& [k, v] : info_) info[k] = v;
    j["info"] = info;
  }
  return j.dump();
}

std::string BenchReport::ToText() const {
  size_t width = 0;
  for (const Figure& f : figures_) width = std::max(width, f.name.size());
  std::string out = "depin bench " + bench_ + "\n";
  for (const auto& [k, v] : info_) out.append("  ").append(k).append(": ").append(v).append("\n");
  char line[512];
  for (const Figure& f : figures_) {
    std::snprintf(line, sizeof(line), "  %-*s  %14s %s\n", static_cast<int>(width), f.name.c_str(),
                  FormatValue(f.value).c_str(), f.unit.c_str());
    out += line;
  }
  if (limit_) {
    out +=
        "limit: " + limit_->name + " = " + FormatValue(limit_->value) + " " + limit_->unit + "\n";
  }
  if (std::optional<double> ratio = Ratio()) {
    std::snprintf(line, sizeof(line), "ratio: %.3f (%s)\n", *ratio, ratio_means_.c_str());
    out += line;
  }
  out.pop_back();  // Print() adds the final newline
  return out;
}

void BenchReport::Print(bool json, std::FILE* out) const {
  std::string text = json ? ToJson() : ToText();
  std::fprintf(out, "%s\n", text.c_str());
  std::fflush(out);
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      size_t colon = line.find(':');
      if (colon != std::string::npos && colon + 2 <= line.size()) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string first;
  in >> first;
  return first.empty() ? "unknown" : first;
}

double PeakMiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

}  // namespace depin::cli
