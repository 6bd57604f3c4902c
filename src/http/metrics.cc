#include "http/metrics.h"

#include <cstdio>
#include <cstdlib>

namespace depin::http::metrics {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "metrics: %s\n", what.c_str());
  std::abort();
}

bool ValidName(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// value / 10^scale as a decimal without trailing fractional zeros ("0.0001", "2.5", "10").
std::string Scaled(uint64_t value, uint32_t scale) {
  std::string digits = std::to_string(value);
  if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
  std::string whole = digits.substr(0, digits.size() - scale);
  std::string frac = digits.substr(digits.size() - scale);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return frac.empty() ? whole : whole + "." + frac;
}

void AppendEscaped(std::string* out, std::string_view value, bool quotes) {
  for (char c : value) {
    if (c == '\\') {
      *out += "\\\\";
    } else if (c == '\n') {
      *out += "\\n";
    } else if (c == '"' && quotes) {
      *out += "\\\"";
    } else {
      *out += c;
    }
  }
}

// {a="x",b="y"} plus an optional extra label (for "le"); "" when there are no labels at all.
std::string Labels(const std::vector<std::string>& names, const std::vector<std::string>& values,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    out += names[i] + "=\"";
    AppendEscaped(&out, values[i], true);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += std::string(extra_name) + "=\"" + std::string(extra_value) + "\"";
  }
  return out + "}";
}

}  // namespace

Histogram::Histogram(const std::vector<uint64_t>* bounds)
    : bounds_(bounds), counts_(new std::atomic<uint64_t>[bounds->size() + 1]) {
  for (size_t i = 0; i <= bounds_->size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(uint64_t value) {
  size_t i = 0;
  while (i < bounds_->size() && value > (*bounds_)[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::BucketCounts() const {
  std::vector<uint64_t> out(bounds_->size() + 1);
  for (size_t i = 0; i < out.size(); ++i) out[i] = counts_[i].load(std::memory_order_relaxed);
  return out;
}

const std::vector<uint64_t>& DefaultLatencyBucketsMicros() {
  static const std::vector<uint64_t> kBuckets = {
      100,    250,     500,     1'000,   2'500,     5'000,     10'000,    25'000,
      50'000, 100'000, 250'000, 500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000};
  return kBuckets;
}

template <typename Metric>
Metric& Family<Metric>::WithLabels(const std::vector<std::string>& values) {
  if (values.size() != labels_.size()) {
    Die(name_ + ": " + std::to_string(values.size()) + " label values for " +
        std::to_string(labels_.size()) + " labels");
  }
  {
    util::ReaderLock lock(mu_);
    auto it = children_.find(values);
    if (it != children_.end()) return *it->second;
  }
  util::WriterLock lock(mu_);
  auto& slot = children_[values];
  if (!slot) {
    if constexpr (std::is_same_v<Metric, Histogram>) {
      slot = std::make_unique<Histogram>(bounds_);
    } else {
      slot = std::make_unique<Metric>();
    }
  }
  return *slot;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

struct Registry::Entry {
  std::unique_ptr<Family<Counter>> counter;
  std::unique_ptr<Family<Gauge>> gauge;
  std::unique_ptr<Family<Histogram>> histogram;
  std::vector<uint64_t> bounds;
  uint32_t scale_digits = 0;
};

struct Registry::Hooks {
  util::Mutex mu;  // held while hooks run, so removing one waits for a run in progress
  uint64_t next_id GUARDED_BY(mu) = 0;
  std::map<uint64_t, std::function<void()>> hooks GUARDED_BY(mu);
};

Registry::Registry() : hooks_(std::make_unique<Hooks>()) {}
Registry::~Registry() = default;

std::unique_ptr<Registry::CollectHook> Registry::OnCollect(std::function<void()> hook) {
  util::MutexLock lock(hooks_->mu);
  uint64_t id = hooks_->next_id++;
  hooks_->hooks.emplace(id, std::move(hook));
  return std::unique_ptr<CollectHook>(new CollectHook(hooks_.get(), id));
}

Registry::CollectHook::~CollectHook() {
  util::MutexLock lock(hooks_->mu);
  hooks_->hooks.erase(id_);
}

void Registry::CheckNew(const std::string& name, const std::vector<std::string>& labels) const {
  if (!ValidName(name, true)) Die("invalid metric name '" + name + "'");
  for (const std::string& label : labels) {
    if (!ValidName(label, false) || label == "le" || label.rfind("__", 0) == 0) {
      Die(name + ": invalid label name '" + label + "'");
    }
  }
  for (const auto& e : entries_) {
    const std::string& existing = e->counter ? e->counter->name_
                                  : e->gauge ? e->gauge->name_
                                             : e->histogram->name_;
    if (existing == name) Die("metric '" + name + "' registered twice");
  }
}

Family<Counter>& Registry::AddCounter(std::string name, std::string help,
                                      std::vector<std::string> labels) {
  util::MutexLock lock(mu_);
  CheckNew(name, labels);
  auto entry = std::make_unique<Entry>();
  entry->counter.reset(new Family<Counter>(std::move(name), std::move(help), std::move(labels)));
  entries_.push_back(std::move(entry));
  return *entries_.back()->counter;
}

Family<Gauge>& Registry::AddGauge(std::string name, std::string help,
                                  std::vector<std::string> labels) {
  util::MutexLock lock(mu_);
  CheckNew(name, labels);
  auto entry = std::make_unique<Entry>();
  entry->gauge.reset(new Family<Gauge>(std::move(name), std::move(help), std::move(labels)));
  entries_.push_back(std::move(entry));
  return *entries_.back()->gauge;
}

Family<Histogram>& Registry::AddHistogram(std::string name, std::string help,
                                          std::vector<std::string> labels,
                                          std::vector<uint64_t> bounds, uint32_t scale_digits) {
  util::MutexLock lock(mu_);
  CheckNew(name, labels);
  for (size_t i = 1; i < bounds.size(); ++i) {
    if (bounds[i] <= bounds[i - 1]) Die(name + ": bucket bounds must increase");
  }
  auto entry = std::make_unique<Entry>();
  entry->bounds = std::move(bounds);
  entry->scale_digits = scale_digits;
  entry->histogram.reset(
      new Family<Histogram>(std::move(name), std::move(help), std::move(labels), &entry->bounds));
  entries_.push_back(std::move(entry));
  return *entries_.back()->histogram;
}

std::string Registry::Render() const {
  {
    util::MutexLock hooks_lock(hooks_->mu);
    for (const auto& [id, hook] : hooks_->hooks) hook();
  }
  std::string out;
  util::MutexLock lock(mu_);
  for (const auto& e : entries_) {
    if (e->counter || e->gauge) {
      const bool is_counter = e->counter != nullptr;
      const auto& name = is_counter ? e->counter->name_ : e->gauge->name_;
      const auto& help = is_counter ? e->counter->help_ : e->gauge->help_;
      const auto& labels = is_counter ? e->counter->labels_ : e->gauge->labels_;
      out += "# HELP " + name + " ";
      AppendEscaped(&out, help, false);
      out += "\n# TYPE " + name + (is_counter ? " counter\n" : " gauge\n");
      if (is_counter) {
        util::ReaderLock child_lock(e->counter->mu_);
        for (const auto& [values, c] : e->counter->children_) {
          out += name + Labels(labels, values) + " " + std::to_string(c->Value()) + "\n";
        }
      } else {
        util::ReaderLock child_lock(e->gauge->mu_);
        for (const auto& [values, g] : e->gauge->children_) {
          out += name + Labels(labels, values) + " " + std::to_string(g->Value()) + "\n";
        }
      }
      continue;
    }
    const Family<Histogram>& h = *e->histogram;
    out += "# HELP " + h.name_ + " ";
    AppendEscaped(&out, h.help_, false);
    out += "\n# TYPE " + h.name_ + " histogram\n";
    util::ReaderLock child_lock(h.mu_);
    for (const auto& [values, hist] : h.children_) {
      const std::vector<uint64_t> counts = hist->BucketCounts();
      uint64_t cumulative = 0;
      for (size_t i = 0; i < counts.size(); ++i) {
        cumulative += counts[i];
        const std::string le =
            i < e->bounds.size() ? Scaled(e->bounds[i], e->scale_digits) : "+Inf";
        out += h.name_ + "_bucket" + Labels(h.labels_, values, "le", le) + " " +
               std::to_string(cumulative) + "\n";
      }
      out += h.name_ + "_sum" + Labels(h.labels_, values) + " " +
             Scaled(hist->Sum(), e->scale_digits) + "\n";
      out +=
          h.name_ + "_count" + Labels(h.labels_, values) + " " + std::to_string(cumulative) + "\n";
    }
  }
  return out;
}

}  // namespace depin::http::metrics
