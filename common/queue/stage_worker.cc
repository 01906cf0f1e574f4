#include "common/queue/stage_worker.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/log.h"

namespace vnarchive {
namespace queue {

std::string DefaultConsumerName() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') {
    return absl::StrCat("unknown-host-", getpid());
  }
  return absl::StrCat(host, "-", getpid());
}

absl::StatusOr<std::unique_ptr<StageWorker>> StageWorker::Create(Queue* queue,
                                                                 StageWorkerOptions options,
                                                                 BatchHandler handler) {
  if (queue == nullptr) return absl::InvalidArgumentError("StageWorker: queue is null");
  if (!handler) return absl::InvalidArgumentError("StageWorker: handler is empty");
  if (options.stream.empty() || options.group.empty() || options.consumer.empty() ||
      options.dead_stream.empty()) {
    return absl::InvalidArgumentError(
        "StageWorker: stream, group, consumer and dead_stream must be non-empty");
  }
  if (options.batch_size <= 0 || options.max_deliveries <= 0 ||
      options.max_remembered_errors == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "StageWorker: batch_size (", options.batch_size, "), max_deliveries (",
        options.max_deliveries, ") and max_remembered_errors must be positive"));
  }
  if (options.block <= absl::ZeroDuration() || options.claim_idle <= absl::ZeroDuration() ||
      options.claim_interval <= absl::ZeroDuration() ||
      options.backoff_initial <= absl::ZeroDuration() ||
      options.backoff_max < options.backoff_initial) {
    return absl::InvalidArgumentError(
        "StageWorker: block, claim_idle, claim_interval and backoff_initial must be positive, "
        "backoff_max >= backoff_initial");
  }
  if (options.stage.empty()) options.stage = options.group;
  return std::unique_ptr<StageWorker>(
      new StageWorker(queue, std::move(options), std::move(handler)));
}

StageWorker::StageWorker(Queue* queue, StageWorkerOptions options, BatchHandler handler)
    : queue_(queue),
      options_(std::move(options)),
      handler_(std::move(handler)),
      next_backoff_(options_.backoff_initial) {}

bool StageWorker::stopping() const {
  absl::MutexLock lock(&mu_);
  return stop_;
}

void StageWorker::Stop() {
  absl::MutexLock lock(&mu_);
  stop_ = true;
}

StageWorker::Counters StageWorker::Snapshot() const {
  absl::MutexLock lock(&mu_);
  return counters_;
}

void StageWorker::SleepUnlessStopped(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stop_), d);
}

void StageWorker::OnQueueError(absl::string_view operation, const absl::Status& status) {
  {
    absl::MutexLock lock(&mu_);
    ++counters_.queue_errors;
    counters_.queue_available = false;
  }
  if (status.code() == absl::StatusCode::kNotFound) need_group_ = true;
  const absl::Duration delay = next_backoff_;
  next_backoff_ = std::min(next_backoff_ * 2, options_.backoff_max);
  // One line per outage, not per retry: a Redis restart must not flood the logs.
  if (!in_outage_) {
    in_outage_ = true;
    outage_start_ = absl::Now();
    const bool unavailable = status.code() == absl::StatusCode::kUnavailable;
    LogWarning(unavailable ? "redis unavailable; retrying" : "queue error; retrying",
               {{"stage", options_.stage},
                {"stream", options_.stream},
                {"op", std::string(operation)},
                {"error", status.ToString()},
                {"retry_ms", absl::StrCat(absl::ToInt64Milliseconds(delay))}});
  }
  SleepUnlessStopped(delay);
}

void StageWorker::OnQueueSuccess() {
  next_backoff_ = options_.backoff_initial;
  if (!in_outage_) return;
  in_outage_ = false;
  {
    absl::MutexLock lock(&mu_);
    counters_.queue_available = true;
  }
  LogInfo("redis available again",
          {{"stage", options_.stage},
           {"stream", options_.stream},
           {"outage_ms", absl::StrCat(absl::ToInt64Milliseconds(absl::Now() - outage_start_))}});
}

bool StageWorker::EnsureGroupUntilStopped() {
  while (!stopping()) {
    absl::Status s = queue_->EnsureGroup(options_.stream, options_.group);
    if (s.ok()) {
      need_group_ = false;
      OnQueueSuccess();
      return true;
    }
    OnQueueError("ensure_group", s);
  }
  return false;
}

void StageWorker::RememberError(const std::string& entry_id, const absl::Status& status) {
  auto [it, inserted] = last_errors_.insert_or_assign(entry_id, status.ToString());
  (void)it;
  if (!inserted) return;
  error_order_.push_back(entry_id);
  // error_order_ may hold ids already forgotten (acked); bounding it bounds both.
  while (error_order_.size() > options_.max_remembered_errors) {
    last_errors_.erase(error_order_.front());
    error_order_.pop_front();
  }
}

bool StageWorker::GiveUp(const Entry& entry, std::string error) {
  DeadLetterInfo info;
  info.stage = options_.stage;
  info.error = std::move(error);
  info.attempts = entry.deliveries - 1;  // this delivery is not attempted
  absl::Status s =
      queue_->DeadLetter(options_.stream, options_.group, options_.dead_stream, entry, info);
  if (!s.ok()) {
    OnQueueError("dead_letter", s);
    return false;
  }
  OnQueueSuccess();
  last_errors_.erase(entry.entry_id);
  {
    absl::MutexLock lock(&mu_);
    ++counters_.dead_lettered;
  }
  LogWarning("entry dead-lettered", {{"stage", options_.stage},
                                     {"stream", options_.stream},
                                     {"entry", entry.entry_id},
                                     {"key", entry.key},
                                     {"attempts", absl::StrCat(info.attempts)},
                                     {"error", info.error}});
  if (options_.on_dead_letter) options_.on_dead_letter(entry, info);
  return true;
}

void StageWorker::ProcessBatch(const std::vector<Entry>& entries) {
  std::vector<Entry> work;
  work.reserve(entries.size());
  for (const Entry& entry : entries) {
    if (entry.version != kSchemaVersion) {
      // Retrying cannot help: this build cannot parse the payload.
      if (!GiveUp(entry, absl::StrCat("entry has schema version ", entry.version,
                                      ", this build reads version ", kSchemaVersion))) {
        return;  // queue trouble: the rest stays pending and is claimed later
      }
      continue;
    }
    if (entry.deliveries > options_.max_deliveries) {
      auto it = last_errors_.find(entry.entry_id);
      std::string error =
          it != last_errors_.end()
              ? it->second
              : absl::StrCat("delivered ", entry.deliveries - 1,
                             " times without being acknowledged (a consumer failed or died "
                             "each time)");
      if (!GiveUp(entry, std::move(error))) return;
      continue;
    }
    work.push_back(entry);
  }
  if (work.empty()) return;

  const absl::Time start = absl::Now();
  std::vector<absl::Status> results = handler_(work);
  const absl::Duration latency = absl::Now() - start;
  if (results.size() != work.size()) {
    const absl::Status bad = absl::InternalError(
        absl::StrCat("stage handler returned ", results.size(), " statuses for ", work.size(),
                     " entries"));
    LogError("stage handler bug", {{"stage", options_.stage}, {"error", bad.ToString()}});
    results.assign(work.size(), bad);
  }

  std::vector<std::string> ok_ids;
  int64_t failed = 0;
  for (size_t i = 0; i < work.size(); ++i) {
    if (results[i].ok()) {
      ok_ids.push_back(work[i].entry_id);
      last_errors_.erase(work[i].entry_id);
      continue;
    }
    ++failed;
    RememberError(work[i].entry_id, results[i]);
    LogWarning("entry failed; will retry after claim_idle",
               {{"stage", options_.stage},
                {"entry", work[i].entry_id},
                {"key", work[i].key},
                {"deliveries", absl::StrCat(work[i].deliveries)},
                {"error", results[i].ToString()}});
  }
  {
    absl::MutexLock lock(&mu_);
    counters_.processed += static_cast<int64_t>(ok_ids.size());
    counters_.failed += failed;
    counters_.last_batch_latency = latency;
  }
  if (ok_ids.empty()) return;
  // If this fails the entries stay pending and are redelivered after
  // claim_idle: at-least-once, the handlers are idempotent.
  absl::Status s = queue_->Ack(options_.stream, options_.group, ok_ids);
  if (s.ok()) {
    OnQueueSuccess();
  } else {
    OnQueueError("ack", s);
  }
}

absl::Status StageWorker::Run() {
  {
    absl::MutexLock lock(&mu_);
    if (ran_) return absl::FailedPreconditionError("StageWorker::Run called twice");
    ran_ = true;
  }
  if (!EnsureGroupUntilStopped()) return absl::OkStatus();
  // Claim first: entries a previous incarnation left pending are the oldest.
  absl::Time next_claim = absl::InfinitePast();
  while (!stopping()) {
    if (need_group_ && !EnsureGroupUntilStopped()) break;
    const absl::Time now = absl::Now();
    if (now >= next_claim) {
      absl::StatusOr<std::vector<Entry>> claimed =
          queue_->Claim(options_.stream, options_.group, options_.consumer, options_.claim_idle,
                        options_.batch_size);
      if (!claimed.ok()) {
        OnQueueError("claim", claimed.status());
        continue;
      }
      OnQueueSuccess();
      // A full batch means more may be idle: look again at once.
      next_claim = static_cast<int>(claimed->size()) < options_.batch_size
                       ? now + options_.claim_interval
                       : now;
      if (!claimed->empty()) {
        {
          absl::MutexLock lock(&mu_);
          counters_.claimed += static_cast<int64_t>(claimed->size());
        }
        ProcessBatch(*claimed);
        continue;
      }
    }
    // Wake up in time for the next claim round; never pass 0, which some
    // backends (Redis BLOCK 0) read as "forever".
    const absl::Duration block = std::max(
        absl::Milliseconds(1), std::min(options_.block, next_claim - absl::Now()));
    absl::StatusOr<std::vector<Entry>> read = queue_->Read(
        options_.stream, options_.group, options_.consumer, options_.batch_size, block);
    if (!read.ok()) {
      OnQueueError("read", read.status());
      continue;
    }
    OnQueueSuccess();
    if (!read->empty()) ProcessBatch(*read);
  }
  return absl::OkStatus();
}

}  // namespace queue
}  // namespace vnarchive
