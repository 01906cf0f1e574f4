#include "common/queue/memory_queue.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace queue {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::SizeIs;

TEST(MemoryQueueTest, EveryCallIsUnavailableWhileSwitchedOff) {
  MemoryQueue q;
  q.SetAvailable(false);
  EXPECT_THAT(q.Ping(), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(q.Publish("s", "k", "p"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(q.EnsureGroup("s", "g"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(q.Read("s", "g", "c", 1, absl::ZeroDuration()),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(q.Claim("s", "g", "c", absl::ZeroDuration(), 1),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(q.Ack("s", "g", {}), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(q.DeadLetter("s", "g", "d", Entry{}, DeadLetterInfo{}),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(q.Backlog("s", "g"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(q.Pending("s", "g"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(q.call_count(), 9);
  q.SetAvailable(true);
  EXPECT_THAT(q.Ping(), IsOk());
}

TEST(MemoryQueueTest, MissingGroupIsNotFound) {
  MemoryQueue q;
  ASSERT_THAT(q.Publish("s", "k", "p"), IsOk());
  EXPECT_THAT(q.Read("s", "g", "c", 1, absl::ZeroDuration()),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(q.Claim("s", "g", "c", absl::ZeroDuration(), 1),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(q.Pending("s", "g"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(q.Backlog("s", "g"), IsOkAndHolds(1));  // no group yet: the stream's length
  EXPECT_THAT(q.Backlog("nothing", "g"), IsOkAndHolds(0));
}

TEST(MemoryQueueTest, ReadDeliversEachEntryOncePerGroup) {
  MemoryQueue q;
  ASSERT_THAT(q.EnsureGroup("s", "g"), IsOk());
  ASSERT_THAT(q.EnsureGroup("s", "g"), IsOk());  // idempotent
  ASSERT_THAT(q.EnsureGroup("s", "other"), IsOk());
  ASSERT_THAT(q.Publish("s", "k1", std::string("a\0b", 3)), IsOk());
  ASSERT_THAT(q.Publish("s", "k2", "p2"), IsOk());

  auto first = q.Read("s", "g", "c1", 1, absl::ZeroDuration());
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(*first, SizeIs(1));
  EXPECT_EQ((*first)[0].key, "k1");
  EXPECT_EQ((*first)[0].payload, std::string("a\0b", 3));
  EXPECT_EQ((*first)[0].version, kSchemaVersion);
  EXPECT_EQ((*first)[0].deliveries, 1);

  auto second = q.Read("s", "g", "c2", 10, absl::ZeroDuration());
  ASSERT_THAT(second, IsOk());
  ASSERT_THAT(*second, SizeIs(1));
  EXPECT_EQ((*second)[0].key, "k2");
  EXPECT_THAT(q.Read("s", "g", "c1", 10, absl::ZeroDuration()), IsOkAndHolds(IsEmpty()));
  // Another group sees everything again.
  EXPECT_THAT(q.Read("s", "other", "c1", 10, absl::ZeroDuration()), IsOkAndHolds(SizeIs(2)));

  EXPECT_THAT(q.Pending("s", "g"), IsOkAndHolds(2));
  EXPECT_THAT(q.Backlog("s", "g"), IsOkAndHolds(2));
  ASSERT_THAT(q.Ack("s", "g", {(*first)[0].entry_id}), IsOk());
  EXPECT_THAT(q.Pending("s", "g"), IsOkAndHolds(1));
  ASSERT_THAT(q.Publish("s", "k3", "p3"), IsOk());
  EXPECT_THAT(q.Backlog("s", "g"), IsOkAndHolds(2));  // one pending + one undelivered
}

TEST(MemoryQueueTest, BlockingReadWakesOnPublish) {
  MemoryQueue q;
  ASSERT_THAT(q.EnsureGroup("s", "g"), IsOk());
  std::thread publisher([&] {
    absl::SleepFor(absl::Milliseconds(50));
    ASSERT_THAT(q.Publish("s", "k", "p"), IsOk());
  });
  const absl::Time start = absl::Now();
  auto read = q.Read("s", "g", "c", 1, absl::Seconds(10));
  publisher.join();
  ASSERT_THAT(read, IsOk());
  EXPECT_THAT(*read, SizeIs(1));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST(MemoryQueueTest, BlockingReadTimesOutEmpty) {
  MemoryQueue q;
  ASSERT_THAT(q.EnsureGroup("s", "g"), IsOk());
  const absl::Time start = absl::Now();
  EXPECT_THAT(q.Read("s", "g", "c", 1, absl::Milliseconds(50)), IsOkAndHolds(IsEmpty()));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(45));
}

TEST(MemoryQueueTest, ClaimTakesOverOnlyIdleEntriesAndCountsDeliveries) {
  FakeClock clock;
  MemoryQueue q(clock.AsClock());
  ASSERT_THAT(q.EnsureGroup("s", "g"), IsOk());
  ASSERT_THAT(q.Publish("s", "k1", "p"), IsOk());
  ASSERT_THAT(q.Read("s", "g", "dead", 1, absl::ZeroDuration()), IsOkAndHolds(SizeIs(1)));
  clock.Advance(absl::Seconds(10));
  ASSERT_THAT(q.Publish("s", "k2", "p"), IsOk());
  ASSERT_THAT(q.Read("s", "g", "alive", 1, absl::ZeroDuration()), IsOkAndHolds(SizeIs(1)));

  EXPECT_THAT(q.Claim("s", "g", "c", absl::Seconds(30), 10), IsOkAndHolds(IsEmpty()));
  clock.Advance(absl::Seconds(25));  // k1 idle 35s, k2 idle 25s
  auto claimed = q.Claim("s", "g", "c", absl::Seconds(30), 10);
  ASSERT_THAT(claimed, IsOk());
  ASSERT_THAT(*claimed, SizeIs(1));
  EXPECT_EQ((*claimed)[0].key, "k1");
  EXPECT_EQ((*claimed)[0].deliveries, 2);
  // Claiming resets the idle time.
  EXPECT_THAT(q.Claim("s", "g", "c", absl::Seconds(30), 10), IsOkAndHolds(IsEmpty()));
  clock.Advance(absl::Seconds(31));
  EXPECT_THAT(q.Claim("s", "g", "c", absl::Seconds(30), 1), IsOkAndHolds(SizeIs(1)));
  EXPECT_THAT(q.Deliveries("s", "g", (*claimed)[0].entry_id), Optional(3));
}

TEST(MemoryQueueTest, ClaimDropsEntriesDeletedWhilePending) {
  FakeClock clock;
  MemoryQueue q(clock.AsClock());
  ASSERT_THAT(q.EnsureGroup("s", "g"), IsOk());
  auto id = q.Publish("s", "k1", "p");
  ASSERT_THAT(id, IsOk());
  ASSERT_THAT(q.Read("s", "g", "c", 1, absl::ZeroDuration()), IsOkAndHolds(SizeIs(1)));
  ASSERT_TRUE(q.Delete("s", *id));
  clock.Advance(absl::Minutes(1));
  EXPECT_THAT(q.Claim("s", "g", "c", absl::Seconds(1), 10), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(q.Pending("s", "g"), IsOkAndHolds(0));
}

TEST(MemoryQueueTest, DeadLetterCopiesFieldsAndAcks) {
  MemoryQueue q;
  ASSERT_THAT(q.EnsureGroup("s", "g"), IsOk());
  ASSERT_THAT(q.Publish("s", "k1", "payload"), IsOk());
  auto read = q.Read("s", "g", "c", 1, absl::ZeroDuration());
  ASSERT_THAT(read, IsOk());
  ASSERT_THAT(*read, SizeIs(1));
  ASSERT_THAT(q.DeadLetter("s", "g", "dead", (*read)[0], {"normalize", "bad utf-8", 5}), IsOk());
  EXPECT_THAT(q.Pending("s", "g"), IsOkAndHolds(0));
  std::vector<MemoryQueue::Record> dead = q.Range("dead");
  ASSERT_THAT(dead, SizeIs(1));
  EXPECT_THAT(dead[0].Field("id"), Optional(std::string("k1")));
  EXPECT_THAT(dead[0].Field("pb"), Optional(std::string("payload")));
  EXPECT_THAT(dead[0].Field("stage"), Optional(std::string("normalize")));
  EXPECT_THAT(dead[0].Field("error"), Optional(std::string("bad utf-8")));
  EXPECT_THAT(dead[0].Field("attempts"), Optional(std::string("5")));
  EXPECT_THAT(dead[0].Field("stream"), Optional(std::string("s")));
  EXPECT_THAT(dead[0].Field("entry"), Optional((*read)[0].entry_id));
}

TEST(MemoryQueueTest, EntryIdsGrowEvenWhenTheClockStandsStill) {
  FakeClock clock;
  MemoryQueue q(clock.AsClock());
  ASSERT_THAT(q.Publish("s", "a", ""), IsOk());
  ASSERT_THAT(q.Publish("s", "b", ""), IsOk());
  std::vector<MemoryQueue::Record> all = q.Range("s");
  ASSERT_THAT(all, SizeIs(2));
  EXPECT_EQ(all[0].entry_id, "1700000000000-0");
  EXPECT_EQ(all[1].entry_id, "1700000000000-1");
}

TEST(MemoryStatusStoreTest, SetMergesFieldsAndGetReturnsNulloptForUnknown) {
  FakeClock clock;
  MemoryStatusStore store(clock.AsClock());
  auto unknown = store.Get("nope");
  ASSERT_THAT(unknown, IsOk());
  EXPECT_FALSE(unknown->has_value());
  DocStatus accepted;
  accepted.stage = kStageAccepted;
  accepted.content_hash = "abc";
  ASSERT_THAT(store.Set("d1", accepted), IsOk());
  DocStatus failed;
  failed.stage = kStageFailed;
  failed.error = "normalize: bad";
  ASSERT_THAT(store.Set("d1", failed), IsOk());
  auto got = store.Get("d1");
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->stage, kStageFailed);
  EXPECT_EQ((*got)->error, "normalize: bad");
  EXPECT_EQ((*got)->content_hash, "abc");
  EXPECT_EQ((*got)->updated_unix_ms, 1700000000000);
  store.SetAvailable(false);
  EXPECT_THAT(store.Get("d1"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(store.Set("d1", failed), StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace queue
}  // namespace vnarchive
