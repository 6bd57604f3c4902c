// The fixture of the fraud CTests (fraud_bench_test.cc, fraud_poc_test.cc): one `depin bench fraud
// --json` run shared by every test of the suite (each case rerunning it would take minutes), and
// the table row of one class. Single-threaded, as gtest runs a suite.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_test_helper.h"

namespace depin::cli {

class FraudRunTest : public ::testing::Test {
 protected:
  // Runs `depin bench fraud --json` with `args` after it; call from SetUpTestSuite.
  static void RunBench(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"bench", "fraud", "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    run_ = new testing::RunResult(testing::RunDepin(argv));
    report_ = new nlohmann::json(nlohmann::json::parse(run_->out, nullptr, false));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete report_;
    run_ = nullptr;
    report_ = nullptr;
  }
  // The table row of attack or honest class `name`, or null.
  static const nlohmann::json* Row(const std::string& name) {
    if (!report_->is_object() || !report_->contains("classes")) return nullptr;
    for (const nlohmann::json& r : (*report_)["classes"]) {
      if (r.value("class", "") == name) return &r;
    }
    return nullptr;
  }

  static inline testing::RunResult* run_ = nullptr;
  static inline nlohmann::json* report_ = nullptr;
};

}  // namespace depin::cli
