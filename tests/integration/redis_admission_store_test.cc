// RedisAdmissionStore (and RedisStatusStore::GetMany) against a real
// redis-server: the AdmissionStore contract the in-memory fake also passes,
// then what only Redis shows — the key layout, scripts lost by a restart,
// concurrent admissions of the same documents.
#include <hiredis/hiredis.h>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/status_matchers.h"
#include "common/queue/admission_store_contract.h"
#include "common/redis/redis_admission_store.h"
#include "common/redis/redis_queue.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/redis_server.h"

namespace vnarchive {
namespace {

using queue::Admission;
using queue::AdmissionResult;
using redis::RedisAdmissionStore;
using redis::RedisOptions;
using redis::RedisStatusStore;
using testutil::TestRedisServer;
using ::testing::SizeIs;

// One server for the whole binary; tests keep apart by key prefix.
TestRedisServer& SharedServer() {
  static TestRedisServer* server = [] {
    auto started = TestRedisServer::Start();
    if (!started.ok()) {
      ADD_FAILURE() << "cannot start redis-server: " << started.status();
      std::abort();
    }
    return started->release();
  }();
  return *server;
}

std::string UniquePrefix() {
  static std::atomic<int> next{0};
  return absl::StrCat("t", next.fetch_add(1), ":");
}

// A raw hiredis connection for checks that must not go through the code
// under test. Reply strings are returned as a flat list.
class RawRedis {
 public:
  explicit RawRedis(const std::string& address) {
    auto parsed = redis::ParseRedisAddress(address);
    EXPECT_THAT(parsed, IsOk());
    c_ = parsed->unix_socket ? redisConnectUnix(parsed->path.c_str())
                             : redisConnect(parsed->host.c_str(), parsed->port);
    EXPECT_TRUE(c_ != nullptr && c_->err == 0);
  }
  ~RawRedis() {
    if (c_ != nullptr) redisFree(c_);
  }

  // Returns the reply as strings: a string or integer as one element, an
  // array's string elements (one level deep, nested arrays flattened once).
  std::vector<std::string> Run(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const std::string& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* reply = static_cast<redisReply*>(
        redisCommandArgv(c_, static_cast<int>(argv.size()), argv.data(), lens.data()));
    std::vector<std::string> out;
    if (reply == nullptr) {
      ADD_FAILURE() << "no reply to " << args[0];
      return out;
    }
    Flatten(reply, &out);
    freeReplyObject(reply);
    return out;
  }

 private:
  static void Flatten(const redisReply* r, std::vector<std::string>* out) {
    switch (r->type) {
      case REDIS_REPLY_STRING:
      case REDIS_REPLY_STATUS:
      case REDIS_REPLY_ERROR:
        out->emplace_back(r->str, r->len);
        break;
      case REDIS_REPLY_INTEGER:
        out->push_back(absl::StrCat(r->integer));
        break;
      case REDIS_REPLY_ARRAY:
        for (size_t i = 0; i < r->elements; ++i) Flatten(r->element[i], out);
        break;
      default:
        break;
    }
  }

  redisContext* c_ = nullptr;
};

class RedisHarness : public queue::AdmissionStoreHarness {
 public:
  RedisHarness() {
    options_.address = SharedServer().address();
    options_.key_prefix = UniquePrefix();
    auto store = RedisAdmissionStore::Create(options_, {2});
    EXPECT_THAT(store, IsOk());
    store_ = *std::move(store);
    auto status = RedisStatusStore::Create(options_);
    EXPECT_THAT(status, IsOk());
    status_ = *std::move(status);
  }
  queue::AdmissionStore& store() override { return *store_; }
  std::string stream() const override { return options_.key_prefix + "ingested"; }
  queue::StatusStore& status() override { return *status_; }
  std::vector<std::pair<std::string, std::string>> Entries(const std::string& stream) override {
    // Flattened, each entry is: entry id, "id", doc_id, "pb", payload, "v", version.
    RawRedis raw(options_.address);
    std::vector<std::string> flat = raw.Run({"XRANGE", stream, "-", "+"});
    std::vector<std::pair<std::string, std::string>> out;
    for (size_t i = 0; i + 7 <= flat.size(); i += 7) {
      out.emplace_back(flat[i + 2], flat[i + 4]);
    }
    return out;
  }

  RedisOptions options_;
  std::unique_ptr<RedisAdmissionStore> store_;
  std::unique_ptr<RedisStatusStore> status_;
};

}  // namespace

namespace queue {
INSTANTIATE_TEST_SUITE_P(Redis, AdmissionStoreContractTest,
                         ::testing::Values(AdmissionStoreHarnessFactory([] {
                           return std::unique_ptr<AdmissionStoreHarness>(new RedisHarness);
                         })),
                         // A fixed name: the parameter is a function, whose
                         // bytes would make the test names change every run.
                         [](const auto&) { return std::string("Store"); });
}  // namespace queue

namespace {

Admission Doc(const std::string& doc_id, const std::string& content_hash,
              const std::string& body_hash) {
  Admission a;
  a.doc_id = doc_id;
  a.content_hash = content_hash;
  a.body_hash = body_hash;
  a.payload = "pb-" + doc_id;
  return a;
}

TEST(RedisAdmissionStoreTest, ZeroConnectionsIsInvalidArgument) {
  RedisOptions options;
  EXPECT_THAT(RedisAdmissionStore::Create(options, {0}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RedisAdmissionStoreTest, RedisAwayIsUnavailable) {
  RedisOptions options;
  options.address = "127.0.0.1:1";  // nothing listens there
  auto store = RedisAdmissionStore::Create(options, {1});
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT((*store)->Admit("s", {Doc("d", "h", "b")}),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT((*store)->Lookup({{"d", "b", {}}}), StatusIs(absl::StatusCode::kUnavailable));
}

TEST(RedisAdmissionStoreTest, WritesTheDocumentedKeys) {
  RedisHarness harness;
  const std::string& p = harness.options_.key_prefix;
  Admission a = Doc("doc-1", "hash-1", "body-1");
  a.duplicate_of = "doc-0";
  a.sketch = "SKETCH";
  a.bands = {"band-0", "band-1"};
  ASSERT_THAT(harness.store_->Admit(p + "ingested", {a}), IsOk());
  RawRedis raw(harness.options_.address);
  std::vector<std::string> status = raw.Run({"HGETALL", p + "status:doc-1"});
  std::map<std::string, std::string> fields;
  for (size_t i = 0; i + 1 < status.size(); i += 2) fields[status[i]] = status[i + 1];
  EXPECT_EQ(fields["stage"], "accepted");
  EXPECT_EQ(fields["content_hash"], "hash-1");
  EXPECT_EQ(fields["body_hash"], "body-1");
  EXPECT_EQ(fields["duplicate_of"], "doc-0");
  EXPECT_FALSE(fields["updated_ms"].empty());
  EXPECT_THAT(raw.Run({"GET", p + "body:body-1"}), ::testing::ElementsAre("doc-1"));
  EXPECT_THAT(raw.Run({"GET", p + "sketch:doc-1"}), ::testing::ElementsAre("SKETCH"));
  EXPECT_THAT(raw.Run({"HGET", p + "near:0", "band-0"}), ::testing::ElementsAre("doc-1"));
  EXPECT_THAT(raw.Run({"HGET", p + "near:1", "band-1"}), ::testing::ElementsAre("doc-1"));
  // The entry carries the schema version other stages check.
  std::vector<std::string> entry = raw.Run({"XRANGE", p + "ingested", "-", "+"});
  ASSERT_THAT(entry, SizeIs(7));
  EXPECT_EQ(entry[5], "v");
  EXPECT_EQ(entry[6], absl::StrCat(queue::kSchemaVersion));
  // The status store reads it as any other status.
  auto read = harness.status_->Get("doc-1");
  ASSERT_THAT(read, IsOk());
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->stage, "accepted");
}

TEST(RedisAdmissionStoreTest, ScriptsLostByTheServerAreLoadedAgain) {
  RedisHarness harness;
  const std::string stream = harness.options_.key_prefix + "ingested";
  ASSERT_THAT(harness.store_->Admit(stream, {Doc("a", "h1", "b1")}), IsOk());
  RawRedis raw(harness.options_.address);
  raw.Run({"SCRIPT", "FLUSH"});  // as after a restart
  // Both pooled connections meet NOSCRIPT once.
  for (int i = 0; i < 2; ++i) {
    auto results = harness.store_->Admit(stream, {Doc(absl::StrCat("b", i), "h2", "b2")});
    ASSERT_THAT(results, IsOk());
    EXPECT_EQ((*results)[0].outcome,
              i == 0 ? AdmissionResult::Outcome::kAccepted : AdmissionResult::Outcome::kDuplicate);
    raw.Run({"SCRIPT", "FLUSH"});
    ASSERT_THAT(harness.store_->Lookup({{"a", "b1", {}}}), IsOk());
  }
  EXPECT_THAT(harness.Entries(stream), SizeIs(2));
}

TEST(RedisAdmissionStoreTest, ConcurrentAdmissionsOfTheSameDocumentsEnqueueEachOnce) {
  RedisHarness harness;
  const std::string stream = harness.options_.key_prefix + "ingested";
  constexpr int kDocs = 200;
  constexpr int kThreads = 4;
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread sends every document, in batches of 10, from its own
      // starting point, so batches overlap in every way.
      for (int start = 0; start < kDocs; start += 10) {
        std::vector<Admission> batch;
        for (int i = 0; i < 10; ++i) {
          const int n = (start + i + t * 50) % kDocs;
          batch.push_back(Doc(absl::StrCat("doc-", n), absl::StrCat("h", n), absl::StrCat("b", n)));
        }
        auto results = harness.store_->Admit(stream, batch);
        ASSERT_THAT(results, IsOk());
        for (const AdmissionResult& r : *results) {
          if (r.outcome == AdmissionResult::Outcome::kAccepted) ++accepted;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), kDocs);
  const auto entries = harness.Entries(stream);
  EXPECT_THAT(entries, SizeIs(kDocs));
  std::set<std::string> ids;
  for (const auto& entry : entries) ids.insert(entry.first);
  EXPECT_THAT(ids, SizeIs(kDocs));
}

TEST(RedisStatusStoreTest, GetManyAnswersInOrderWithGapsForUnknownIds) {
  RedisHarness harness;
  queue::DocStatus status;
  status.stage = "indexed";
  status.content_hash = "h1";
  ASSERT_THAT(harness.status_->Set("one", status), IsOk());
  status.stage = "failed";
  status.error = "extract: boom";
  ASSERT_THAT(harness.status_->Set("three", status), IsOk());
  auto many = harness.status_->GetMany({"one", "two", "three"});
  ASSERT_THAT(many, IsOk());
  ASSERT_THAT(*many, SizeIs(3));
  ASSERT_TRUE((*many)[0].has_value());
  EXPECT_EQ((*many)[0]->stage, "indexed");
  EXPECT_FALSE((*many)[1].has_value());
  ASSERT_TRUE((*many)[2].has_value());
  EXPECT_EQ((*many)[2]->error, "extract: boom");
  EXPECT_THAT(harness.status_->GetMany({}), IsOkAndHolds(SizeIs(0)));
}

}  // namespace
}  // namespace vnarchive
