// RedisQueue, RedisStatusStore and StageWorker against a real redis-server
// (one private server per test suite; every test uses its own stream and key
// names, so tests share no state).
#include <hiredis/hiredis.h>

#include <atomic>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/base/status_matchers.h"
#include "common/queue/stage_worker.h"
#include "common/redis/redis_queue.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/redis_server.h"

namespace vnarchive {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using queue::Entry;
using queue::StageWorker;
using queue::StageWorkerOptions;
using redis::RedisOptions;
using redis::RedisQueue;
using redis::RedisStatusStore;
using testutil::TestRedisServer;
using testutil::TestRedisServerOptions;

bool WaitFor(const std::function<bool()>& done, absl::Duration timeout = absl::Seconds(15)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return done();
}

using Fields = std::map<std::string, std::string>;

// Reads a whole stream with XRANGE over a raw hiredis connection, so the
// checks do not go through the code under test.
std::vector<Fields> RawXRange(const std::string& address, const std::string& stream) {
  std::vector<Fields> out;
  absl::StatusOr<redis::RedisAddress> parsed = redis::ParseRedisAddress(address);
  EXPECT_THAT(parsed, IsOk());
  if (!parsed.ok()) return out;
  redisContext* c = parsed->unix_socket ? redisConnectUnix(parsed->path.c_str())
                                        : redisConnect(parsed->host.c_str(), parsed->port);
  if (c == nullptr || c->err != 0) {
    ADD_FAILURE() << "raw connect to " << address << " failed";
    if (c != nullptr) redisFree(c);
    return out;
  }
  const char* argv[] = {"XRANGE", stream.c_str(), "-", "+"};
  const size_t lens[] = {6, stream.size(), 1, 1};
  auto* reply = static_cast<redisReply*>(redisCommandArgv(c, 4, argv, lens));
  if (reply != nullptr && reply->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 0; i < reply->elements; ++i) {
      const redisReply* fields = reply->element[i]->element[1];
      Fields f;
      f["_id"] = std::string(reply->element[i]->element[0]->str,
                             reply->element[i]->element[0]->len);
      for (size_t k = 0; k + 1 < fields->elements; k += 2) {
        f[std::string(fields->element[k]->str, fields->element[k]->len)] =
            std::string(fields->element[k + 1]->str, fields->element[k + 1]->len);
      }
      out.push_back(std::move(f));
    }
  } else {
    ADD_FAILURE() << "XRANGE " << stream << " failed";
  }
  if (reply != nullptr) freeReplyObject(reply);
  redisFree(c);
  return out;
}

// Runs one raw command (for set-ups the interface does not offer, e.g. XDEL).
void RawCommand(const std::string& address, const std::vector<std::string>& args) {
  absl::StatusOr<redis::RedisAddress> parsed = redis::ParseRedisAddress(address);
  ASSERT_THAT(parsed, IsOk());
  redisContext* c = parsed->unix_socket ? redisConnectUnix(parsed->path.c_str())
                                        : redisConnect(parsed->host.c_str(), parsed->port);
  ASSERT_TRUE(c != nullptr && c->err == 0);
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const std::string& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
  EXPECT_TRUE(reply != nullptr && reply->type != REDIS_REPLY_ERROR);
  if (reply != nullptr) freeReplyObject(reply);
  redisFree(c);
}

// Thread-safe count of handler calls per key.
class KeyCounter {
 public:
  void Add(const std::string& key) {
    absl::MutexLock lock(&mu_);
    ++counts_[key];
    ++total_;
  }
  int64_t total() const {
    absl::MutexLock lock(&mu_);
    return total_;
  }
  std::map<std::string, int> counts() const {
    absl::MutexLock lock(&mu_);
    return counts_;
  }

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, int> counts_;
  int64_t total_ = 0;
};

// A StageWorker with its own RedisQueue on its own thread.
class WorkerThread {
 public:
  WorkerThread(std::unique_ptr<RedisQueue> queue, StageWorkerOptions options,
               StageWorker::BatchHandler handler)
      : queue_(std::move(queue)) {
    auto worker = StageWorker::Create(queue_.get(), std::move(options), std::move(handler));
    EXPECT_THAT(worker, IsOk());
    if (!worker.ok()) return;
    worker_ = std::move(*worker);
    thread_ = std::thread([this] { EXPECT_THAT(worker_->Run(), IsOk()); });
  }
  ~WorkerThread() { Join(); }
  void Join() {
    if (!thread_.joinable()) return;
    worker_->Stop();
    thread_.join();
  }
  StageWorker::Counters Snapshot() const { return worker_->Snapshot(); }

 private:
  std::unique_ptr<RedisQueue> queue_;
  std::unique_ptr<StageWorker> worker_;
  std::thread thread_;
};

class RedisQueueIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<TestRedisServer>> server = TestRedisServer::Start();
    if (server.ok()) {
      server_ = server->release();
    } else {
      start_error_ = new std::string(server.status().ToString());
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    // Fail, never skip: a missing redis-server must not look like a pass.
    ASSERT_NE(server_, nullptr) << "cannot start redis-server: " << *start_error_;
  }

  // A key unique to this test, so tests share no state on the shared server.
  static std::string Key(absl::string_view name) {
    return absl::StrCat("vna:test:", ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                        ":", name);
  }

  static RedisOptions Options() {
    RedisOptions options;
    options.address = server_->address();
    options.reconnect_backoff_initial = absl::Milliseconds(50);
    options.reconnect_backoff_max = absl::Milliseconds(500);
    return options;
  }

  static std::unique_ptr<RedisQueue> NewQueue() {
    auto queue = RedisQueue::Create(Options());
    EXPECT_THAT(queue, IsOk());
    return queue.ok() ? std::move(*queue) : nullptr;
  }

  static StageWorkerOptions FastWorkerOptions(const std::string& stream,
                                              const std::string& consumer) {
    StageWorkerOptions options;
    options.stream = stream;
    options.group = "stage";
    options.stage = "normalize";
    options.consumer = consumer;
    options.dead_stream = Key("dead");
    options.block = absl::Milliseconds(100);
    options.claim_interval = absl::Milliseconds(100);
    options.backoff_initial = absl::Milliseconds(20);
    options.backoff_max = absl::Milliseconds(300);
    return options;
  }

  static TestRedisServer* server_;
  static std::string* start_error_;
};

TestRedisServer* RedisQueueIntegrationTest::server_ = nullptr;
std::string* RedisQueueIntegrationTest::start_error_ = nullptr;

TEST_F(RedisQueueIntegrationTest, TwoConsumersProcessEachEntryExactlyOnce) {
  const std::string stream = Key("in");
  auto publisher = NewQueue();
  constexpr int kEntries = 500;
  for (int i = 0; i < kEntries; ++i) {
    ASSERT_THAT(publisher->Publish(stream, absl::StrCat("doc-", i), "payload"), IsOk());
  }
  KeyCounter counter;
  auto handler = [&counter](const std::vector<Entry>& batch) {
    for (const Entry& e : batch) counter.Add(e.key);
    return std::vector<absl::Status>(batch.size());
  };
  {
    WorkerThread a(NewQueue(), FastWorkerOptions(stream, "c1"), handler);
    WorkerThread b(NewQueue(), FastWorkerOptions(stream, "c2"), handler);
    ASSERT_TRUE(WaitFor([&] {
      return counter.total() >= kEntries &&
             publisher->Pending(stream, "stage").value_or(-1) == 0;
    })) << "processed " << counter.total();
    a.Join();
    b.Join();
    std::cout << "consumer c1 processed " << a.Snapshot().processed << ", c2 "
              << b.Snapshot().processed << "\n";
    EXPECT_EQ(a.Snapshot().processed + b.Snapshot().processed, kEntries);
  }
  std::map<std::string, int> counts = counter.counts();
  ASSERT_THAT(counts, SizeIs(kEntries));
  for (const auto& [key, n] : counts) EXPECT_EQ(n, 1) << key;
  EXPECT_THAT(publisher->Pending(stream, "stage"), IsOkAndHolds(0));
  EXPECT_THAT(publisher->Backlog(stream, "stage"), IsOkAndHolds(0));
}

TEST_F(RedisQueueIntegrationTest, AnotherConsumerTakesOverEntriesOfADeadOne) {
  const std::string stream = Key("in");
  auto publisher = NewQueue();
  ASSERT_THAT(publisher->EnsureGroup(stream, "stage"), IsOk());
  ASSERT_THAT(publisher->Publish(stream, "orphan", "p"), IsOk());
  {
    // Reads, then "dies" before acking.
    auto doomed = NewQueue();
    ASSERT_THAT(doomed->Read(stream, "stage", "doomed", 10, absl::ZeroDuration()),
                IsOkAndHolds(SizeIs(1)));
  }
  EXPECT_THAT(publisher->Pending(stream, "stage"), IsOkAndHolds(1));

  std::vector<int64_t> deliveries;
  absl::Mutex mu;
  StageWorkerOptions options = FastWorkerOptions(stream, "survivor");
  options.claim_idle = absl::Seconds(1);
  const absl::Time start = absl::Now();
  WorkerThread worker(NewQueue(), options, [&](const std::vector<Entry>& batch) {
    absl::MutexLock lock(&mu);
    for (const Entry& e : batch) deliveries.push_back(e.deliveries);
    return std::vector<absl::Status>(batch.size());
  });
  ASSERT_TRUE(WaitFor([&] { return worker.Snapshot().processed == 1; }));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(900));  // only after claim_idle
  EXPECT_TRUE(WaitFor([&] { return publisher->Pending(stream, "stage").value_or(-1) == 0; }));
  worker.Join();
  absl::MutexLock lock(&mu);
  EXPECT_THAT(deliveries, ElementsAre(2));
  EXPECT_EQ(worker.Snapshot().claimed, 1);
}

TEST_F(RedisQueueIntegrationTest, PoisonEntryEndsInTheDeadStreamWithStageAndError) {
  const std::string stream = Key("in");
  auto publisher = NewQueue();
  ASSERT_THAT(publisher->Publish(stream, "good", "p"), IsOk());
  ASSERT_THAT(publisher->Publish(stream, "poison", "p"), IsOk());
  StageWorkerOptions options = FastWorkerOptions(stream, "c1");
  options.max_deliveries = 3;
  options.claim_idle = absl::Milliseconds(300);
  std::atomic<int> poison_calls{0};
  std::atomic<int> callbacks{0};
  options.on_dead_letter = [&](const Entry& e, const queue::DeadLetterInfo& info) {
    EXPECT_EQ(e.key, "poison");
    EXPECT_EQ(info.attempts, 3);
    ++callbacks;
  };
  WorkerThread worker(NewQueue(), options, [&](const std::vector<Entry>& batch) {
    std::vector<absl::Status> out;
    for (const Entry& e : batch) {
      if (e.key == "poison") {
        ++poison_calls;
        out.push_back(absl::InvalidArgumentError("unparseable payload"));
      } else {
        out.push_back(absl::OkStatus());
      }
    }
    return out;
  });
  ASSERT_TRUE(WaitFor([&] { return worker.Snapshot().dead_lettered == 1; }));
  EXPECT_TRUE(WaitFor([&] { return publisher->Pending(stream, "stage").value_or(-1) == 0; }));
  worker.Join();
  EXPECT_EQ(poison_calls.load(), 3);
  EXPECT_EQ(callbacks.load(), 1);
  std::vector<Fields> dead = RawXRange(server_->address(), Key("dead"));
  ASSERT_THAT(dead, SizeIs(1));
  EXPECT_EQ(dead[0]["id"], "poison");
  EXPECT_EQ(dead[0]["stage"], "normalize");
  EXPECT_THAT(dead[0]["error"], HasSubstr("unparseable payload"));
  EXPECT_EQ(dead[0]["attempts"], "3");
  EXPECT_EQ(dead[0]["stream"], stream);
  EXPECT_EQ(dead[0]["v"], absl::StrCat(queue::kSchemaVersion));
  EXPECT_FALSE(dead[0]["entry"].empty());
  EXPECT_EQ(worker.Snapshot().processed, 1);
}

TEST_F(RedisQueueIntegrationTest, CreateSucceedsWhileRedisIsDownAndRecoversWhenItIsBack) {
  absl::StatusOr<std::unique_ptr<TestRedisServer>> own = TestRedisServer::Start();
  ASSERT_THAT(own, IsOk());
  ASSERT_THAT((*own)->Stop(), IsOk());
  RedisOptions options = Options();
  options.address = (*own)->address();
  options.reconnect_backoff_initial = absl::Milliseconds(200);
  options.reconnect_backoff_max = absl::Milliseconds(200);
  auto queue = RedisQueue::Create(options);
  ASSERT_THAT(queue, IsOk());
  const absl::Time start = absl::Now();
  EXPECT_THAT((*queue)->Ping(), StatusIs(absl::StatusCode::kUnavailable));
  for (int i = 0; i < 50; ++i) {
    EXPECT_THAT((*queue)->Publish(Key("in"), "k", "p"), StatusIs(absl::StatusCode::kUnavailable));
    EXPECT_THAT((*queue)->Read(Key("in"), "g", "c", 1, absl::Seconds(1)),
                StatusIs(absl::StatusCode::kUnavailable));
  }
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));

  ASSERT_THAT((*own)->Restart(), IsOk());
  EXPECT_TRUE(WaitFor([&] { return (*queue)->Ping().ok(); }, absl::Seconds(5)));
  EXPECT_THAT((*queue)->Publish(Key("in"), "k", "p"), IsOk());
}

TEST_F(RedisQueueIntegrationTest, FirstCallAfterARedisRestartSucceeds) {
  absl::StatusOr<std::unique_ptr<TestRedisServer>> own = TestRedisServer::Start();
  ASSERT_THAT(own, IsOk());
  RedisOptions options = Options();
  options.address = (*own)->address();
  auto status = RedisStatusStore::Create(options);
  ASSERT_THAT(status, IsOk());
  queue::DocStatus accepted;
  accepted.stage = queue::kStageAccepted;
  ASSERT_THAT((*status)->Set("doc-1", accepted), IsOk());
  // The store's connection is now stale: the server it talked to is gone.
  ASSERT_THAT((*own)->Restart(), IsOk());
  queue::DocStatus indexed;
  indexed.stage = queue::kStageIndexed;
  // Sent again on a fresh connection, not failed: the old server never saw it.
  EXPECT_THAT((*status)->Set("doc-1", indexed), IsOk());
  EXPECT_THAT((*status)->Get("doc-1"),
              IsOkAndHolds(::testing::Optional(::testing::Field(&queue::DocStatus::stage,
                                                                queue::kStageIndexed))));
}

TEST_F(RedisQueueIntegrationTest, StatusStoreRoundTripsAndUnknownIsNullopt) {
  RedisOptions options = Options();
  options.key_prefix = absl::StrCat(Key("p"), ":");
  auto store = RedisStatusStore::Create(options);
  ASSERT_THAT(store, IsOk());
  auto unknown = (*store)->Get("never-seen");
  ASSERT_THAT(unknown, IsOk());
  EXPECT_FALSE(unknown->has_value());

  queue::DocStatus accepted;
  accepted.stage = queue::kStageAccepted;
  accepted.content_hash = "0123abcd";
  accepted.updated_unix_ms = 1700000000123;
  ASSERT_THAT((*store)->Set("doc-1", accepted), IsOk());
  queue::DocStatus failed;
  failed.stage = queue::kStageFailed;
  failed.error = "normalize: invalid UTF-8 at byte 17";
  const int64_t before = absl::ToUnixMillis(absl::Now());
  ASSERT_THAT((*store)->Set("doc-1", failed), IsOk());

  auto got = (*store)->Get("doc-1");
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->stage, queue::kStageFailed);
  EXPECT_EQ((*got)->error, "normalize: invalid UTF-8 at byte 17");
  EXPECT_EQ((*got)->content_hash, "0123abcd");  // kept from the first Set
  EXPECT_GE((*got)->updated_unix_ms, before);   // filled with now
  EXPECT_EQ((*store)->KeyFor("doc-1"), absl::StrCat(options.key_prefix, "status:doc-1"));
}

TEST_F(RedisQueueIntegrationTest, PublishManyAndSetManyWriteEveryOneInOrder) {
  const std::string stream = Key("in");
  auto queue = NewQueue();
  ASSERT_THAT(queue->EnsureGroup(stream, "stage"), IsOk());
  std::vector<queue::Queue::Message> messages;
  for (int i = 0; i < 50; ++i) {
    messages.push_back({absl::StrCat("doc-", i), std::string(1 + i, static_cast<char>('a' + i % 26))});
  }
  auto ids = queue->PublishMany(stream, messages);
  ASSERT_THAT(ids, IsOkAndHolds(SizeIs(50)));
  EXPECT_THAT(queue->PublishMany(stream, {}), IsOkAndHolds(SizeIs(0)));
  auto read = queue->Read(stream, "stage", "c", 100, absl::Milliseconds(100));
  ASSERT_THAT(read, IsOkAndHolds(SizeIs(50)));
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ((*read)[i].entry_id, (*ids)[i]);
    EXPECT_EQ((*read)[i].key, messages[i].key);
    EXPECT_EQ((*read)[i].payload, messages[i].payload);
  }

  RedisOptions options = Options();
  options.key_prefix = absl::StrCat(Key("p"), ":");
  auto store = RedisStatusStore::Create(options);
  ASSERT_THAT(store, IsOk());
  queue::DocStatus accepted;
  accepted.stage = queue::kStageAccepted;
  accepted.content_hash = "feed";
  ASSERT_THAT((*store)->Set("doc-7", accepted), IsOk());
  std::vector<std::string> doc_ids;
  for (const auto& m : messages) doc_ids.push_back(m.key);
  queue::DocStatus normalized;
  normalized.stage = queue::kStageNormalized;
  const int64_t before = absl::ToUnixMillis(absl::Now());
  ASSERT_THAT((*store)->SetMany(doc_ids, normalized), IsOk());
  auto got = (*store)->GetMany(doc_ids);
  ASSERT_THAT(got, IsOkAndHolds(SizeIs(50)));
  for (const auto& status : *got) {
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->stage, queue::kStageNormalized);
    EXPECT_GE(status->updated_unix_ms, before);
  }
  EXPECT_EQ((*got)[7]->content_hash, "feed");  // fields not given are kept

  // A key of the wrong type fails the batch with a clear error.
  ASSERT_THAT(queue->Publish((*store)->KeyFor("stream-not-hash"), "k", "p"), IsOk());
  EXPECT_THAT((*store)->SetMany({"doc-1", "stream-not-hash"}, normalized),
              StatusIs(absl::StatusCode::kInternal));
}

TEST_F(RedisQueueIntegrationTest, BinaryPayloadsSurviveReadAndDeadLetter) {
  const std::string stream = Key("in");
  auto queue = NewQueue();
  std::string payload("\0\x01\xff\xfe pb \r\n\0", 12);
  for (int b = 0; b < 256; ++b) payload.push_back(static_cast<char>(b));
  const std::string key = "doc with spaces\tand ê";
  ASSERT_THAT(queue->EnsureGroup(stream, "stage"), IsOk());
  ASSERT_THAT(queue->Publish(stream, key, payload), IsOk());
  auto read = queue->Read(stream, "stage", "c", 10, absl::Milliseconds(100));
  ASSERT_THAT(read, IsOkAndHolds(SizeIs(1)));
  const Entry& e = (*read)[0];
  EXPECT_EQ(e.key, key);
  EXPECT_EQ(e.payload, payload);
  EXPECT_EQ(e.version, queue::kSchemaVersion);
  EXPECT_EQ(e.deliveries, 1);
  ASSERT_THAT(queue->DeadLetter(stream, "stage", Key("dead"), e, {"extract", "boom", 2}), IsOk());
  std::vector<Fields> dead = RawXRange(server_->address(), Key("dead"));
  ASSERT_THAT(dead, SizeIs(1));
  EXPECT_EQ(dead[0]["pb"], payload);
  EXPECT_EQ(dead[0]["entry"], e.entry_id);
  EXPECT_THAT(queue->Pending(stream, "stage"), IsOkAndHolds(0));
}

TEST_F(RedisQueueIntegrationTest, BacklogPendingAndMissingGroups) {
  const std::string stream = Key("in");
  auto queue = NewQueue();
  EXPECT_THAT(queue->Backlog(stream, "stage"), IsOkAndHolds(0));  // no stream
  for (int i = 0; i < 5; ++i) ASSERT_THAT(queue->Publish(stream, "k", "p"), IsOk());
  EXPECT_THAT(queue->Backlog(stream, "stage"), IsOkAndHolds(5));  // no group: XLEN
  EXPECT_THAT(queue->Pending(stream, "stage"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(queue->Read(stream, "stage", "c", 1, absl::ZeroDuration()),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(queue->Claim(stream, "stage", "c", absl::ZeroDuration(), 1),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_THAT(queue->EnsureGroup(stream, "stage"), IsOk());
  ASSERT_THAT(queue->EnsureGroup(stream, "stage"), IsOk());  // BUSYGROUP is fine
  EXPECT_THAT(queue->Backlog(stream, "stage"), IsOkAndHolds(5));
  auto read = queue->Read(stream, "stage", "c", 2, absl::ZeroDuration());
  ASSERT_THAT(read, IsOkAndHolds(SizeIs(2)));
  EXPECT_THAT(queue->Pending(stream, "stage"), IsOkAndHolds(2));
  EXPECT_THAT(queue->Backlog(stream, "stage"), IsOkAndHolds(5));  // 3 lag + 2 pending
  ASSERT_THAT(queue->Ack(stream, "stage", {(*read)[0].entry_id}), IsOk());
  EXPECT_THAT(queue->Backlog(stream, "stage"), IsOkAndHolds(4));
  EXPECT_THAT(queue->Read(stream, "stage", "c", 10, absl::Milliseconds(50)),
              IsOkAndHolds(SizeIs(3)));
  EXPECT_THAT(queue->Read(stream, "stage", "c", 10, absl::Milliseconds(50)),
              IsOkAndHolds(IsEmpty()));  // BLOCK timeout

  // An entry deleted while pending is dropped by Claim, never delivered.
  RawCommand(server_->address(), {"XDEL", stream, (*read)[1].entry_id});
  auto claimed = queue->Claim(stream, "stage", "other", absl::ZeroDuration(), 10);
  ASSERT_THAT(claimed, IsOkAndHolds(SizeIs(3)));
  for (const Entry& e : *claimed) {
    EXPECT_NE(e.entry_id, (*read)[1].entry_id);
    EXPECT_EQ(e.deliveries, 2);
  }
  EXPECT_THAT(queue->Pending(stream, "stage"), IsOkAndHolds(3));
}

TEST_F(RedisQueueIntegrationTest, WorksOverTcpToo) {
  TestRedisServerOptions server_options;
  server_options.unix_socket = false;
  auto tcp = TestRedisServer::Start(server_options);
  ASSERT_THAT(tcp, IsOk());
  EXPECT_THAT((*tcp)->address(), HasSubstr("127.0.0.1:"));
  RedisOptions options = Options();
  options.address = (*tcp)->address();
  auto queue = RedisQueue::Create(options);
  ASSERT_THAT(queue, IsOk());
  EXPECT_THAT((*queue)->Ping(), IsOk());
  EXPECT_THAT((*queue)->Publish("s", "k", "p"), IsOk());
}

// The AOF restart test needs its own append-only server.
TEST(RedisAofRestartTest, EveryEntrySurvivesARestartMidStream) {
  TestRedisServerOptions server_options;
  server_options.appendonly = true;
  auto server = TestRedisServer::Start(server_options);
  ASSERT_THAT(server, IsOk()) << "cannot start redis-server";
  RedisOptions options;
  options.address = (*server)->address();
  options.reconnect_backoff_initial = absl::Milliseconds(50);
  options.reconnect_backoff_max = absl::Milliseconds(400);
  auto publisher = RedisQueue::Create(options);
  ASSERT_THAT(publisher, IsOk());
  auto worker_queue = RedisQueue::Create(options);
  ASSERT_THAT(worker_queue, IsOk());
  const std::string stream = "vna:test:aof:in";

  auto publish_all = [&](absl::string_view prefix) {
    for (int i = 0; i < 200; ++i) {
      const std::string key = absl::StrCat(prefix, i);
      // Retry through the reconnect: a caller (ingest) would answer UNAVAILABLE.
      ASSERT_TRUE(WaitFor([&] { return (*publisher)->Publish(stream, key, "p").ok(); },
                          absl::Seconds(10)))
          << key;
    }
  };
  publish_all("a-");

  KeyCounter counter;
  StageWorkerOptions worker_options;
  worker_options.stream = stream;
  worker_options.group = "stage";
  worker_options.consumer = "c1";
  worker_options.batch_size = 8;
  worker_options.block = absl::Milliseconds(100);
  worker_options.claim_idle = absl::Milliseconds(500);
  worker_options.claim_interval = absl::Milliseconds(200);
  worker_options.backoff_initial = absl::Milliseconds(50);
  worker_options.backoff_max = absl::Milliseconds(400);
  auto worker = StageWorker::Create(
      worker_queue->get(), worker_options, [&](const std::vector<Entry>& batch) {
        for (const Entry& e : batch) {
          absl::SleepFor(absl::Milliseconds(2));  // keep the stream busy across the restart
          counter.Add(e.key);
        }
        return std::vector<absl::Status>(batch.size());
      });
  ASSERT_THAT(worker, IsOk());
  std::thread thread([&] { EXPECT_THAT((*worker)->Run(), IsOk()); });

  ASSERT_TRUE(WaitFor([&] { return counter.total() >= 50; }));
  const int64_t before_restart = counter.total();
  ASSERT_THAT((*server)->Stop(), IsOk());
  absl::SleepFor(absl::Milliseconds(300));
  ASSERT_THAT((*server)->Restart(), IsOk());
  publish_all("b-");

  auto all_done = [&] {
    std::map<std::string, int> counts = counter.counts();
    return counts.size() == 400 && (*publisher)->Pending(stream, "stage").value_or(-1) == 0;
  };
  const bool done = WaitFor(all_done, absl::Seconds(30));
  (*worker)->Stop();
  thread.join();
  ASSERT_TRUE(done) << "processed " << counter.counts().size() << " distinct keys";

  std::map<std::string, int> counts = counter.counts();
  int duplicates = 0;
  for (int i = 0; i < 200; ++i) {
    for (const char* prefix : {"a-", "b-"}) {
      const int n = counts[absl::StrCat(prefix, i)];
      EXPECT_GE(n, 1) << prefix << i;
      duplicates += n > 1 ? n - 1 : 0;
    }
  }
  EXPECT_THAT((*publisher)->Pending(stream, "stage"), IsOkAndHolds(0));
  std::cout << "restart after " << before_restart << " entries; duplicates (at-least-once): "
            << duplicates << "\n";
  ::testing::Test::RecordProperty("duplicates", duplicates);
  const StageWorker::Counters c = (*worker)->Snapshot();
  EXPECT_TRUE(c.queue_available);
  EXPECT_GE(c.queue_errors, 1);  // it did notice the outage
}

}  // namespace
}  // namespace vnarchive
