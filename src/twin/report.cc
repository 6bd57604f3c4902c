#include "twin/report.h"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "twin/verdict.h"

namespace depin::twin {

namespace {

struct Series {
  std::string name;
  std::string color;
  std::function<double(const EpochRow&)> value;
};

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4g", v);
  return buf;
}

// One SVG chart: per series, the min..max band across runs and run 1's line.
std::string Chart(const std::string& title, const std::vector<Series>& series,
                  const std::vector<RunResult>& runs) {
  constexpr double kW = 640, kH = 200, kPad = 4;
  const size_t n = runs.empty() ? 0 : runs[0].rows.size();
  if (n == 0) return "";
  double lo = 0, hi = 0;
  for (const Series& s : series) {
    for (const RunResult& r : runs) {
      for (const EpochRow& row : r.rows)
        hi = std::max(hi, s.value(row)), lo = std::min(lo, s.value(row));
    }
  }
  if (hi <= lo) hi = lo + 1;
  auto x = [&](size_t i) {
    return kPad + (kW - 2 * kPad) * static_cast<double>(i) / std::max<size_t>(n - 1, 1);
  };
  auto y = [&](double v) { return kH - kPad - (kH - 2 * kPad) * (v - lo) / (hi - lo); };
  std::string svg = "<h3>" + Escape(title) +
                    "</h3><svg width=\"640\" height=\"200\" "
                    "style=\"border:1px solid #ccc\">";
  std::string legend;
  for (const Series& s : series) {
    std::string upper, lower, line;
    for (size_t i = 0; i < n; ++i) {
      double mn = s.value(runs[0].rows[i]), mx = mn;
      for (const RunResult& r : runs) {
        if (i < r.rows.size())
          mn = std::min(mn, s.value(r.rows[i])), mx = std::max(mx, s.value(r.rows[i]));
      }
      upper += Num(x(i)) + "," + Num(y(mx)) + " ";
      lower = Num(x(i)) + "," + Num(y(mn)) + " " + lower;
      line += Num(x(i)) + "," + Num(y(s.value(runs[0].rows[i]))) + " ";
    }
    svg += "<polygon points=\"" + upper + lower + "\" fill=\"" + s.color +
           "\" fill-opacity=\"0.2\" stroke=\"none\"/>";
    svg += "<polyline points=\"" + line + "\" fill=\"none\" stroke=\"" + s.color +
           "\" stroke-width=\"1.5\"/>";
    legend += "<span style=\"color:" + s.color + "\">&#9632; " + Escape(s.name) + "</span> ";
  }
  svg += "</svg><div>" + legend + " &mdash; axis " + Num(lo) + " .. " + Num(hi) + ", epochs 0.." +
         std::to_string(n - 1) + "</div>";
  return svg;
}

double Ppm(uint64_t v) { return static_cast<double>(v) / 1e4; }  // as a percentage

}  // namespace

std::string HtmlReport(const Scenario& s, const std::vector<RunResult>& runs) {
  std::string html =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>depin sim: " + Escape(s.name) +
      "</title></head><body style=\"font-family:sans-serif;max-width:680px\"><h1>" +
      Escape(s.name) + "</h1><p>" + std::to_string(runs.size()) + " run(s), " +
      std::to_string(s.horizon_epochs) +
      " epochs, aggregated fidelity. Bands: min..max across runs; line: run 1.</p>";
  if (!runs.empty()) {
    html += "<h2>Verdict (run 1)</h2><ul>";
    for (const VerdictItem& v : JudgeRun(s, runs[0])) {
      html += "<li><b>" + std::string(v.holds ? "holds" : "FAILS") + "</b> " + v.name + ": " +
              Escape(v.text) + "</li>";
    }
    html += "</ul>";
  }
  auto d = [](uint64_t v) { return static_cast<double>(v); };
  html += Chart("Supply (base units)",
                {{"supply", "#1f77b4", [&](const EpochRow& r) { return d(r.supply); }}}, runs);
  html += Chart("Minted vs burned per epoch (base units)",
                {{"minted", "#d62728", [&](const EpochRow& r) { return d(r.minted); }},
                 {"burned", "#2ca02c", [&](const EpochRow& r) { return d(r.tokens_burned); }}},
                runs);
  html += Chart("Devices",
                {{"registered", "#7f7f7f", [&](const EpochRow& r) { return d(r.registered); }},
                 {"active", "#1f77b4", [&](const EpochRow& r) { return d(r.active); }}},
                runs);
  html += Chart(
      "Operators (%)",
      {{"earning their opex", "#2ca02c", [](const EpochRow& r) { return Ppm(r.profitable_ppm); }},
       {"paid back", "#9467bd", [](const EpochRow& r) { return Ppm(r.paid_back_ppm); }}},
      runs);
  html += Chart("Token price (USD)",
                {{"price", "#ff7f0e",
                  [](const EpochRow& r) { return static_cast<double>(r.price_usd_e8) / 1e8; }}},
                runs);
  html += Chart("Concentration and fraud (%)",
                {{"top-10 owners' share", "#8c564b",
                  [](const EpochRow& r) { return Ppm(r.top10_owner_ppm); }},
                 {"attackers' share", "#d62728",
                  [](const EpochRow& r) {
                    return r.device_rewards ? 100.0 * static_cast<double>(r.attacker_rewards) /
                                                  static_cast<double>(r.device_rewards)
                                            : 0.0;
                  }}},
                runs);
  return html + "</body></html>\n";
}

}  // namespace depin::twin
