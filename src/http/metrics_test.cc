#include "http/metrics.h"

#include <gtest/gtest.h>

#include <thread>

namespace depin::http::metrics {
namespace {

TEST(MetricsTest, CounterWithLabelsRendersExpositionLines) {
  Registry registry;
  auto& requests =
      registry.AddCounter("http_requests_total", "HTTP requests served.", {"route", "code"});
  requests.WithLabels({"/v1/health", "200"}).Inc();
  requests.WithLabels({"/v1/health", "200"}).Inc(2);
  requests.WithLabels({"unmatched", "404"}).Inc();
  EXPECT_EQ(registry.Render(),
            "# HELP http_requests_total HTTP requests served.\n"
            "# TYPE http_requests_total counter\n"
            "http_requests_total{route=\"/v1/health\",code=\"200\"} 3\n"
            "http_requests_total{route=\"unmatched\",code=\"404\"} 1\n");
}

TEST(MetricsTest, UnlabeledGaugeAndEscaping) {
  Registry registry;
  auto& open = registry.AddGauge("connections_open", "Open connections.\nNow.");
  open.WithLabels({}).Add(5);
  open.WithLabels({}).Add(-2);
  auto& odd = registry.AddCounter("odd_total", "Escapes \\ in help.", {"v"});
  odd.WithLabels({"a\"b\\c\nd"}).Inc();
  EXPECT_EQ(registry.Render(),
            "# HELP connections_open Open connections.\\nNow.\n"
            "# TYPE connections_open gauge\n"
            "connections_open 3\n"
            "# HELP odd_total Escapes \\\\ in help.\n"
            "# TYPE odd_total counter\n"
            "odd_total{v=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(MetricsTest, CollectHooksRefreshGaugesAtRenderUntilRemoved) {
  Registry registry;
  auto& depth = registry.AddGauge("queue_depth", "Queued items.").WithLabels({});
  int64_t source = 7;
  int runs = 0;
  auto hook = registry.OnCollect([&] {
    ++runs;
    depth.Set(source);
  });
  EXPECT_NE(registry.Render().find("queue_depth 7\n"), std::string::npos);
  source = 9;
  EXPECT_NE(registry.Render().find("queue_depth 9\n"), std::string::npos);
  EXPECT_EQ(runs, 2);
  hook.reset();
  source = 11;
  EXPECT_NE(registry.Render().find("queue_depth 9\n"), std::string::npos);
  EXPECT_EQ(runs, 2);
}

TEST(MetricsTest, HistogramBucketsAreCumulativeAndScaled) {
  Registry registry;
  auto& latency = registry.AddHistogram("req_seconds", "Latency.", {"route"}, {1000, 250000}, 6);
  Histogram& h = latency.WithLabels({"/x"});
  h.Observe(1000);     // le 0.001 (bounds are inclusive)
  h.Observe(1001);     // le 0.25
  h.Observe(3000000);  // +Inf
  EXPECT_EQ(registry.Render(),
            "# HELP req_seconds Latency.\n"
            "# TYPE req_seconds histogram\n"
            "req_seconds_bucket{route=\"/x\",le=\"0.001\"} 1\n"
            "req_seconds_bucket{route=\"/x\",le=\"0.25\"} 2\n"
            "req_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"
            "req_seconds_sum{route=\"/x\"} 3.002001\n"
            "req_seconds_count{route=\"/x\"} 3\n");
}

TEST(MetricsTest, ConcurrentIncrementsAreAllCounted) {
  Registry registry;
  auto& family = registry.AddCounter("hits_total", "Hits.", {"t"});
  constexpr int kThreads = 4, kPerThread = 100000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      Counter& c = family.WithLabels({"x"});
      for (int i = 0; i < kPerThread; ++i) c.Inc();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(family.WithLabels({"x"}).Value(), uint64_t{kThreads} * kPerThread);
}

TEST(MetricsDeathTest, InvalidNamesAbort) {
  Registry registry;
  EXPECT_DEATH(registry.AddCounter("1bad", "x"), "invalid metric name");
  EXPECT_DEATH(registry.AddCounter("ok_total", "x", {"le"}), "invalid label name");
  registry.AddCounter("dup_total", "x");
  EXPECT_DEATH(registry.AddCounter("dup_total", "x"), "registered twice");
}

}  // namespace
}  // namespace depin::http::metrics
