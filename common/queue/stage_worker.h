// StageWorker: the consumer loop every pipeline stage runs (DESIGN §4).
// It owns the queue protocol so that a stage only writes a batch handler:
//
//  * creates the consumer group (retrying while the queue is unavailable);
//  * reads new entries (XREADGROUP ... BLOCK) and calls the handler;
//  * acks the entries the handler succeeded on, in one Ack call; failed ones
//    stay pending and come back through Claim after `claim_idle`;
//  * every `claim_interval`, takes over entries idle for `claim_idle` (left by
//    a crashed replica or failed here before);
//  * gives up on an entry delivered more than `max_deliveries` times, or
//    written with another schema version: copies it to `dead_stream` with
//    the stage, the last error and the attempts, acks it, and calls
//    `on_dead_letter` (services mark the document failed there);
//  * while the queue is unavailable, backs off exponentially with one warning
//    line when the outage starts and one info line when it ends.
//
//   StageWorkerOptions options;
//   options.stream = "vna:ingested";
//   options.group = "normalize";
//   options.stage = "normalize";
//   options.dead_stream = "vna:dead";
//   VNA_ASSIGN_OR_RETURN(std::unique_ptr<StageWorker> worker,
//       StageWorker::Create(queue.get(), options,
//           [&](const std::vector<Entry>& batch) {
//             std::vector<absl::Status> results;
//             for (const Entry& e : batch) results.push_back(Normalize(e));
//             return results;
//           }));
//   std::thread t([&] { worker->Run().IgnoreError(); });
//   ...
//   worker->Stop();  // from a signal-handling thread; Run() returns soon after
//   t.join();
//
// Delivery is at-least-once: the handler must be idempotent by entry key.
#ifndef VNARCHIVE_COMMON_QUEUE_STAGE_WORKER_H_
#define VNARCHIVE_COMMON_QUEUE_STAGE_WORKER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/queue/queue.h"

namespace vnarchive {
namespace queue {

// Returns "<hostname>-<pid>", unique per replica (DESIGN §4 consumer names),
// so a restarted replica does not inherit its predecessor's pending entries
// except through Claim.
std::string DefaultConsumerName();

struct StageWorkerOptions {
  // Stream to consume (a full key, e.g. "vna:ingested"). Required.
  std::string stream;
  // Consumer group, one per consuming stage. Required.
  std::string group;
  // This replica's consumer name. Default: DefaultConsumerName().
  std::string consumer = DefaultConsumerName();
  // Stage name written in logs and dead letters. Default (empty): `group`.
  std::string stage;
  // Where given-up entries go. Default: "vna:dead".
  std::string dead_stream = "vna:dead";
  // Most entries read or claimed per call, i.e. per handler call. Default 16.
  int batch_size = 16;
  // How long one Read waits for new entries; also bounds how long Run()
  // takes to notice Stop(). Default 1s.
  absl::Duration block = absl::Seconds(1);
  // Entries pending (unacked) for this long are taken over: long enough that
  // a live consumer is surely done or dead. Default 30s.
  absl::Duration claim_idle = absl::Seconds(30);
  // How often to look for idle entries. Default 5s.
  absl::Duration claim_interval = absl::Seconds(5);
  // An entry delivered more than this many times is dead-lettered instead of
  // handled: the handler sees one entry at most max_deliveries times. Default 5.
  int64_t max_deliveries = 5;
  // Back-off after a failed queue call: starts at backoff_initial, doubles up
  // to backoff_max, resets after a successful call. Defaults 100ms and 5s.
  absl::Duration backoff_initial = absl::Milliseconds(100);
  absl::Duration backoff_max = absl::Seconds(5);
  // How many per-entry handler errors are remembered for dead letters
  // (oldest forgotten first). Default 10000.
  size_t max_remembered_errors = 10000;
  // Called (on the Run() thread) after an entry was dead-lettered and acked.
  // Optional. Must not call back into this StageWorker except Stop/Snapshot.
  std::function<void(const Entry&, const DeadLetterInfo&)> on_dead_letter;
};

// Thread safety: Run() must be called once, from one thread; Stop() and
// Snapshot() are thread-safe and may be called from any thread at any time.
// Not copyable or movable (other threads hold pointers to it).
class StageWorker {
 public:
  // Handles a batch; returns exactly one status per entry, in order. OK means
  // "done, ack it"; anything else leaves the entry pending for a retry, and
  // the message is recorded as the entry's last error. A wrong-sized result
  // counts as failure for the whole batch.
  using BatchHandler = std::function<std::vector<absl::Status>(const std::vector<Entry>& batch)>;

  struct Counters {
    int64_t processed = 0;      // entries the handler returned OK for
    int64_t failed = 0;         // handler failures (an entry failing 3 times counts 3)
    int64_t dead_lettered = 0;  // entries copied to the dead stream and acked
    int64_t claimed = 0;        // entries taken over through Claim
    int64_t queue_errors = 0;   // failed queue calls
    bool queue_available = true;  // false while in a queue outage (for health checks)
    absl::Duration last_batch_latency;  // handler time for the last batch
  };

  // Returns the worker, or InvalidArgument when queue or handler is null,
  // stream, group, consumer or dead_stream is empty, a numeric option or
  // duration is not positive, or backoff_max < backoff_initial. `queue` is borrowed and must outlive
  // the worker.
  static absl::StatusOr<std::unique_ptr<StageWorker>> Create(Queue* queue,
                                                             StageWorkerOptions options,
                                                             BatchHandler handler);

  StageWorker(const StageWorker&) = delete;
  StageWorker& operator=(const StageWorker&) = delete;

  // Runs the consumer loop until Stop(). Returns OK after Stop(), having
  // finished the in-flight batch (acked, or left pending); FailedPrecondition
  // if called a second time. Queue errors never end the loop: they are
  // retried with back-off (a missing group is recreated).
  absl::Status Run();

  // Asks Run() to return; returns at once. Run() returns at most about
  // `block` (or the handler's running time) later. Idempotent; may be called
  // before Run(), which then returns at once.
  void Stop();

  // Returns a consistent copy of the counters.
  Counters Snapshot() const;

 private:
  StageWorker(Queue* queue, StageWorkerOptions options, BatchHandler handler);

  bool stopping() const;
  // Sleeps for `d` or until Stop(), whichever comes first.
  void SleepUnlessStopped(absl::Duration d);
  // Records a failed queue call: one log line per outage, then back-off.
  void OnQueueError(absl::string_view operation, const absl::Status& status);
  // Records a successful queue call: ends an outage (one log line).
  void OnQueueSuccess();
  // Creates the group, retrying until it exists or Stop(). Returns false if stopped.
  bool EnsureGroupUntilStopped();
  // Dead-letters, hands to the handler, and acks `entries`.
  void ProcessBatch(const std::vector<Entry>& entries);
  // Returns false if the queue call failed (the entry stays pending).
  bool GiveUp(const Entry& entry, std::string error);
  void RememberError(const std::string& entry_id, const absl::Status& status);

  Queue* const queue_;
  const StageWorkerOptions options_;
  const BatchHandler handler_;

  // Touched only by the Run() thread.
  bool need_group_ = true;  // set when a call said the group is missing
  bool in_outage_ = false;
  absl::Time outage_start_;
  absl::Duration next_backoff_;
  absl::flat_hash_map<std::string, std::string> last_errors_;  // entry id -> message
  std::deque<std::string> error_order_;  // insertion order of last_errors_, for eviction

  mutable absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool ran_ ABSL_GUARDED_BY(mu_) = false;
  Counters counters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace queue
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_QUEUE_STAGE_WORKER_H_
