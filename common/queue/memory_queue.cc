#include "common/queue/memory_queue.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace vnarchive {
namespace queue {
namespace {

absl::Status UnavailableError() {
  return absl::UnavailableError("memory queue switched off by SetAvailable(false)");
}

absl::Status NoGroupError(absl::string_view stream, absl::string_view group) {
  // Same wording as Redis' NOGROUP so tests read alike against both.
  return absl::NotFoundError(absl::StrCat("NOGROUP No such key '", stream,
                                          "' or consumer group '", group, "'"));
}

}  // namespace

std::optional<std::string> MemoryQueue::Record::Field(absl::string_view name) const {
  for (const auto& [field, value] : fields) {
    if (field == name) return value;
  }
  return std::nullopt;
}

MemoryQueue::MemoryQueue(Clock clock)
    : clock_(clock ? std::move(clock) : Clock([] { return absl::Now(); })) {}

std::string MemoryQueue::FormatId(const StreamId& id) { return absl::StrCat(id.ms, "-", id.seq); }

bool MemoryQueue::ParseId(absl::string_view text, StreamId* id) {
  const size_t dash = text.find('-');
  if (dash == absl::string_view::npos) return false;
  return absl::SimpleAtoi(text.substr(0, dash), &id->ms) &&
         absl::SimpleAtoi(text.substr(dash + 1), &id->seq);
}

Entry MemoryQueue::ToEntry(const Record& record, int64_t deliveries) {
  Entry entry;
  entry.entry_id = record.entry_id;
  entry.key = record.Field("id").value_or("");
  entry.payload = record.Field("pb").value_or("");
  // A missing or garbled "v" reads as version 0, which no reader accepts.
  if (!absl::SimpleAtoi(record.Field("v").value_or(""), &entry.version)) entry.version = 0;
  entry.deliveries = deliveries;
  return entry;
}

absl::Status MemoryQueue::Enter() {
  ++calls_;
  return available_ ? absl::OkStatus() : UnavailableError();
}

MemoryQueue::Group* MemoryQueue::FindGroup(absl::string_view stream, absl::string_view group) {
  auto s = streams_.find(std::string(stream));
  if (s == streams_.end()) return nullptr;
  auto g = s->second.groups.find(std::string(group));
  return g == s->second.groups.end() ? nullptr : &g->second;
}

std::string MemoryQueue::AppendLocked(absl::string_view stream,
                                      std::vector<std::pair<std::string, std::string>> fields) {
  Stream& s = streams_[std::string(stream)];
  // Like Redis: ids grow monotonically even if the clock steps back.
  const auto now_ms = static_cast<uint64_t>(std::max<int64_t>(0, absl::ToUnixMillis(clock_())));
  StreamId id;
  if (now_ms > s.last_id.ms) {
    id = {now_ms, 0};
  } else {
    id = {s.last_id.ms, s.last_id.seq + 1};
  }
  s.last_id = id;
  Record record{FormatId(id), std::move(fields)};
  std::string entry_id = record.entry_id;
  s.entries.emplace(id, std::move(record));
  return entry_id;
}

absl::StatusOr<std::string> MemoryQueue::Publish(absl::string_view stream, absl::string_view key,
                                                 absl::string_view payload) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Enter(); !s.ok()) return s;
  std::string id = AppendLocked(stream, {{"id", std::string(key)},
                                         {"pb", std::string(payload)},
                                         {"v", absl::StrCat(kSchemaVersion)}});
  changed_.SignalAll();
  return id;
}

absl::Status MemoryQueue::EnsureGroup(absl::string_view stream, absl::string_view group) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Enter(); !s.ok()) return s;
  // MKSTREAM + BUSYGROUP-is-fine: creating twice keeps the existing group.
  streams_[std::string(stream)].groups.try_emplace(std::string(group));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Entry>> MemoryQueue::Read(absl::string_view stream,
                                                     absl::string_view group,
                                                     absl::string_view consumer, int count,
                                                     absl::Duration block) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Enter(); !s.ok()) return s;
  const absl::Time deadline = absl::Now() + std::max(block, absl::ZeroDuration());
  while (true) {
    if (!available_) return UnavailableError();
    Group* g = FindGroup(stream, group);
    if (g == nullptr) return NoGroupError(stream, group);
    Stream& s = streams_[std::string(stream)];
    std::vector<Entry> out;
    const absl::Time now = clock_();
    for (auto it = s.entries.upper_bound(g->last_delivered);
         it != s.entries.end() && static_cast<int>(out.size()) < count; ++it) {
      g->last_delivered = it->first;
      g->pending[it->first] = PendingEntry{std::string(consumer), now, 1};
      out.push_back(ToEntry(it->second, 1));
    }
    if (!out.empty() || count <= 0) return out;
    const absl::Duration remaining = deadline - absl::Now();
    if (remaining <= absl::ZeroDuration()) return out;
    changed_.WaitWithTimeout(&mu_, remaining);
  }
}

absl::StatusOr<std::vector<Entry>> MemoryQueue::Claim(absl::string_view stream,
                                                      absl::string_view group,
                                                      absl::string_view consumer,
                                                      absl::Duration min_idle, int count) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Enter(); !s.ok()) return s;
  Group* g = FindGroup(stream, group);
  if (g == nullptr) return NoGroupError(stream, group);
  Stream& s = streams_[std::string(stream)];
  const absl::Time now = clock_();
  std::vector<Entry> out;
  for (auto it = g->pending.begin();
       it != g->pending.end() && static_cast<int>(out.size()) < count;) {
    PendingEntry& p = it->second;
    if (now - p.delivered_at < min_idle) {
      ++it;
      continue;
    }
    auto record = s.entries.find(it->first);
    if (record == s.entries.end()) {
      // Deleted while pending: Redis 7's XAUTOCLAIM drops it from the list.
      it = g->pending.erase(it);
      continue;
    }
    p.consumer = std::string(consumer);
    p.delivered_at = now;
    ++p.deliveries;
    out.push_back(ToEntry(record->second, p.deliveries));
    ++it;
  }
  return out;
}

void MemoryQueue::AckLocked(absl::string_view stream, absl::string_view group,
                            const std::vector<std::string>& entry_ids) {
  Group* g = FindGroup(stream, group);
  if (g == nullptr) return;  // XACK on a missing group acks nothing, no error
  for (const std::string& text : entry_ids) {
    StreamId id;
    if (ParseId(text, &id)) g->pending.erase(id);
  }
}

absl::Status MemoryQueue::Ack(absl::string_view stream, absl::string_view group,
                              const std::vector<std::string>& entry_ids) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Enter(); !s.ok()) return s;
  for (const std::string& text : entry_ids) {
    StreamId id;
    if (!ParseId(text, &id)) {
      return absl::InvalidArgumentError(absl::StrCat("invalid stream entry id '", text, "'"));
    }
  }
  AckLocked(stream, group, entry_ids);
  return absl::OkStatus();
}

absl::Status MemoryQueue::DeadLetter(absl::string_view stream, absl::string_view group,
                                     absl::string_view dead_stream, const Entry& entry,
                                     const DeadLetterInfo& info) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Enter(); !s.ok()) return s;
  AppendLocked(dead_stream, {{"id", entry.key},
                             {"pb", entry.payload},
                             {"v", absl::StrCat(entry.version)},
                             {"stage", info.stage},
                             {"error", info.error},
                             {"attempts", absl::StrCat(info.attempts)},
                             {"stream", std::string(stream)},
                             {"entry", entry.entry_id}});
  AckLocked(stream, group, {entry.entry_id});
  changed_.SignalAll();
  return absl::OkStatus();
}

absl::StatusOr<int64_t> MemoryQueue::Backlog(absl::string_view stream, absl::string_view group) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Enter(); !s.ok()) return s;
  auto it = streams_.find(std::string(stream));
  if (it == streams_.end()) return 0;
  const Stream& s = it->second;
  auto g = s.groups.find(std::string(group));
  if (g == s.groups.end()) return static_cast<int64_t>(s.entries.size());
  int64_t undelivered = 0;
  for (auto e = s.entries.upper_bound(g->second.last_delivered); e != s.entries.end(); ++e) {
    ++undelivered;
  }
  return undelivered + static_cast<int64_t>(g->second.pending.size());
}

absl::StatusOr<int64_t> MemoryQueue::Pending(absl::string_view stream, absl::string_view group) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Enter(); !s.ok()) return s;
  Group* g = FindGroup(stream, group);
  if (g == nullptr) return NoGroupError(stream, group);
  return static_cast<int64_t>(g->pending.size());
}

absl::Status MemoryQueue::Ping() {
  absl::MutexLock lock(&mu_);
  return Enter();
}

void MemoryQueue::SetAvailable(bool available) {
  absl::MutexLock lock(&mu_);
  available_ = available;
  changed_.SignalAll();
}

int64_t MemoryQueue::call_count() const {
  absl::MutexLock lock(&mu_);
  return calls_;
}

std::vector<MemoryQueue::Record> MemoryQueue::Range(absl::string_view stream) const {
  absl::MutexLock lock(&mu_);
  std::vector<Record> out;
  auto it = streams_.find(std::string(stream));
  if (it == streams_.end()) return out;
  for (const auto& [id, record] : it->second.entries) out.push_back(record);
  return out;
}

std::string MemoryQueue::Append(absl::string_view stream,
                                std::vector<std::pair<std::string, std::string>> fields) {
  absl::MutexLock lock(&mu_);
  std::string id = AppendLocked(stream, std::move(fields));
  changed_.SignalAll();
  return id;
}

bool MemoryQueue::Delete(absl::string_view stream, absl::string_view entry_id) {
  absl::MutexLock lock(&mu_);
  StreamId id;
  auto it = streams_.find(std::string(stream));
  if (it == streams_.end() || !ParseId(entry_id, &id)) return false;
  return it->second.entries.erase(id) > 0;
}

std::optional<int64_t> MemoryQueue::Deliveries(absl::string_view stream, absl::string_view group,
                                               absl::string_view entry_id) const {
  absl::MutexLock lock(&mu_);
  StreamId id;
  if (!ParseId(entry_id, &id)) return std::nullopt;
  auto s = streams_.find(std::string(stream));
  if (s == streams_.end()) return std::nullopt;
  auto g = s->second.groups.find(std::string(group));
  if (g == s->second.groups.end()) return std::nullopt;
  auto p = g->second.pending.find(id);
  if (p == g->second.pending.end()) return std::nullopt;
  return p->second.deliveries;
}

MemoryStatusStore::MemoryStatusStore(Clock clock)
    : clock_(clock ? std::move(clock) : Clock([] { return absl::Now(); })) {}

absl::Status MemoryStatusStore::Set(absl::string_view doc_id, const DocStatus& status) {
  absl::MutexLock lock(&mu_);
  if (!available_) return absl::UnavailableError("memory status store switched off");
  DocStatus& stored = statuses_[std::string(doc_id)];
  if (!status.stage.empty()) stored.stage = status.stage;
  if (!status.error.empty()) stored.error = status.error;
  if (!status.content_hash.empty()) stored.content_hash = status.content_hash;
  stored.updated_unix_ms =
      status.updated_unix_ms != 0 ? status.updated_unix_ms : absl::ToUnixMillis(clock_());
  return absl::OkStatus();
}

absl::StatusOr<std::optional<DocStatus>> MemoryStatusStore::Get(absl::string_view doc_id) {
  absl::MutexLock lock(&mu_);
  if (!available_) return absl::UnavailableError("memory status store switched off");
  auto it = statuses_.find(std::string(doc_id));
  if (it == statuses_.end()) return std::optional<DocStatus>();
  return std::optional<DocStatus>(it->second);
}

void MemoryStatusStore::SetAvailable(bool available) {
  absl::MutexLock lock(&mu_);
  available_ = available;
}

}  // namespace queue
}  // namespace vnarchive
