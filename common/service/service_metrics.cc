#include "common/service/service_metrics.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace vnarchive {
namespace {

using metrics::MetricType;
using metrics::Sample;

// One Backlog + Pending round trip serves the three stream gauges of a scrape.
class StreamReader {
 public:
  StreamReader(queue::Queue* queue, std::string stream, std::string group,
               metrics::Counter* errors)
      : queue_(queue), stream_(std::move(stream)), group_(std::move(group)), errors_(errors) {}

  struct Values {
    bool ok = false;
    int64_t backlog = 0;
    int64_t pending = 0;
  };

  Values Read() {
    absl::MutexLock lock(&mu_);
    const absl::Time now = absl::Now();
    if (now - read_at_ < absl::Seconds(1)) return values_;
    read_at_ = now;
    values_ = Values();
    absl::StatusOr<int64_t> backlog = queue_->Backlog(stream_, group_);
    absl::StatusOr<int64_t> pending =
        backlog.ok() ? queue_->Pending(stream_, group_) : absl::StatusOr<int64_t>(0);
    // A group that does not exist yet has nothing pending.
    if (!pending.ok() && pending.status().code() == absl::StatusCode::kNotFound) pending = 0;
    if (!backlog.ok() || !pending.ok()) {
      errors_->Increment();
      return values_;
    }
    values_ = {true, *backlog, *pending};
    return values_;
  }

  const std::string& stream() const { return stream_; }
  const std::string& group() const { return group_; }

 private:
  queue::Queue* const queue_;
  const std::string stream_;
  const std::string group_;
  metrics::Counter* const errors_;
  absl::Mutex mu_;
  absl::Time read_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  Values values_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

void AddWorkerMetrics(metrics::Registry& registry, const queue::StageWorker* worker,
                      const std::string& stage) {
  using Counters = queue::StageWorker::Counters;
  struct Spec {
    const char* name;
    const char* help;
    MetricType type;
    double (*value)(const Counters&);
  };
  static constexpr Spec kSpecs[] = {
      {"vna_worker_processed_total", "Stream entries the stage handled successfully.",
       MetricType::kCounter, [](const Counters& c) { return double(c.processed); }},
      {"vna_worker_failed_total", "Handler failures (an entry failing three times counts 3).",
       MetricType::kCounter, [](const Counters& c) { return double(c.failed); }},
      {"vna_worker_dead_lettered_total", "Entries given up on and copied to the dead stream.",
       MetricType::kCounter, [](const Counters& c) { return double(c.dead_lettered); }},
      {"vna_worker_claimed_total", "Entries taken over from a consumer that went away.",
       MetricType::kCounter, [](const Counters& c) { return double(c.claimed); }},
      {"vna_worker_queue_errors_total", "Failed Redis calls of the worker.",
       MetricType::kCounter, [](const Counters& c) { return double(c.queue_errors); }},
      {"vna_worker_queue_available", "0 while the worker cannot reach Redis.",
       MetricType::kGauge, [](const Counters& c) { return c.queue_available ? 1.0 : 0.0; }},
      {"vna_worker_last_batch_seconds", "Handler time of the worker's last batch.",
       MetricType::kGauge,
       [](const Counters& c) { return absl::ToDoubleSeconds(c.last_batch_latency); }},
  };
  for (const Spec& spec : kSpecs) {
    registry.AddCallback(spec.name, spec.help, spec.type, {"stage"},
                         [worker, stage, value = spec.value] {
                           return std::vector<Sample>{{{stage}, value(worker->Snapshot())}};
                         });
  }
}

void AddStreamMetrics(metrics::Registry& registry, queue::Queue* queue, const std::string& stream,
                      const std::string& group) {
  metrics::Counter* errors =
      &registry
           .AddCounter("vna_stream_scrape_errors_total",
                       "Failed reads of a stream's backlog while scraping (Redis away).",
                       {"stream", "group"})
           .WithLabels({stream, group});
  auto reader = std::make_shared<StreamReader>(queue, stream, group, errors);
  const auto add = [&](const char* name, const char* help,
                       int64_t (*pick)(const StreamReader::Values&)) {
    registry.AddCallback(name, help, MetricType::kGauge, {"stream", "group"}, [reader, pick] {
      const StreamReader::Values values = reader->Read();
      if (!values.ok) return std::vector<Sample>();
      return std::vector<Sample>{{{reader->stream(), reader->group()}, double(pick(values))}};
    });
  };
  add("vna_stream_backlog",
      "Entries of the stream the consumer group has not finished (never delivered + pending).",
      [](const StreamReader::Values& v) { return v.backlog; });
  add("vna_stream_pending", "Entries delivered to a consumer and not yet acknowledged.",
      [](const StreamReader::Values& v) { return v.pending; });
  add("vna_stream_lag", "Entries not yet delivered to any consumer of the group (consumer lag).",
      [](const StreamReader::Values& v) { return v.backlog - v.pending; });
}

void AddIndexMetrics(metrics::Registry& registry,
                     std::function<absl::StatusOr<IndexSizes>()> read) {
  auto shared_read = std::make_shared<std::function<absl::StatusOr<IndexSizes>()>>(std::move(read));
  const auto add = [&](const char* name, const char* help, int64_t IndexSizes::*field) {
    registry.AddCallback(name, help, MetricType::kGauge, {}, [shared_read, field] {
      absl::StatusOr<IndexSizes> sizes = (*shared_read)();
      if (!sizes.ok()) return std::vector<Sample>();
      return std::vector<Sample>{{{}, double((*sizes).*field)}};
    });
  };
  add("vna_index_documents", "Documents in this search shard.", &IndexSizes::documents);
  add("vna_index_entities", "Entities stored with the shard's documents.", &IndexSizes::entities);
  add("vna_index_size_bytes", "Size of the shard's main database file.", &IndexSizes::bytes);
}

}  // namespace vnarchive
