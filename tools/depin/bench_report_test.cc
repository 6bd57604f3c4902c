#include "bench_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace depin::cli {
namespace {

TEST(BenchReportTest, JsonHasFiguresLimitAndRatioOfAFigure) {
  BenchReport report("ingest");
  report.AddFigure("reports accepted", 15000, "reports/s");
  report.AddFigure("p99 latency", 2.5, "ms");
  report.SetLimit("ed25519 verify, all cores", 20000, "verifies/s");
  report.SetRatioOf("reports accepted");
  report.AddInfo("cores", "2");
  auto j = nlohmann::json::parse(report.ToJson());
  EXPECT_EQ(j["bench"], "ingest");
  EXPECT_EQ(j["figures"]["reports accepted"]["value"], 15000.0);
  EXPECT_EQ(j["figures"]["p99 latency"]["unit"], "ms");
  EXPECT_EQ(j["limit"]["name"], "ed25519 verify, all cores");
  EXPECT_EQ(j["limit"]["value"], 20000.0);
  EXPECT_DOUBLE_EQ(j["ratio"].get<double>(), 0.75);
  EXPECT_EQ(j["info"]["cores"], "2");
}

TEST(BenchReportTest, ExplicitRatioAndReplacedFigure) {
  BenchReport report("crypto");
  report.AddFigure("x", 1, "u");
  report.AddFigure("x", 3, "v");
  ASSERT_EQ(report.figures().size(), 1u);
  EXPECT_EQ(report.FigureValue("x"), 3.0);
  report.SetRatio(0.5, "half");
  EXPECT_EQ(report.Ratio(), 0.5);
  auto j = nlohmann::json::parse(report.ToJson());
  EXPECT_EQ(j["ratio_means"], "half");
  EXPECT_FALSE(j.contains("limit"));
}

TEST(BenchReportTest, NoRatioWithoutLimitOrFigure) {
  BenchReport report("epoch");
  report.AddFigure("a", 1, "u");
  report.SetRatioOf("missing");
  report.SetLimit("l", 2, "u");
  EXPECT_FALSE(report.Ratio().has_value());
  auto j = nlohmann::json::parse(report.ToJson());
  EXPECT_FALSE(j.contains("ratio"));
  EXPECT_TRUE(j["figures"].is_object());
  BenchReport empty("none");
  EXPECT_EQ(nlohmann::json::parse(empty.ToJson())["figures"].size(), 0u);
}

TEST(BenchReportTest, TextShowsEachFigureWithItsUnit) {
  BenchReport report("crypto");
  report.AddFigure("ed25519 verify, 1 core", 19512.4, "verifies/s");
  report.AddFigure("sha256, 200 B messages", 612.26, "MB/s");
  report.SetLimit("ed25519 verify, all cores", 38000, "verifies/s");
  report.SetRatioOf("ed25519 verify, 1 core");
  std::string text = report.ToText();
  EXPECT_NE(text.find("ed25519 verify, 1 core"), std::string::npos) << text;
  EXPECT_NE(text.find("19,512 verifies/s"), std::string::npos) << text;
  EXPECT_NE(text.find("612.3 MB/s"), std::string::npos) << text;
  EXPECT_NE(text.find("limit: ed25519 verify, all cores = 38,000 verifies/s"), std::string::npos)
      << text;
  EXPECT_NE(text.find("ratio: 0.513"), std::string::npos) << text;
}

}  // namespace
}  // namespace depin::cli
