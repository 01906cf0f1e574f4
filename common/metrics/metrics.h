// Process metrics in the Prometheus data model, rendered in the text
// exposition format (version 0.0.4) that Prometheus scrapes over HTTP.
// Pure logic: no sockets here (http_exporter.h serves a Registry).
//
//   metrics::Registry registry;
//   metrics::CounterFamily& calls = registry.AddCounter(
//       "vna_grpc_server_handled_total", "RPCs completed.", {"method", "code"});
//   calls.WithLabels({"/vnarchive.v1.SearchService/Search", "OK"}).Increment();
//   metrics::HistogramFamily& seconds = registry.AddHistogram(
//       "vna_grpc_server_handling_seconds", "RPC latency.", {"method", "code"},
//       metrics::DefaultLatencyBuckets());
//   seconds.WithLabels({"/...Search", "OK"}).Observe(0.012);
//   // Values read from elsewhere at scrape time (worker counters, Redis):
//   registry.AddCallback(
//       "vna_stream_backlog", "Entries not yet done.", metrics::MetricType::kGauge,
//       {"stream", "group"},
//       [] { return std::vector<metrics::Sample>{{{"vna:ingested", "normalize"}, 3}}; });
//   std::string text = registry.Render();
//
// Thread safety: everything here is thread-safe. Families and metrics are
// never removed, so the references returned stay valid for the Registry's
// lifetime. Registry is not copyable or movable.
#ifndef VNARCHIVE_COMMON_METRICS_METRICS_H_
#define VNARCHIVE_COMMON_METRICS_METRICS_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace vnarchive {
namespace metrics {

enum class MetricType { kCounter, kGauge, kHistogram };

// A monotonically increasing value (only ever incremented).
class Counter {
 public:
  // Adds `amount`; negative amounts are ignored (a counter never goes down).
  void Increment(double amount = 1);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// A value that goes up and down.
class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double amount);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Counts observations into cumulative buckets, with their sum.
class Histogram {
 public:
  // `bounds` are the buckets' upper bounds, strictly increasing; +Inf is
  // implied.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<double> bounds;           // upper bounds, without +Inf
    std::vector<uint64_t> cumulative;     // count <= bounds[i]; one more entry for +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Read() const;

 private:
  const std::vector<double> bounds_;
  mutable absl::Mutex mu_;
  std::vector<uint64_t> counts_ ABSL_GUARDED_BY(mu_);  // per bucket, +Inf last
  double sum_ ABSL_GUARDED_BY(mu_) = 0;
};

// Buckets for RPC and batch latencies in seconds: 1 ms to 60 s.
std::vector<double> DefaultLatencyBuckets();

// One family: a metric name with a fixed list of label names, and one child
// metric per combination of label values.
template <typename T>
class Family {
 public:
  // Returns the child for `values` (one per label name, in order), creating
  // it on first use. A wrong number of values is a programming error: the
  // missing ones are treated as empty and extra ones dropped.
  T& WithLabels(const std::vector<std::string>& values);

  const std::string& name() const { return name_; }

 private:
  friend class Registry;
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::function<std::unique_ptr<T>()> make);

  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::function<std::unique_ptr<T>()> make_;
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<T>> children_ ABSL_GUARDED_BY(mu_);
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

// A value produced by a callback at scrape time: label values (one per
// label name) and the value.
struct Sample {
  std::vector<std::string> label_values;
  double value = 0;
};

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Each Add* returns the family named `name`, creating it on first use; a
  // second call with the same name returns the existing family (its help and
  // labels stay those of the first call). Names and label names must match
  // [a-zA-Z_][a-zA-Z0-9_]* (not checked).
  CounterFamily& AddCounter(const std::string& name, const std::string& help,
                            std::vector<std::string> label_names = {});
  GaugeFamily& AddGauge(const std::string& name, const std::string& help,
                        std::vector<std::string> label_names = {});
  HistogramFamily& AddHistogram(const std::string& name, const std::string& help,
                                std::vector<std::string> label_names,
                                std::vector<double> bounds = DefaultLatencyBuckets());
  // Registers `collect`, called on every Render() (on the scraping thread;
  // keep it quick and never call back into this Registry). `type` is kCounter
  // or kGauge. Several callbacks may share a name (same type and labels):
  // their samples are rendered as one family.
  void AddCallback(const std::string& name, const std::string& help, MetricType type,
                   std::vector<std::string> label_names,
                   std::function<std::vector<Sample>()> collect);

  // Returns every family in the text exposition format, sorted by name.
  std::string Render() const;

 private:
  struct Callback {
    std::string help;
    MetricType type;
    std::vector<std::string> label_names;
    std::vector<std::function<std::vector<Sample>()>> collects;
  };

  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<CounterFamily>> counters_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::unique_ptr<GaugeFamily>> gauges_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::unique_ptr<HistogramFamily>> histograms_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Callback> callbacks_ ABSL_GUARDED_BY(mu_);
};

// Formats a sample value as the exposition format wants it: integers without
// a fraction, "+Inf", "-Inf", "NaN".
std::string FormatValue(double value);

// Escapes a label value: backslash, double quote and newline.
std::string EscapeLabelValue(absl::string_view value);

// --- implementation of the template ---------------------------------------

template <typename T>
Family<T>::Family(std::string name, std::string help, std::vector<std::string> label_names,
                  std::function<std::unique_ptr<T>()> make)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)),
      make_(std::move(make)) {}

template <typename T>
T& Family<T>::WithLabels(const std::vector<std::string>& values) {
  std::vector<std::string> key = values;
  key.resize(label_names_.size());
  absl::MutexLock lock(&mu_);
  std::unique_ptr<T>& child = children_[key];
  if (child == nullptr) child = make_();
  return *child;
}

}  // namespace metrics
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_METRICS_METRICS_H_
