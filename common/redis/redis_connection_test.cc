#include "common/redis/redis_connection.h"

#include "absl/time/clock.h"
#include "common/base/status_matchers.h"
#include "common/redis/redis_queue.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace redis {
namespace {

TEST(ParseRedisAddressTest, RejectsMalformedAddresses) {
  EXPECT_THAT(ParseRedisAddress(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseRedisAddress("localhost"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseRedisAddress("localhost:"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseRedisAddress(":6379"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseRedisAddress("host:99999"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseRedisAddress("unix:relative.sock"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseRedisAddressTest, AcceptsTcpAndUnixForms) {
  auto tcp = ParseRedisAddress("redis.default.svc:6380");
  ASSERT_THAT(tcp, IsOk());
  EXPECT_FALSE(tcp->unix_socket);
  EXPECT_EQ(tcp->host, "redis.default.svc");
  EXPECT_EQ(tcp->port, 6380);
  auto v6 = ParseRedisAddress("[::1]:6379");
  ASSERT_THAT(v6, IsOk());
  EXPECT_EQ(v6->host, "::1");
  auto unix_prefixed = ParseRedisAddress("unix:/tmp/r.sock");
  ASSERT_THAT(unix_prefixed, IsOk());
  EXPECT_TRUE(unix_prefixed->unix_socket);
  EXPECT_EQ(unix_prefixed->path, "/tmp/r.sock");
  auto bare = ParseRedisAddress("/tmp/r.sock");
  ASSERT_THAT(bare, IsOk());
  EXPECT_TRUE(bare->unix_socket);
  EXPECT_EQ(bare->path, "/tmp/r.sock");
}

TEST(StatusFromRedisErrorTest, MapsKnownPrefixes) {
  EXPECT_THAT(internal::StatusFromRedisError("NOGROUP No such key 's' or consumer group 'g'"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(internal::StatusFromRedisError("BUSYGROUP Consumer Group name already exists"),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(internal::StatusFromRedisError("LOADING Redis is loading the dataset in memory"),
              StatusIs(absl::StatusCode::kUnavailable));
  const absl::Status other = internal::StatusFromRedisError("WRONGTYPE Operation against a key");
  EXPECT_THAT(other, StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(std::string(other.message()), ::testing::HasSubstr("WRONGTYPE"));
}

TEST(RedisQueueTest, CreateRejectsBadOptions) {
  RedisOptions options;
  options.address = "nonsense";
  EXPECT_THAT(RedisQueue::Create(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.address = "/tmp/x.sock";
  options.reconnect_backoff_max = absl::ZeroDuration();
  EXPECT_THAT(RedisStatusStore::Create(options), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RedisQueueTest, UnreachableRedisIsUnavailableAndFailsFastInsideTheWindow) {
  RedisOptions options;
  options.address = "unix:/nonexistent-dir-vna/redis.sock";
  options.reconnect_backoff_initial = absl::Seconds(10);
  options.reconnect_backoff_max = absl::Seconds(10);
  auto queue = RedisQueue::Create(options);
  ASSERT_THAT(queue, IsOk());
  EXPECT_THAT((*queue)->Ping(), StatusIs(absl::StatusCode::kUnavailable));
  const absl::Time start = absl::Now();
  for (int i = 0; i < 100; ++i) {
    EXPECT_THAT((*queue)->Publish("s", "k", "p"), StatusIs(absl::StatusCode::kUnavailable));
  }
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(500));
}

}  // namespace
}  // namespace redis
}  // namespace vnarchive
