// Bulk ingest with back-pressure, end to end: the real vnarchive-ingest binary
// and a real redis-server on a free loopback port. 10,000 generated documents
// go through IngestStream (BulkIngest, as `vnarchive ingest` and the load
// generator send them) while the high-water mark is low and a consumer plays
// a slow normalize stage. The service must refuse with RESOURCE_EXHAUSTED,
// the client must back off and resend, and in the end every document is in
// the stream exactly once.
#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/base/status_matchers.h"
#include "common/redis/redis_queue.h"
#include "gtest/gtest.h"
#include "services/ingest/client/bulk_ingest.h"
#include "services/ingest/testing/ingest_process.h"
#include "tests/testing/benchmark_corpus.h"
#include "tests/testing/generated_text.h"
#include "tests/testing/redis_server.h"
#include "vnarchive/v1/ingest.grpc.pb.h"

namespace vnarchive {
namespace {

constexpr int kDocuments = 10000;
constexpr int64_t kHighWater = 300;
constexpr char kStream[] = "vna:ingested";
constexpr char kGroup[] = "normalize";

// A slow normalize stage: reads the ingested stream in its consumer group
// and acks at most `per_second` entries a second, remembering every doc_id
// and the largest backlog it saw (entries appended and not yet acked).
class SlowConsumer {
 public:
  SlowConsumer(const std::string& address, int per_second)
      : address_(address), per_second_(per_second) {}
  ~SlowConsumer() { Stop(); }

  absl::Status Start() {
    redis::RedisOptions options;
    options.address = address_;
    absl::StatusOr<std::unique_ptr<redis::RedisQueue>> queue = redis::RedisQueue::Create(options);
    if (!queue.ok()) return queue.status();
    queue_ = *std::move(queue);
    absl::Status group = queue_->EnsureGroup(kStream, kGroup);
    if (!group.ok()) return group;
    thread_ = std::thread([this] { Run(); });
    return absl::OkStatus();
  }

  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  int64_t entries() const {
    absl::MutexLock lock(&mu_);
    return entries_;
  }
  std::map<std::string, int> doc_ids() const {
    absl::MutexLock lock(&mu_);
    return doc_ids_;
  }
  int64_t max_backlog() const { return max_backlog_; }

 private:
  void Run() {
    const int per_batch = 50;
    const absl::Duration per_batch_time = absl::Seconds(1) * per_batch / per_second_;
    while (!stop_) {
      const absl::Time started = absl::Now();
      absl::StatusOr<int64_t> backlog = queue_->Backlog(kStream, kGroup);
      if (backlog.ok()) max_backlog_ = std::max<int64_t>(max_backlog_, *backlog);
      absl::StatusOr<std::vector<queue::Entry>> read =
          queue_->Read(kStream, kGroup, "slow", per_batch, absl::Milliseconds(100));
      if (!read.ok() || read->empty()) continue;
      std::vector<std::string> ids;
      {
        absl::MutexLock lock(&mu_);
        for (const queue::Entry& entry : *read) {
          ++doc_ids_[entry.key];
          ++entries_;
          ids.push_back(entry.entry_id);
        }
      }
      (void)queue_->Ack(kStream, kGroup, ids);
      absl::SleepFor(per_batch_time - (absl::Now() - started));
    }
  }

  const std::string address_;
  const int per_second_;
  std::unique_ptr<redis::RedisQueue> queue_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> max_backlog_{0};
  mutable absl::Mutex mu_;
  int64_t entries_ = 0;
  std::map<std::string, int> doc_ids_;
};

TEST(IngestBulkTest, TenThousandDocumentsUnderBackPressureAreEachAcceptedExactlyOnce) {
  testutil::TestRedisServerOptions redis_options;
  redis_options.unix_socket = false;  // a free loopback TCP port
  auto redis = testutil::TestRedisServer::Start(redis_options);
  ASSERT_THAT(redis, IsOk());

  // The group exists before the first document, so the backlog is counted
  // from the start.
  SlowConsumer consumer((*redis)->address(), /*per_second=*/1500);
  ASSERT_THAT(consumer.Start(), IsOk());

  ingest::IngestProcessOptions options;
  options.binary = VNA_INGEST_BINARY;
  options.log_path = (*redis)->dir() + "/ingest.log";
  options.flags = {"--redis=" + (*redis)->address(), absl::StrCat("--high_water=", kHighWater),
                   "--retry_after=200ms"};
  auto ingest = ingest::IngestProcess::Start(options);
  ASSERT_THAT(ingest, IsOk());

  std::vector<std::string> texts = testutil::SplitIntoDocuments(
      testutil::GenerateVietnameseProse(static_cast<size_t>(kDocuments) * 3000), 1200);
  ASSERT_GE(texts.size(), static_cast<size_t>(kDocuments));
  std::vector<v1::IngestRequest> requests(kDocuments);
  for (int i = 0; i < kDocuments; ++i) {
    requests[i].set_text(texts[i]);
    requests[i].set_name(absl::StrCat("bulk-", i, ".txt"));
  }

  auto stub = v1::IngestService::NewStub(
      grpc::CreateChannel((*ingest)->address(), grpc::InsecureChannelCredentials()));
  const absl::Time start = absl::Now();
  absl::StatusOr<ingest::BulkIngestReport> report = ingest::BulkIngest(*stub, requests);
  ASSERT_THAT(report, IsOk()) << (*ingest)->LogTail();
  const absl::Duration took = absl::Now() - start;

  // Every document got one answer: accepted, or (if its first answer was
  // lost) a duplicate of itself.
  ASSERT_EQ(report->responses.size(), requests.size());
  std::set<std::string> accepted_ids;
  for (const v1::IngestResponse& response : report->responses) {
    ASSERT_TRUE(response.outcome() == v1::IngestResponse::ACCEPTED ||
                (response.outcome() == v1::IngestResponse::DUPLICATE &&
                 response.duplicate_of() == response.doc_id()))
        << response.ShortDebugString();
    accepted_ids.insert(response.doc_id());
  }
  EXPECT_EQ(accepted_ids.size(), static_cast<size_t>(kDocuments));
  // Back-pressure was really applied, and the client resent after it.
  EXPECT_GT(report->busy, 0);
  EXPECT_GT(report->streams, 1);

  // The stream holds each document exactly once.
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (consumer.entries() < kDocuments && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  absl::SleepFor(absl::Milliseconds(300));  // anything extra would show now
  consumer.Stop();
  EXPECT_EQ(consumer.entries(), kDocuments);
  const std::map<std::string, int> seen = consumer.doc_ids();
  EXPECT_EQ(seen.size(), static_cast<size_t>(kDocuments));
  for (const auto& [doc_id, count] : seen) {
    EXPECT_EQ(count, 1) << doc_id;
    EXPECT_TRUE(accepted_ids.count(doc_id)) << doc_id;
  }
  // The service kept the backlog at its mark (one document over is how the
  // mark is defined: refused while *more* than high_water wait).
  EXPECT_LE(consumer.max_backlog(), kHighWater + 1);

  grpc::ClientContext context;
  v1::IngestStatsResponse stats;
  ASSERT_TRUE(stub->Stats(&context, v1::IngestStatsRequest(), &stats).ok());
  EXPECT_GE(stats.rejected().at("backlog"), static_cast<uint64_t>(report->busy));
  EXPECT_EQ(stats.accepted(), static_cast<uint64_t>(kDocuments));
  std::cout << kDocuments << " documents in " << absl::FormatDuration(took) << ", "
            << report->streams << " streams, " << report->busy
            << " ended with RESOURCE_EXHAUSTED; max backlog " << consumer.max_backlog()
            << "\n";
  EXPECT_THAT((*ingest)->Stop(), IsOk());
}

}  // namespace
}  // namespace vnarchive
