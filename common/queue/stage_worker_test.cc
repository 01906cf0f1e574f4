#include "common/queue/stage_worker.h"

#include <unistd.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/base/status_matchers.h"
#include "common/queue/memory_queue.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace queue {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::SizeIs;

// Polls `done` until it holds or `timeout` passes; returns whether it held.
bool WaitFor(const std::function<bool()>& done, absl::Duration timeout = absl::Seconds(10)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return done();
}

int CountOccurrences(absl::string_view text, absl::string_view needle) {
  int n = 0;
  for (size_t pos = text.find(needle); pos != absl::string_view::npos;
       pos = text.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

// Fast timings so that retries through Claim take milliseconds.
StageWorkerOptions FastOptions() {
  StageWorkerOptions options;
  options.stream = "in";
  options.group = "stage";
  options.consumer = "c1";
  options.stage = "normalize";
  options.dead_stream = "dead";
  options.block = absl::Milliseconds(20);
  options.claim_idle = absl::Milliseconds(50);
  options.claim_interval = absl::Milliseconds(20);
  options.backoff_initial = absl::Milliseconds(10);
  options.backoff_max = absl::Milliseconds(80);
  return options;
}

// Runs a worker on its own thread; stops and joins on destruction.
class WorkerThread {
 public:
  explicit WorkerThread(StageWorker* worker)
      : worker_(worker), thread_([this] { status_ = worker_->Run(); }) {}
  ~WorkerThread() { Join().IgnoreError(); }
  // Stops the worker and returns Run()'s status.
  absl::Status Join() {
    if (thread_.joinable()) {
      worker_->Stop();
      thread_.join();
    }
    return status_;
  }

 private:
  StageWorker* worker_;
  absl::Status status_;
  std::thread thread_;
};

// Records every handler call; fails entries whose key is in `failures` as
// many times as the value says (-1: always).
class RecordingHandler {
 public:
  std::map<std::string, int> failures;

  StageWorker::BatchHandler AsHandler() {
    return [this](const std::vector<Entry>& batch) {
      absl::MutexLock lock(&mu_);
      std::vector<absl::Status> out;
      for (const Entry& e : batch) {
        seen_.push_back(e);
        auto it = failures.find(e.key);
        if (it != failures.end() && it->second != 0) {
          if (it->second > 0) --it->second;
          out.push_back(absl::InternalError(absl::StrCat("cannot parse ", e.key)));
        } else {
          out.push_back(absl::OkStatus());
        }
      }
      return out;
    };
  }
  // Returns the deliveries counts the handler saw for `key`, in order.
  std::vector<int64_t> DeliveriesOf(absl::string_view key) const {
    absl::MutexLock lock(&mu_);
    std::vector<int64_t> out;
    for (const Entry& e : seen_) {
      if (e.key == key) out.push_back(e.deliveries);
    }
    return out;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<Entry> seen_;
};

TEST(StageWorkerTest, CreateRejectsBadOptions) {
  MemoryQueue q;
  auto ok = [](const std::vector<Entry>& b) { return std::vector<absl::Status>(b.size()); };
  StageWorkerOptions options = FastOptions();
  options.stream.clear();
  EXPECT_THAT(StageWorker::Create(&q, options, ok),
              StatusIs(absl::StatusCode::kInvalidArgument));
  options = FastOptions();
  options.batch_size = 0;
  EXPECT_THAT(StageWorker::Create(&q, options, ok),
              StatusIs(absl::StatusCode::kInvalidArgument));
  options = FastOptions();
  options.block = absl::ZeroDuration();
  EXPECT_THAT(StageWorker::Create(&q, options, ok),
              StatusIs(absl::StatusCode::kInvalidArgument));
  options = FastOptions();
  options.backoff_max = absl::Milliseconds(1);
  EXPECT_THAT(StageWorker::Create(&q, options, ok),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(StageWorker::Create(nullptr, FastOptions(), ok),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(StageWorker::Create(&q, FastOptions(), nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(StageWorkerTest, BacksOffWhileUnavailableAndRecovers) {
  MemoryQueue q;
  q.SetAvailable(false);
  RecordingHandler handler;
  auto worker = StageWorker::Create(&q, FastOptions(), handler.AsHandler());
  ASSERT_THAT(worker, IsOk());
  ::testing::internal::CaptureStderr();
  WorkerThread thread(worker->get());
  absl::SleepFor(absl::Milliseconds(600));
  // 10+20+40 ms, then every 80 ms: about 10 calls in 600 ms. A busy loop
  // would make thousands.
  const int64_t calls_while_down = q.call_count();
  EXPECT_GE(calls_while_down, 3);
  EXPECT_LE(calls_while_down, 25);
  EXPECT_FALSE((*worker)->Snapshot().queue_available);

  q.SetAvailable(true);
  ASSERT_THAT(q.Publish("in", "k1", "p"), IsOk());
  EXPECT_TRUE(WaitFor([&] { return (*worker)->Snapshot().processed == 1; }));
  EXPECT_THAT(thread.Join(), IsOk());
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(CountOccurrences(log, "redis unavailable; retrying"), 1) << log;
  EXPECT_EQ(CountOccurrences(log, "redis available again"), 1) << log;
  EXPECT_TRUE((*worker)->Snapshot().queue_available);
  EXPECT_GE((*worker)->Snapshot().queue_errors, 3);
}

TEST(StageWorkerTest, StopReturnsPromptlyWhileReading) {
  MemoryQueue q;
  StageWorkerOptions options = FastOptions();
  options.block = absl::Milliseconds(200);
  options.claim_interval = absl::Seconds(5);
  auto worker = StageWorker::Create(&q, options, RecordingHandler().AsHandler());
  ASSERT_THAT(worker, IsOk());
  WorkerThread thread(worker->get());
  absl::SleepFor(absl::Milliseconds(50));
  const absl::Time start = absl::Now();
  EXPECT_THAT(thread.Join(), IsOk());
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_THAT((*worker)->Run(), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(StageWorkerTest, StopInterruptsBackoff) {
  MemoryQueue q;
  q.SetAvailable(false);
  StageWorkerOptions options = FastOptions();
  options.backoff_initial = absl::Seconds(30);
  options.backoff_max = absl::Seconds(60);
  auto worker = StageWorker::Create(&q, options, RecordingHandler().AsHandler());
  ASSERT_THAT(worker, IsOk());
  WorkerThread thread(worker->get());
  ASSERT_TRUE(WaitFor([&] { return q.call_count() >= 1; }));
  absl::SleepFor(absl::Milliseconds(20));
  const absl::Time start = absl::Now();
  EXPECT_THAT(thread.Join(), IsOk());
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
}

TEST(StageWorkerTest, StopBeforeRunReturnsAtOnce) {
  MemoryQueue q;
  auto worker = StageWorker::Create(&q, FastOptions(), RecordingHandler().AsHandler());
  ASSERT_THAT(worker, IsOk());
  (*worker)->Stop();
  EXPECT_THAT((*worker)->Run(), IsOk());
}

TEST(StageWorkerTest, AcksOkEntries) {
  MemoryQueue q;
  RecordingHandler handler;
  StageWorkerOptions options = FastOptions();
  options.batch_size = 3;
  auto worker = StageWorker::Create(&q, options, handler.AsHandler());
  ASSERT_THAT(worker, IsOk());
  for (int i = 0; i < 10; ++i) ASSERT_THAT(q.Publish("in", absl::StrCat("k", i), "p"), IsOk());
  WorkerThread thread(worker->get());
  ASSERT_TRUE(WaitFor([&] { return (*worker)->Snapshot().processed == 10; }));
  EXPECT_TRUE(WaitFor([&] { return q.Pending("in", "stage").value_or(-1) == 0; }));
  EXPECT_THAT(q.Backlog("in", "stage"), IsOkAndHolds(0));
  EXPECT_THAT(thread.Join(), IsOk());
  const StageWorker::Counters c = (*worker)->Snapshot();
  EXPECT_EQ(c.failed, 0);
  EXPECT_EQ(c.dead_lettered, 0);
  EXPECT_THAT(handler.DeliveriesOf("k3"), ElementsAre(1));
}

TEST(StageWorkerTest, LeavesFailedEntriesPendingAndRetriesThemThroughClaim) {
  MemoryQueue q;
  RecordingHandler handler;
  handler.failures["k2"] = 1;  // fails once, then succeeds
  StageWorkerOptions options = FastOptions();
  options.claim_idle = absl::Milliseconds(300);
  auto worker = StageWorker::Create(&q, options, handler.AsHandler());
  ASSERT_THAT(worker, IsOk());
  for (int i = 1; i <= 3; ++i) ASSERT_THAT(q.Publish("in", absl::StrCat("k", i), "p"), IsOk());
  WorkerThread thread(worker->get());
  ASSERT_TRUE(WaitFor([&] { return (*worker)->Snapshot().failed == 1; }));
  // Before claim_idle the failed entry stays pending, nobody retries it.
  EXPECT_THAT(q.Pending("in", "stage"), IsOkAndHolds(1));
  ASSERT_TRUE(WaitFor([&] { return (*worker)->Snapshot().processed == 3; }));
  EXPECT_TRUE(WaitFor([&] { return q.Pending("in", "stage").value_or(-1) == 0; }));
  EXPECT_THAT(thread.Join(), IsOk());
  EXPECT_THAT(handler.DeliveriesOf("k2"), ElementsAre(1, 2));
  EXPECT_THAT(handler.DeliveriesOf("k1"), ElementsAre(1));
  EXPECT_EQ((*worker)->Snapshot().claimed, 1);
}

TEST(StageWorkerTest, DeadLettersAfterMaxDeliveriesWithTheRecordedError) {
  MemoryQueue q;
  RecordingHandler handler;
  handler.failures["poison"] = -1;
  StageWorkerOptions options = FastOptions();
  options.max_deliveries = 3;
  std::vector<std::pair<Entry, DeadLetterInfo>> callbacks;
  absl::Mutex callbacks_mu;
  options.on_dead_letter = [&](const Entry& e, const DeadLetterInfo& info) {
    absl::MutexLock lock(&callbacks_mu);
    callbacks.emplace_back(e, info);
  };
  auto worker = StageWorker::Create(&q, options, handler.AsHandler());
  ASSERT_THAT(worker, IsOk());
  ASSERT_THAT(q.Publish("in", "good", "p"), IsOk());
  ASSERT_THAT(q.Publish("in", "poison", "p"), IsOk());
  WorkerThread thread(worker->get());
  ASSERT_TRUE(WaitFor([&] { return (*worker)->Snapshot().dead_lettered == 1; }));
  EXPECT_TRUE(WaitFor([&] { return q.Pending("in", "stage").value_or(-1) == 0; }));
  EXPECT_THAT(thread.Join(), IsOk());

  EXPECT_THAT(handler.DeliveriesOf("poison"), ElementsAre(1, 2, 3));
  std::vector<MemoryQueue::Record> dead = q.Range("dead");
  ASSERT_THAT(dead, SizeIs(1));
  EXPECT_THAT(dead[0].Field("id"), Optional(std::string("poison")));
  EXPECT_THAT(dead[0].Field("stage"), Optional(std::string("normalize")));
  EXPECT_THAT(dead[0].Field("error"), Optional(HasSubstr("cannot parse poison")));
  EXPECT_THAT(dead[0].Field("attempts"), Optional(std::string("3")));
  EXPECT_THAT(dead[0].Field("stream"), Optional(std::string("in")));
  absl::MutexLock lock(&callbacks_mu);
  ASSERT_THAT(callbacks, SizeIs(1));
  EXPECT_EQ(callbacks[0].first.key, "poison");
  EXPECT_EQ(callbacks[0].second.attempts, 3);
  EXPECT_THAT(callbacks[0].second.error, HasSubstr("cannot parse poison"));
  const StageWorker::Counters c = (*worker)->Snapshot();
  EXPECT_EQ(c.processed, 1);
  EXPECT_EQ(c.failed, 3);
  EXPECT_EQ(c.claimed, 3);  // two retries + the delivery that dead-letters it
}

TEST(StageWorkerTest, DeadLettersEntriesOthersFailedOnWithAGenericReason) {
  FakeClock clock;
  MemoryQueue q(clock.AsClock());
  ASSERT_THAT(q.EnsureGroup("in", "stage"), IsOk());
  ASSERT_THAT(q.Publish("in", "k", "p"), IsOk());
  // Three replicas took it and died: deliveries 1, 2, 3.
  ASSERT_THAT(q.Read("in", "stage", "dead-1", 1, absl::ZeroDuration()), IsOkAndHolds(SizeIs(1)));
  for (int i = 0; i < 2; ++i) {
    clock.Advance(absl::Minutes(1));
    ASSERT_THAT(q.Claim("in", "stage", "dead-2", absl::Seconds(1), 1), IsOkAndHolds(SizeIs(1)));
  }
  clock.Advance(absl::Minutes(1));
  RecordingHandler handler;
  StageWorkerOptions options = FastOptions();
  options.max_deliveries = 3;
  auto worker = StageWorker::Create(&q, options, handler.AsHandler());
  ASSERT_THAT(worker, IsOk());
  WorkerThread thread(worker->get());
  ASSERT_TRUE(WaitFor([&] { return (*worker)->Snapshot().dead_lettered == 1; }));
  EXPECT_THAT(thread.Join(), IsOk());
  EXPECT_THAT(handler.DeliveriesOf("k"), ::testing::IsEmpty());
  std::vector<MemoryQueue::Record> dead = q.Range("dead");
  ASSERT_THAT(dead, SizeIs(1));
  EXPECT_THAT(dead[0].Field("error"),
              Optional(std::string("delivered 3 times without being acknowledged (a consumer "
                                   "failed or died each time)")));
  EXPECT_THAT(dead[0].Field("attempts"), Optional(std::string("3")));
  EXPECT_THAT(q.Pending("in", "stage"), IsOkAndHolds(0));
}

TEST(StageWorkerTest, DeadLettersOtherSchemaVersionsAtOnce) {
  MemoryQueue q;
  RecordingHandler handler;
  auto worker = StageWorker::Create(&q, FastOptions(), handler.AsHandler());
  ASSERT_THAT(worker, IsOk());
  q.Append("in", {{"id", "future"}, {"pb", "p"}, {"v", absl::StrCat(kSchemaVersion + 1)}});
  q.Append("in", {{"id", "garbled"}, {"pb", "p"}});
  ASSERT_THAT(q.Publish("in", "current", "p"), IsOk());
  WorkerThread thread(worker->get());
  ASSERT_TRUE(WaitFor([&] { return (*worker)->Snapshot().dead_lettered == 2; }));
  ASSERT_TRUE(WaitFor([&] { return (*worker)->Snapshot().processed == 1; }));
  EXPECT_THAT(thread.Join(), IsOk());
  EXPECT_THAT(handler.DeliveriesOf("future"), ::testing::IsEmpty());
  std::vector<MemoryQueue::Record> dead = q.Range("dead");
  ASSERT_THAT(dead, SizeIs(2));
  EXPECT_THAT(dead[0].Field("id"), Optional(std::string("future")));
  EXPECT_THAT(dead[0].Field("error"),
              Optional(HasSubstr(absl::StrCat("schema version ", kSchemaVersion + 1))));
  EXPECT_THAT(dead[0].Field("attempts"), Optional(std::string("0")));
  EXPECT_THAT(dead[1].Field("id"), Optional(std::string("garbled")));
  EXPECT_THAT(q.Pending("in", "stage"), IsOkAndHolds(0));
}

TEST(StageWorkerTest, WrongSizedHandlerResultFailsTheWholeBatch) {
  MemoryQueue q;
  auto worker = StageWorker::Create(
      &q, FastOptions(), [](const std::vector<Entry>&) { return std::vector<absl::Status>(); });
  ASSERT_THAT(worker, IsOk());
  ASSERT_THAT(q.Publish("in", "k", "p"), IsOk());
  WorkerThread thread(worker->get());
  ASSERT_TRUE(WaitFor([&] { return (*worker)->Snapshot().failed >= 1; }));
  EXPECT_THAT(thread.Join(), IsOk());
  EXPECT_EQ((*worker)->Snapshot().processed, 0);
}

TEST(StageWorkerTest, DefaultConsumerNameIsHostDashPid) {
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof(host) - 1), 0);
  EXPECT_EQ(DefaultConsumerName(), absl::StrCat(host, "-", getpid()));
  EXPECT_EQ(StageWorkerOptions().consumer, DefaultConsumerName());
}

}  // namespace
}  // namespace queue
}  // namespace vnarchive
