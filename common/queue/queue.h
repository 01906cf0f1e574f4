// The queue interface every stage uses to pass documents along (DESIGN §4):
// Redis Streams semantics — append-only streams, consumer groups, explicit
// acks, take-over of entries left pending by a dead consumer, dead letters.
//
// Implementations: RedisQueue (common/redis, production) and MemoryQueue
// (common/queue/memory_queue.h, unit tests).
//
//   VNA_RETURN_IF_ERROR(queue.EnsureGroup("vna:ingested", "normalize"));
//   VNA_ASSIGN_OR_RETURN(std::string id, queue.Publish("vna:ingested", doc_id, pb));
//   VNA_ASSIGN_OR_RETURN(auto entries,
//       queue.Read("vna:ingested", "normalize", "host-42", 16, absl::Seconds(1)));
//   ... process ...
//   VNA_RETURN_IF_ERROR(queue.Ack("vna:ingested", "normalize", {entries[0].entry_id}));
//
// Stream names passed here are full keys (the caller applies the key prefix).
#ifndef VNARCHIVE_COMMON_QUEUE_QUEUE_H_
#define VNARCHIVE_COMMON_QUEUE_QUEUE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace vnarchive {
namespace queue {

// Version of the payload schema written in every entry's "v" field. Bump it
// when a payload message changes incompatibly; readers reject other versions.
inline constexpr int kSchemaVersion = 1;

// One stream entry as delivered to a consumer. Entry fields on the wire:
// "id" (doc_id), "pb" (serialized protobuf payload), "v" (schema version).
struct Entry {
  std::string entry_id;    // stream entry id assigned by the queue, e.g. "1700000000000-0"
  std::string key;         // the document id ("id" field)
  std::string payload;     // the serialized message ("pb" field)
  int version = 0;         // the "v" field
  int64_t deliveries = 1;  // how many times this entry has been delivered, this one included
};

// Why an entry was given up on; written into the dead-letter stream beside
// the original fields as "stage", "error", "attempts", "stream", "entry".
struct DeadLetterInfo {
  std::string stage;   // e.g. "normalize"
  std::string error;   // the last error seen, human-readable
  int64_t attempts = 0;
};

// Thread safety: implementations are safe to call from several threads unless
// their own header says otherwise; a blocking Read() holds its connection for
// up to `block`, so blocking readers should own their Queue instance.
class Queue {
 public:
  virtual ~Queue() = default;

  // Appends an entry to `stream`. Returns the new entry id.
  // Unavailable when the backing store cannot be reached (nothing was written).
  virtual absl::StatusOr<std::string> Publish(absl::string_view stream, absl::string_view key,
                                              absl::string_view payload) = 0;

  // One message of PublishMany: the entry's key and payload.
  struct Message {
    std::string key;
    std::string payload;
  };
  // Appends every message to `stream`, in order. Returns the new entry ids,
  // in order, or the first error (then a prefix of the messages may have
  // been written: a caller retrying all of them may publish some twice,
  // which the pipeline's at-least-once delivery already allows). This
  // default calls Publish per message; a store with round trips overrides
  // it to send them together.
  virtual absl::StatusOr<std::vector<std::string>> PublishMany(
      absl::string_view stream, const std::vector<Message>& messages) {
    std::vector<std::string> ids;
    ids.reserve(messages.size());
    for (const Message& m : messages) {
      absl::StatusOr<std::string> id = Publish(stream, m.key, m.payload);
      if (!id.ok()) return id.status();
      ids.push_back(*std::move(id));
    }
    return ids;
  }

  // Creates consumer group `group` on `stream` (creating the stream too),
  // reading from the stream's beginning. OK if the group already exists.
  virtual absl::Status EnsureGroup(absl::string_view stream, absl::string_view group) = 0;

  // Reads up to `count` entries never delivered to `group`, waiting up to
  // `block` for the first one. Returns an empty vector on timeout.
  // Delivered entries stay pending for `consumer` until acked.
  // NotFound if the group does not exist; Unavailable if the store is away.
  virtual absl::StatusOr<std::vector<Entry>> Read(absl::string_view stream,
                                                  absl::string_view group,
                                                  absl::string_view consumer, int count,
                                                  absl::Duration block) = 0;

  // Takes over up to `count` entries pending in `group` for longer than
  // `min_idle` (any consumer's, e.g. one that crashed) and delivers them to
  // `consumer`; each returned Entry's `deliveries` includes this delivery.
  // Entries deleted from the stream while pending are acked and skipped.
  virtual absl::StatusOr<std::vector<Entry>> Claim(absl::string_view stream,
                                                   absl::string_view group,
                                                   absl::string_view consumer,
                                                   absl::Duration min_idle, int count) = 0;

  // Acknowledges entries: they leave the group's pending list for good.
  virtual absl::Status Ack(absl::string_view stream, absl::string_view group,
                           const std::vector<std::string>& entry_ids) = 0;

  // Copies `entry` to `dead_stream` with `info`, then acks it in `group`:
  // a poison entry never blocks its stream.
  virtual absl::Status DeadLetter(absl::string_view stream, absl::string_view group,
                                  absl::string_view dead_stream, const Entry& entry,
                                  const DeadLetterInfo& info) = 0;

  // Returns how many entries of `stream` `group` still has to finish: those
  // never delivered plus those delivered and not yet acked. If the group does
  // not exist yet, the stream's length.
  virtual absl::StatusOr<int64_t> Backlog(absl::string_view stream, absl::string_view group) = 0;

  // Returns how many entries are pending (delivered, not acked) in `group`.
  virtual absl::StatusOr<int64_t> Pending(absl::string_view stream, absl::string_view group) = 0;

  // OK when the backing store answers right now; Unavailable otherwise.
  virtual absl::Status Ping() = 0;
};

}  // namespace queue
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_QUEUE_QUEUE_H_
