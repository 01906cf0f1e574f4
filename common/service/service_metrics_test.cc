#include "common/service/service_metrics.h"

#include <memory>
#include <string>
#include <vector>

#include "common/queue/memory_queue.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ServiceMetricsTest, StreamBacklogPendingAndLag) {
  queue::MemoryQueue queue;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(queue.Publish("s:in", "d", "pb").ok());
  ASSERT_TRUE(queue.EnsureGroup("s:in", "g").ok());
  ASSERT_TRUE(queue.Read("s:in", "g", "c", 2, absl::ZeroDuration()).ok());  // 2 pending
  metrics::Registry registry;
  AddStreamMetrics(registry, &queue, "s:in", "g");
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("vna_stream_backlog{stream=\"s:in\",group=\"g\"} 5\n"));
  EXPECT_THAT(text, HasSubstr("vna_stream_pending{stream=\"s:in\",group=\"g\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("vna_stream_lag{stream=\"s:in\",group=\"g\"} 3\n"));
}

TEST(ServiceMetricsTest, WorkerCountersAreExported) {
  queue::MemoryQueue queue;
  queue::StageWorkerOptions options;
  options.stream = "s:in";
  options.group = "g";
  auto worker = queue::StageWorker::Create(&queue, options, [](const std::vector<queue::Entry>& b) {
    return std::vector<absl::Status>(b.size());
  });
  ASSERT_TRUE(worker.ok());
  metrics::Registry registry;
  AddWorkerMetrics(registry, worker->get(), "normalize");
  const std::string text = registry.Render();
  for (const char* name : {"vna_worker_processed_total", "vna_worker_failed_total",
                           "vna_worker_dead_lettered_total", "vna_worker_claimed_total",
                           "vna_worker_queue_errors_total"}) {
    EXPECT_THAT(text, HasSubstr(std::string("# TYPE ") + name + " counter\n"));
    EXPECT_THAT(text, HasSubstr(std::string(name) + "{stage=\"normalize\"} 0\n"));
  }
  EXPECT_THAT(text, HasSubstr("vna_worker_queue_available{stage=\"normalize\"} 1\n"));
}

TEST(ServiceMetricsTest, IndexSizesAndErrorsLeaveThemOut) {
  metrics::Registry registry;
  bool fail = false;
  AddIndexMetrics(registry, [&]() -> absl::StatusOr<IndexSizes> {
    if (fail) return absl::UnavailableError("locked");
    return IndexSizes{12, 40, 4096};
  });
  std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("vna_index_documents 12\n"));
  EXPECT_THAT(text, HasSubstr("vna_index_entities 40\n"));
  EXPECT_THAT(text, HasSubstr("vna_index_size_bytes 4096\n"));
  fail = true;
  text = registry.Render();
  EXPECT_THAT(text, Not(HasSubstr("vna_index_documents 12")));
}

}  // namespace
}  // namespace vnarchive
