// Production implementations of the queue interfaces over Redis 7 (hiredis):
//
//  * RedisQueue: Queue over Redis Streams — XADD, XGROUP CREATE ... MKSTREAM,
//    XREADGROUP ... BLOCK, XAUTOCLAIM (+ XPENDING for delivery counts), XACK,
//    dead letters as XADD to the dead stream then XACK, XINFO GROUPS.
//  * RedisStatusStore: StatusStore over hashes "<key_prefix>status:<doc_id>"
//    with fields stage, error, content_hash, updated_ms.
//
//   RedisOptions options;
//   options.address = "127.0.0.1:6379";  // or "unix:/run/redis.sock"
//   VNA_ASSIGN_OR_RETURN(std::unique_ptr<RedisQueue> queue, RedisQueue::Create(options));
//   // Succeeds even if Redis is down; calls return Unavailable until it is up.
//   VNA_RETURN_IF_ERROR(queue->EnsureGroup("vna:ingested", "normalize"));
//
// Connections are made lazily and remade after any I/O error; after a failed
// connect, calls fail fast with Unavailable for a back-off window
// (RedisOptions::reconnect_backoff_*). One warning is logged when the
// connection is lost, one info line when it is back.
//
// Delivery guarantees: Publish() that fails with Unavailable after the
// command was sent may still have written the entry (readers dedupe by key,
// DESIGN §4). DeadLetter() is XADD then XACK: a crash between the two leaves
// the entry pending, so it is dead-lettered again later — a duplicate dead
// letter, never a lost one.
#ifndef VNARCHIVE_COMMON_REDIS_REDIS_QUEUE_H_
#define VNARCHIVE_COMMON_REDIS_REDIS_QUEUE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/queue/queue.h"
#include "common/queue/status_store.h"
#include "common/redis/redis_connection.h"

namespace vnarchive {
namespace redis {

// Thread safety: thread-safe. One hiredis context per instance, guarded by a
// mutex: a blocking Read() holds it for up to `block`, delaying every other
// call on the same instance, so each blocking reader should own a RedisQueue
// (e.g. one for the StageWorker, another for publishing and health checks).
// Not copyable or movable.
class RedisQueue final : public queue::Queue {
 public:
  // Returns a queue that connects on first use; InvalidArgument for a
  // malformed address or non-positive timeouts. Never fails because Redis is
  // down: services must start and report NOT_SERVING instead. Ignores
  // SIGPIPE process-wide if it has the default action (see RedisConnection).
  static absl::StatusOr<std::unique_ptr<RedisQueue>> Create(const RedisOptions& options);
  RedisQueue(const RedisQueue&) = delete;
  RedisQueue& operator=(const RedisQueue&) = delete;

  // Queue interface (see common/queue/queue.h). Every method returns
  // Unavailable when Redis cannot be reached (or is still loading its data),
  // NotFound where a missing group matters (NOGROUP), Internal for any other
  // Redis error reply or a reply of unexpected shape. Read() with a
  // non-positive `block` does not block; a positive one is rounded to whole
  // milliseconds (at least 1: BLOCK 0 would wait forever).
  absl::StatusOr<std::string> Publish(absl::string_view stream, absl::string_view key,
                                      absl::string_view payload) override;
  // One pipelined round trip of XADDs (a batch of a stage costs one round
  // trip, not one per document).
  absl::StatusOr<std::vector<std::string>> PublishMany(
      absl::string_view stream, const std::vector<Message>& messages) override;
  absl::Status EnsureGroup(absl::string_view stream, absl::string_view group) override;
  absl::StatusOr<std::vector<queue::Entry>> Read(absl::string_view stream,
                                                 absl::string_view group,
                                                 absl::string_view consumer, int count,
                                                 absl::Duration block) override;
  absl::StatusOr<std::vector<queue::Entry>> Claim(absl::string_view stream,
                                                  absl::string_view group,
                                                  absl::string_view consumer,
                                                  absl::Duration min_idle, int count) override;
  absl::Status Ack(absl::string_view stream, absl::string_view group,
                   const std::vector<std::string>& entry_ids) override;
  absl::Status DeadLetter(absl::string_view stream, absl::string_view group,
                          absl::string_view dead_stream, const queue::Entry& entry,
                          const queue::DeadLetterInfo& info) override;
  absl::StatusOr<int64_t> Backlog(absl::string_view stream, absl::string_view group) override;
  absl::StatusOr<int64_t> Pending(absl::string_view stream, absl::string_view group) override;
  absl::Status Ping() override;

 private:
  explicit RedisQueue(std::unique_ptr<internal::RedisConnection> connection);

  // Fills `deliveries` of freshly claimed entries from XPENDING.
  absl::Status FillDeliveries(absl::string_view stream, absl::string_view group,
                              absl::string_view consumer, std::vector<queue::Entry>* entries);

  const std::unique_ptr<internal::RedisConnection> connection_;
};

// Thread safety: thread-safe (one mutex-guarded connection, commands are
// short). Not copyable or movable.
class RedisStatusStore final : public queue::StatusStore {
 public:
  // As RedisQueue::Create.
  static absl::StatusOr<std::unique_ptr<RedisStatusStore>> Create(const RedisOptions& options);
  RedisStatusStore(const RedisStatusStore&) = delete;
  RedisStatusStore& operator=(const RedisStatusStore&) = delete;

  // See status_store.h. Unavailable when Redis cannot be reached; Internal
  // for a Redis error (e.g. WRONGTYPE: the key is not a hash) or a malformed
  // stored updated_ms.
  absl::Status Set(absl::string_view doc_id, const queue::DocStatus& status) override;
  // One pipelined round trip of HSETs for all ids.
  absl::Status SetMany(const std::vector<std::string>& doc_ids,
                       const queue::DocStatus& status) override;
  absl::StatusOr<std::optional<queue::DocStatus>> Get(absl::string_view doc_id) override;
  // One pipelined round trip for all ids.
  absl::StatusOr<std::vector<std::optional<queue::DocStatus>>> GetMany(
      const std::vector<std::string>& doc_ids) override;

  // Returns the hash key for `doc_id`: "<key_prefix>status:<doc_id>".
  std::string KeyFor(absl::string_view doc_id) const;

 private:
  explicit RedisStatusStore(std::unique_ptr<internal::RedisConnection> connection);

  // The HSET command Set() sends for `doc_id`.
  std::vector<std::string> SetCommand(absl::string_view doc_id,
                                      const queue::DocStatus& status) const;
  // Parses an HGETALL reply of KeyFor(doc_id).
  absl::StatusOr<std::optional<queue::DocStatus>> ParseStatus(absl::string_view doc_id,
                                                              const redisReply* reply) const;

  const std::unique_ptr<internal::RedisConnection> connection_;
};

}  // namespace redis
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_REDIS_REDIS_QUEUE_H_
