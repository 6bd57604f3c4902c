// A small Prometheus metrics registry with text exposition (format version 0.0.4).
//
//   metrics::Registry registry;
//   auto& requests = registry.AddCounter("http_requests_total", "HTTP requests.", {"route",
//   "code"}); requests.WithLabels({"/v1/health", "200"}).Inc(); std::string text =
//   registry.Render();   // served by GET /metrics with kContentType
//
// Counters, gauges and histograms hold integers in relaxed atomics, so increments on hot paths
// never lock (a caller that caches the Counter& from WithLabels pays one atomic add). Histograms
// have fixed integer bucket bounds in a base unit (e.g. microseconds) and are rendered in a
// display unit by a power-of-ten divisor (e.g. seconds = µs / 10^6), so no floating point is
// involved anywhere.
//
// Thread-safety: everything is thread-safe. Metric objects returned by WithLabels live as long as
// the Registry. Invalid metric or label names and label-count mismatches are programmer errors
// (abort).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/mutex.h"

namespace depin::http::metrics {

inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

class Counter {
 public:
  void Inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void Add(int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  int64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

class Histogram {
 public:
  // `bounds`: strictly increasing upper bounds (inclusive, Prometheus "le"), in base units.
  explicit Histogram(const std::vector<uint64_t>* bounds);
  void Observe(uint64_t value);
  // Per-bucket (not cumulative) counts; the last is the +Inf bucket.
  std::vector<uint64_t> BucketCounts() const;
  uint64_t Sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  const std::vector<uint64_t>* bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<uint64_t> sum_{0};
};

// Latency buckets in microseconds, 100 µs .. 10 s (render with scale_digits = 6 for seconds).
const std::vector<uint64_t>& DefaultLatencyBucketsMicros();

// One metric name with a fixed set of label names and one child per distinct label values.
template <typename Metric>
class Family {
 public:
  // The child for `values` (one per label name, in order), created on first use.
  Metric& WithLabels(const std::vector<std::string>& values);

 private:
  friend class Registry;
  Family(std::string name, std::string help, std::vector<std::string> labels,
         const std::vector<uint64_t>* bounds = nullptr)
      : name_(std::move(name)),
        help_(std::move(help)),
        labels_(std::move(labels)),
        bounds_(bounds) {}

  std::string name_, help_;
  std::vector<std::string> labels_;
  const std::vector<uint64_t>* bounds_;  // histograms only
  mutable util::SharedMutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_ GUARDED_BY(mu_);
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  Family<Counter>& AddCounter(std::string name, std::string help,
                              std::vector<std::string> labels = {});
  Family<Gauge>& AddGauge(std::string name, std::string help, std::vector<std::string> labels = {});
  // Bucket bounds and sums are rendered divided by 10^scale_digits.
  Family<Histogram>& AddHistogram(std::string name, std::string help,
                                  std::vector<std::string> labels, std::vector<uint64_t> bounds,
                                  uint32_t scale_digits);

  // Runs `hook` at the start of every Render, for gauges that are cheaper to read when scraped
  // than to keep current on a hot path (queue depths). The hook runs on the rendering thread and
  // must not add metrics or collect hooks. Destroying the returned handle removes the hook
  // (waiting for a run in progress); the handle must not outlive the registry.
  class CollectHook;
  [[nodiscard]] std::unique_ptr<CollectHook> OnCollect(std::function<void()> hook);

  // The text exposition of every metric, families in registration order, children sorted by
  // label values.
  std::string Render() const;

 private:
  struct Entry;
  struct Hooks;
  void CheckNew(const std::string& name, const std::vector<std::string>& labels) const
      REQUIRES(mu_);

  mutable util::Mutex mu_;
  std::vector<std::unique_ptr<Entry>> entries_ GUARDED_BY(mu_);
  std::unique_ptr<Hooks> hooks_;
};

class Registry::CollectHook {
 public:
  ~CollectHook();
  CollectHook(const CollectHook&) = delete;
  CollectHook& operator=(const CollectHook&) = delete;

 private:
  friend class Registry;
  CollectHook(Hooks* hooks, uint64_t id) : hooks_(hooks), id_(id) {}
  Hooks* hooks_;
  uint64_t id_;
};

}  // namespace depin::http::metrics
