#include "common/metrics/metrics.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vnarchive {
namespace metrics {
namespace {

// Adds to an atomic double (std::atomic<double>::fetch_add is C++20).
void AtomicAdd(std::atomic<double>& target, double amount) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + amount, std::memory_order_relaxed)) {
  }
}

const char* TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter: return "counter";
    case MetricType::kGauge: return "gauge";
    case MetricType::kHistogram: return "histogram";
  }
  return "untyped";
}

// Help text escaping: backslash and newline only.
std::string EscapeHelp(absl::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// {a="x",b="y"} plus an optional extra pair (le for histogram buckets);
// empty when there are no labels at all.
std::string LabelSet(const std::vector<std::string>& names, const std::vector<std::string>& values,
                     absl::string_view extra_name = "", absl::string_view extra_value = "") {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "{" : ",", names[i], "=\"",
                    EscapeLabelValue(i < values.size() ? values[i] : ""), "\"");
  }
  if (!extra_name.empty()) {
    absl::StrAppend(&out, out.empty() ? "{" : ",", extra_name, "=\"", extra_value, "\"");
  }
  if (!out.empty()) out += "}";
  return out;
}

void Header(std::string* out, const std::string& name, const std::string& help, MetricType type) {
  absl::StrAppend(out, "# HELP ", name, " ", EscapeHelp(help), "\n# TYPE ", name, " ",
                  TypeName(type), "\n");
}

}  // namespace

void Counter::Increment(double amount) {
  if (!(amount > 0)) return;
  AtomicAdd(value_, amount);
}

void Gauge::Add(double amount) { AtomicAdd(value_, amount); }

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::Observe(double value) {
  // The first bucket whose upper bound holds the value (le is inclusive).
  const size_t bucket =
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  absl::MutexLock lock(&mu_);
  ++counts_[bucket];
  sum_ += value;
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  snapshot.bounds = bounds_;
  absl::MutexLock lock(&mu_);
  uint64_t running = 0;
  for (uint64_t count : counts_) {
    running += count;
    snapshot.cumulative.push_back(running);
  }
  snapshot.count = running;
  snapshot.sum = sum_;
  return snapshot;
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

CounterFamily& Registry::AddCounter(const std::string& name, const std::string& help,
                                    std::vector<std::string> label_names) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<CounterFamily>& family = counters_[name];
  if (family == nullptr) {
    family.reset(new CounterFamily(name, help, std::move(label_names),
                                   [] { return std::make_unique<Counter>(); }));
  }
  return *family;
}

GaugeFamily& Registry::AddGauge(const std::string& name, const std::string& help,
                                std::vector<std::string> label_names) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<GaugeFamily>& family = gauges_[name];
  if (family == nullptr) {
    family.reset(new GaugeFamily(name, help, std::move(label_names),
                                 [] { return std::make_unique<Gauge>(); }));
  }
  return *family;
}

HistogramFamily& Registry::AddHistogram(const std::string& name, const std::string& help,
                                        std::vector<std::string> label_names,
                                        std::vector<double> bounds) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<HistogramFamily>& family = histograms_[name];
  if (family == nullptr) {
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    family.reset(new HistogramFamily(
        name, help, std::move(label_names),
        [bounds = std::move(bounds)] { return std::make_unique<Histogram>(bounds); }));
  }
  return *family;
}

void Registry::AddCallback(const std::string& name, const std::string& help, MetricType type,
                           std::vector<std::string> label_names,
                           std::function<std::vector<Sample>()> collect) {
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = callbacks_.try_emplace(name);
  if (inserted) {
    it->second.help = help;
    it->second.type = type == MetricType::kHistogram ? MetricType::kGauge : type;
    it->second.label_names = std::move(label_names);
  }
  it->second.collects.push_back(std::move(collect));
}

std::string Registry::Render() const {
  // name -> rendered family, so the output is sorted whatever the kind.
  std::map<std::string, std::string> rendered;
  std::map<std::string, const Callback*> callbacks;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [name, family] : counters_) {
      std::string& out = rendered[name];
      Header(&out, name, family->help_, MetricType::kCounter);
      absl::MutexLock family_lock(&family->mu_);
      for (const auto& [values, counter] : family->children_) {
        absl::StrAppend(&out, name, LabelSet(family->label_names_, values), " ",
                        FormatValue(counter->value()), "\n");
      }
    }
    for (const auto& [name, family] : gauges_) {
      std::string& out = rendered[name];
      Header(&out, name, family->help_, MetricType::kGauge);
      absl::MutexLock family_lock(&family->mu_);
      for (const auto& [values, gauge] : family->children_) {
        absl::StrAppend(&out, name, LabelSet(family->label_names_, values), " ",
                        FormatValue(gauge->value()), "\n");
      }
    }
    for (const auto& [name, family] : histograms_) {
      std::string& out = rendered[name];
      Header(&out, name, family->help_, MetricType::kHistogram);
      absl::MutexLock family_lock(&family->mu_);
      for (const auto& [values, histogram] : family->children_) {
        const Histogram::Snapshot snapshot = histogram->Read();
        for (size_t i = 0; i <= snapshot.bounds.size(); ++i) {
          const std::string le =
              i < snapshot.bounds.size() ? FormatValue(snapshot.bounds[i]) : "+Inf";
          absl::StrAppend(&out, name, "_bucket", LabelSet(family->label_names_, values, "le", le),
                          " ", snapshot.cumulative[i], "\n");
        }
        absl::StrAppend(&out, name, "_sum", LabelSet(family->label_names_, values), " ",
                        FormatValue(snapshot.sum), "\n");
        absl::StrAppend(&out, name, "_count", LabelSet(family->label_names_, values), " ",
                        snapshot.count, "\n");
      }
    }
    for (const auto& [name, callback] : callbacks_) callbacks[name] = &callback;
  }
  // Callbacks run without the registry lock: they may take their time (a
  // Redis round trip) and must not block registration meanwhile. Entries of
  // callbacks_ are never removed, so the pointers stay valid; new collects
  // added meanwhile may be missed this once.
  for (const auto& [name, callback] : callbacks) {
    std::vector<std::function<std::vector<Sample>()>> collects;
    {
      absl::MutexLock lock(&mu_);
      collects = callback->collects;
    }
    std::string& out = rendered[name];
    Header(&out, name, callback->help, callback->type);
    for (const auto& collect : collects) {
      for (const Sample& sample : collect()) {
        absl::StrAppend(&out, name, LabelSet(callback->label_names, sample.label_values), " ",
                        FormatValue(sample.value), "\n");
      }
    }
  }
  std::string text;
  for (const auto& [name, out] : rendered) text += out;
  return text;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  return absl::StrFormat("%.15g", value);
}

std::string EscapeLabelValue(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace metrics
}  // namespace vnarchive
