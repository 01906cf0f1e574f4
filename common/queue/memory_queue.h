// In-memory fakes of the queue interfaces for unit tests (STYLE: "fakes
// behind interfaces", like leveldb's memenv + ErrorEnv in one):
//
//  * MemoryQueue: a faithful model of the Redis Streams subset the Queue
//    interface uses — consumer groups, per-group pending lists with delivery
//    counts and idle times, take-over by idle time, acks, dead letters — plus
//    fault injection (SetAvailable(false) makes every call Unavailable) and
//    inspection (Range(), call_count()).
//  * MemoryStatusStore: a map of DocStatus with the same fault injection.
//
//   vnarchive::queue::MemoryQueue q;
//   ASSERT_THAT(q.EnsureGroup("s", "g"), IsOk());
//   ASSERT_THAT(q.Publish("s", "doc-1", "payload"), IsOk());
//   auto entries = q.Read("s", "g", "c1", 10, absl::ZeroDuration());  // 1 entry
//   q.SetAvailable(false);
//   EXPECT_THAT(q.Ping(), StatusIs(absl::StatusCode::kUnavailable));
//
// Idle times and generated entry ids follow an injectable clock, so a test can
// make entries "idle" without sleeping; blocking Read() always waits in real
// time (it sleeps on a condition variable).
#ifndef VNARCHIVE_COMMON_QUEUE_MEMORY_QUEUE_H_
#define VNARCHIVE_COMMON_QUEUE_MEMORY_QUEUE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/queue/queue.h"
#include "common/queue/status_store.h"

namespace vnarchive {
namespace queue {

// Returns the current time; injected into the fakes so tests control idle times.
using Clock = std::function<absl::Time()>;

// A manually advanced clock for tests. Thread-safe. Not copyable (hand out
// AsClock(), which borrows `this`: the FakeClock must outlive its users).
class FakeClock {
 public:
  explicit FakeClock(absl::Time start = absl::FromUnixSeconds(1700000000)) : now_(start) {}
  FakeClock(const FakeClock&) = delete;
  FakeClock& operator=(const FakeClock&) = delete;

  // Returns the current fake time.
  absl::Time Now() const {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }
  // Returns a Clock reading this FakeClock.
  Clock AsClock() {
    return [this] { return Now(); };
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

// Thread safety: every method is safe to call concurrently (one absl::Mutex).
// A blocking Read() does not hold the mutex while it waits, so other threads
// can Publish() to wake it. Not copyable or movable.
class MemoryQueue final : public Queue {
 public:
  // One stored stream entry with all its fields, in insertion order.
  struct Record {
    std::string entry_id;
    std::vector<std::pair<std::string, std::string>> fields;

    // Returns the value of field `name`, or nullopt if the entry lacks it.
    std::optional<std::string> Field(absl::string_view name) const;
  };

  // `clock` defaults to absl::Now.
  explicit MemoryQueue(Clock clock = nullptr);
  MemoryQueue(const MemoryQueue&) = delete;
  MemoryQueue& operator=(const MemoryQueue&) = delete;

  // Queue interface; see queue.h for the contracts. All of them return
  // Unavailable while SetAvailable(false) is in effect. Read() with a
  // non-positive `block` does not wait.
  absl::StatusOr<std::string> Publish(absl::string_view stream, absl::string_view key,
                                      absl::string_view payload) override;
  absl::Status EnsureGroup(absl::string_view stream, absl::string_view group) override;
  absl::StatusOr<std::vector<Entry>> Read(absl::string_view stream, absl::string_view group,
                                          absl::string_view consumer, int count,
                                          absl::Duration block) override;
  absl::StatusOr<std::vector<Entry>> Claim(absl::string_view stream, absl::string_view group,
                                           absl::string_view consumer, absl::Duration min_idle,
                                           int count) override;
  absl::Status Ack(absl::string_view stream, absl::string_view group,
                   const std::vector<std::string>& entry_ids) override;
  absl::Status DeadLetter(absl::string_view stream, absl::string_view group,
                          absl::string_view dead_stream, const Entry& entry,
                          const DeadLetterInfo& info) override;
  absl::StatusOr<int64_t> Backlog(absl::string_view stream, absl::string_view group) override;
  absl::StatusOr<int64_t> Pending(absl::string_view stream, absl::string_view group) override;
  absl::Status Ping() override;

  // Fault injection: while false, every Queue method returns Unavailable
  // (and a blocked Read() wakes up and returns Unavailable).
  void SetAvailable(bool available);

  // Returns how many Queue methods have been called (failed calls included):
  // lets tests prove a consumer backs off instead of busy-looping.
  int64_t call_count() const;

  // Test inspection, not counted and working while unavailable.
  // Returns every entry of `stream` in id order (empty if no such stream).
  std::vector<Record> Range(absl::string_view stream) const;
  // Appends an entry with arbitrary fields, e.g. a "v" of another schema
  // version, the way an older or newer writer would. Returns its id.
  std::string Append(absl::string_view stream,
                     std::vector<std::pair<std::string, std::string>> fields);
  // Like XDEL: removes an entry from the stream (it stays in pending lists,
  // as in Redis). Returns false if there was no such entry.
  bool Delete(absl::string_view stream, absl::string_view entry_id);
  // Returns the delivery count of a pending entry, or nullopt if not pending.
  std::optional<int64_t> Deliveries(absl::string_view stream, absl::string_view group,
                                    absl::string_view entry_id) const;

 private:
  struct StreamId {
    uint64_t ms = 0;
    uint64_t seq = 0;
    bool operator<(const StreamId& o) const { return ms != o.ms ? ms < o.ms : seq < o.seq; }
  };
  struct PendingEntry {
    std::string consumer;
    absl::Time delivered_at;
    int64_t deliveries = 0;
  };
  struct Group {
    StreamId last_delivered;  // 0-0: nothing delivered yet
    std::map<StreamId, PendingEntry> pending;
  };
  struct Stream {
    std::map<StreamId, Record> entries;
    StreamId last_id;
    std::map<std::string, Group> groups;
  };

  static std::string FormatId(const StreamId& id);
  static bool ParseId(absl::string_view text, StreamId* id);
  static Entry ToEntry(const Record& record, int64_t deliveries);

  // Counts the call; returns Unavailable when the fake is switched off.
  absl::Status Enter() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Returns the group, or nullptr if the stream or group does not exist.
  Group* FindGroup(absl::string_view stream, absl::string_view group)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string AppendLocked(absl::string_view stream,
                           std::vector<std::pair<std::string, std::string>> fields)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void AckLocked(absl::string_view stream, absl::string_view group,
                 const std::vector<std::string>& entry_ids) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock clock_;
  mutable absl::Mutex mu_;
  absl::CondVar changed_;  // signalled on Publish and SetAvailable
  bool available_ ABSL_GUARDED_BY(mu_) = true;
  int64_t calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, Stream> streams_ ABSL_GUARDED_BY(mu_);
};

// StatusStore over a map. Thread safety: all methods are thread-safe.
// Not copyable or movable.
class MemoryStatusStore final : public StatusStore {
 public:
  // `clock` (default absl::Now) fills updated_unix_ms when Set() is given 0.
  explicit MemoryStatusStore(Clock clock = nullptr);
  MemoryStatusStore(const MemoryStatusStore&) = delete;
  MemoryStatusStore& operator=(const MemoryStatusStore&) = delete;

  // See status_store.h. Both return Unavailable while SetAvailable(false).
  absl::Status Set(absl::string_view doc_id, const DocStatus& status) override;
  absl::StatusOr<std::optional<DocStatus>> Get(absl::string_view doc_id) override;

  // Fault injection: while false, Set and Get return Unavailable.
  void SetAvailable(bool available);

 private:
  const Clock clock_;
  mutable absl::Mutex mu_;
  bool available_ ABSL_GUARDED_BY(mu_) = true;
  std::map<std::string, DocStatus> statuses_ ABSL_GUARDED_BY(mu_);
};

}  // namespace queue
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_QUEUE_MEMORY_QUEUE_H_
