#include "common/redis/redis_queue.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/status_macros.h"

namespace vnarchive {
namespace redis {
namespace {

using internal::Reply;
using queue::Entry;

bool IsString(const redisReply* r) {
  return r != nullptr && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS);
}

std::string Str(const redisReply* r) { return std::string(r->str, r->len); }

absl::Status BadReply(absl::string_view command) {
  return absl::InternalError(absl::StrCat("redis: unexpected reply shape for ", command));
}

// Reads an integer reply, or a bulk string holding one (XINFO fields differ
// between versions); nil counts as "absent".
std::optional<int64_t> IntOf(const redisReply* r) {
  if (r == nullptr) return std::nullopt;
  if (r->type == REDIS_REPLY_INTEGER) return static_cast<int64_t>(r->integer);
  int64_t v = 0;
  if (IsString(r) && absl::SimpleAtoi(absl::string_view(r->str, r->len), &v)) return v;
  return std::nullopt;
}

// Parses one stream entry [id, [field, value, ...]]. Returns false if the
// shape is wrong; sets *deleted when the fields are nil (entry deleted from
// the stream while pending).
bool ParseEntry(const redisReply* r, Entry* out, bool* deleted) {
  *deleted = false;
  if (r == nullptr || r->type != REDIS_REPLY_ARRAY || r->elements < 2 ||
      !IsString(r->element[0])) {
    return false;
  }
  out->entry_id = Str(r->element[0]);
  const redisReply* fields = r->element[1];
  if (fields->type == REDIS_REPLY_NIL) {
    *deleted = true;
    return true;
  }
  if (fields->type != REDIS_REPLY_ARRAY) return false;
  bool have_version = false;
  for (size_t i = 0; i + 1 < fields->elements; i += 2) {
    if (!IsString(fields->element[i]) || !IsString(fields->element[i + 1])) return false;
    const absl::string_view name(fields->element[i]->str, fields->element[i]->len);
    if (name == "id") {
      out->key = Str(fields->element[i + 1]);
    } else if (name == "pb") {
      out->payload = Str(fields->element[i + 1]);
    } else if (name == "v") {
      have_version = absl::SimpleAtoi(
          absl::string_view(fields->element[i + 1]->str, fields->element[i + 1]->len),
          &out->version);
    }
  }
  // Missing or garbled: version 0, which every reader rejects (dead letter).
  if (!have_version) out->version = 0;
  return true;
}

std::string Millis(absl::Duration d) {
  return absl::StrCat(std::max<int64_t>(0, absl::ToInt64Milliseconds(d)));
}

// The XADD of one stream entry (the layout ParseEntry reads).
std::vector<std::string> XaddCommand(absl::string_view stream, absl::string_view key,
                                     absl::string_view payload) {
  return {"XADD", std::string(stream), "*",  "id", std::string(key), "pb", std::string(payload),
          "v",    absl::StrCat(queue::kSchemaVersion)};
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisQueue>> RedisQueue::Create(const RedisOptions& options) {
  VNA_ASSIGN_OR_RETURN(auto connection, internal::RedisConnection::Create(options));
  return std::unique_ptr<RedisQueue>(new RedisQueue(std::move(connection)));
}

RedisQueue::RedisQueue(std::unique_ptr<internal::RedisConnection> connection)
    : connection_(std::move(connection)) {}

absl::StatusOr<std::string> RedisQueue::Publish(absl::string_view stream, absl::string_view key,
                                                absl::string_view payload) {
  VNA_ASSIGN_OR_RETURN(Reply reply, connection_->Command(XaddCommand(stream, key, payload)));
  if (!IsString(reply.get())) return BadReply("XADD");
  return Str(reply.get());
}

absl::StatusOr<std::vector<std::string>> RedisQueue::PublishMany(
    absl::string_view stream, const std::vector<Message>& messages) {
  std::vector<std::string> ids;
  if (messages.empty()) return ids;
  std::vector<std::vector<std::string>> commands;
  commands.reserve(messages.size());
  for (const Message& m : messages) commands.push_back(XaddCommand(stream, m.key, m.payload));
  VNA_ASSIGN_OR_RETURN(std::vector<Reply> replies, connection_->Pipeline(commands));
  ids.reserve(replies.size());
  for (const Reply& reply : replies) {
    if (reply->type == REDIS_REPLY_ERROR) {
      return internal::StatusFromRedisError(absl::string_view(reply->str, reply->len));
    }
    if (!IsString(reply.get())) return BadReply("XADD");
    ids.push_back(Str(reply.get()));
  }
  return ids;
}

absl::Status RedisQueue::EnsureGroup(absl::string_view stream, absl::string_view group) {
  absl::StatusOr<Reply> reply = connection_->Command(
      {"XGROUP", "CREATE", std::string(stream), std::string(group), "0", "MKSTREAM"});
  if (reply.ok() || absl::IsAlreadyExists(reply.status())) return absl::OkStatus();  // BUSYGROUP
  return reply.status();
}

absl::StatusOr<std::vector<Entry>> RedisQueue::Read(absl::string_view stream,
                                                    absl::string_view group,
                                                    absl::string_view consumer, int count,
                                                    absl::Duration block) {
  std::vector<std::string> args = {"XREADGROUP", "GROUP",          std::string(group),
                                   std::string(consumer), "COUNT", absl::StrCat(std::max(1, count))};
  absl::Duration extra_timeout = absl::ZeroDuration();
  if (block > absl::ZeroDuration()) {
    const int64_t ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(block));
    args.push_back("BLOCK");
    args.push_back(absl::StrCat(ms));
    // The socket timeout must outlast the server-side wait (TOOLCHAIN.md).
    extra_timeout = absl::Milliseconds(ms);
  }
  args.push_back("STREAMS");
  args.push_back(std::string(stream));
  args.push_back(">");
  VNA_ASSIGN_OR_RETURN(Reply reply, connection_->Command(args, extra_timeout));
  std::vector<Entry> out;
  if (reply->type == REDIS_REPLY_NIL) return out;  // BLOCK timed out
  if (reply->type != REDIS_REPLY_ARRAY) return BadReply("XREADGROUP");
  for (size_t s = 0; s < reply->elements; ++s) {
    const redisReply* per_stream = reply->element[s];
    if (per_stream->type != REDIS_REPLY_ARRAY || per_stream->elements < 2 ||
        per_stream->element[1]->type != REDIS_REPLY_ARRAY) {
      return BadReply("XREADGROUP");
    }
    const redisReply* entries = per_stream->element[1];
    for (size_t i = 0; i < entries->elements; ++i) {
      Entry entry;
      bool deleted = false;
      if (!ParseEntry(entries->element[i], &entry, &deleted)) return BadReply("XREADGROUP");
      if (deleted) continue;  // only possible when re-reading history, never with ">"
      entry.deliveries = 1;
      out.push_back(std::move(entry));
    }
  }
  return out;
}

absl::Status RedisQueue::FillDeliveries(absl::string_view stream, absl::string_view group,
                                        absl::string_view consumer,
                                        std::vector<Entry>* entries) {
  // One exact XPENDING range per entry, pipelined in one round trip: a single
  // first..last range could also cover this consumer's other pending entries
  // and be cut short by its COUNT.
  std::vector<std::vector<std::string>> commands;
  commands.reserve(entries->size());
  for (const Entry& e : *entries) {
    commands.push_back({"XPENDING", std::string(stream), std::string(group), e.entry_id,
                        e.entry_id, "1", std::string(consumer)});
  }
  VNA_ASSIGN_OR_RETURN(std::vector<Reply> replies, connection_->Pipeline(commands));
  for (size_t i = 0; i < replies.size(); ++i) {
    const redisReply* r = replies[i].get();
    if (r->type == REDIS_REPLY_ERROR) {
      return internal::StatusFromRedisError(absl::string_view(r->str, r->len));
    }
    // [[id, consumer, idle_ms, deliveries]]; empty if acked meanwhile.
    if (r->type != REDIS_REPLY_ARRAY) return BadReply("XPENDING");
    if (r->elements == 0) continue;
    const redisReply* row = r->element[0];
    if (row->type != REDIS_REPLY_ARRAY || row->elements < 4) return BadReply("XPENDING");
    std::optional<int64_t> deliveries = IntOf(row->element[3]);
    if (!deliveries.has_value()) return BadReply("XPENDING");
    (*entries)[i].deliveries = *deliveries;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Entry>> RedisQueue::Claim(absl::string_view stream,
                                                     absl::string_view group,
                                                     absl::string_view consumer,
                                                     absl::Duration min_idle, int count) {
  std::vector<Entry> out;
  std::vector<std::string> deleted_ids;
  std::string cursor = "0-0";
  // XAUTOCLAIM inspects at most 10*COUNT pending entries per call; follow the
  // cursor a few times so a long list of busy entries does not hide idle ones.
  for (int round = 0; round < 8 && static_cast<int>(out.size()) < count; ++round) {
    VNA_ASSIGN_OR_RETURN(
        Reply reply,
        connection_->Command({"XAUTOCLAIM", std::string(stream), std::string(group),
                              std::string(consumer), Millis(min_idle), cursor, "COUNT",
                              absl::StrCat(count - static_cast<int>(out.size()))}));
    // Redis 7: [next_cursor, [entries...], [deleted ids...]]; 6.2 has no third.
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 2 ||
        !IsString(reply->element[0]) || reply->element[1]->type != REDIS_REPLY_ARRAY) {
      return BadReply("XAUTOCLAIM");
    }
    const redisReply* entries = reply->element[1];
    for (size_t i = 0; i < entries->elements; ++i) {
      Entry entry;
      bool deleted = false;
      if (!ParseEntry(entries->element[i], &entry, &deleted)) return BadReply("XAUTOCLAIM");
      if (deleted) {
        deleted_ids.push_back(entry.entry_id);  // Redis 6.2 style: [id, nil]
      } else {
        out.push_back(std::move(entry));
      }
    }
    cursor = Str(reply->element[0]);
    if (cursor == "0-0") break;
  }
  // Redis 7 already dropped deleted entries from the pending list; 6.2 did
  // not, and an entry that no longer exists can never be processed.
  if (!deleted_ids.empty()) VNA_RETURN_IF_ERROR(Ack(stream, group, deleted_ids));
  if (!out.empty()) VNA_RETURN_IF_ERROR(FillDeliveries(stream, group, consumer, &out));
  return out;
}

absl::Status RedisQueue::Ack(absl::string_view stream, absl::string_view group,
                             const std::vector<std::string>& entry_ids) {
  if (entry_ids.empty()) return absl::OkStatus();
  std::vector<std::string> args = {"XACK", std::string(stream), std::string(group)};
  args.insert(args.end(), entry_ids.begin(), entry_ids.end());
  return connection_->Command(args).status();
}

absl::Status RedisQueue::DeadLetter(absl::string_view stream, absl::string_view group,
                                    absl::string_view dead_stream, const Entry& entry,
                                    const queue::DeadLetterInfo& info) {
  VNA_RETURN_IF_ERROR(
      connection_
          ->Command({"XADD", std::string(dead_stream), "*", "id", entry.key, "pb", entry.payload,
                     "v", absl::StrCat(entry.version), "stage", info.stage, "error", info.error,
                     "attempts", absl::StrCat(info.attempts), "stream", std::string(stream),
                     "entry", entry.entry_id})
          .status());
  // A crash here leaves the entry pending: it is dead-lettered again later
  // (duplicate dead letter, never a lost one).
  return Ack(stream, group, {entry.entry_id});
}

absl::StatusOr<int64_t> RedisQueue::Backlog(absl::string_view stream, absl::string_view group) {
  auto xlen = [&]() -> absl::StatusOr<int64_t> {
    VNA_ASSIGN_OR_RETURN(Reply reply, connection_->Command({"XLEN", std::string(stream)}));
    std::optional<int64_t> n = IntOf(reply.get());
    if (!n.has_value()) return BadReply("XLEN");
    return *n;
  };
  absl::StatusOr<Reply> info = connection_->Command({"XINFO", "GROUPS", std::string(stream)});
  if (!info.ok()) {
    if (absl::IsInternal(info.status()) &&
        absl::StrContains(info.status().message(), "no such key")) {
      return 0;  // no stream yet
    }
    return info.status();
  }
  const redisReply* groups = info->get();
  if (groups->type != REDIS_REPLY_ARRAY) return BadReply("XINFO GROUPS");
  for (size_t g = 0; g < groups->elements; ++g) {
    const redisReply* fields = groups->element[g];
    if (fields->type != REDIS_REPLY_ARRAY) return BadReply("XINFO GROUPS");
    std::string name;
    std::optional<int64_t> pending, lag, entries_read;
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
      if (!IsString(fields->element[i])) continue;
      const absl::string_view field(fields->element[i]->str, fields->element[i]->len);
      const redisReply* value = fields->element[i + 1];
      if (field == "name" && IsString(value)) name = Str(value);
      if (field == "pending") pending = IntOf(value);
      if (field == "lag") lag = IntOf(value);
      if (field == "entries-read") entries_read = IntOf(value);
    }
    if (name != group) continue;
    if (!pending.has_value()) return BadReply("XINFO GROUPS");
    if (!lag.has_value()) {
      // Redis cannot tell the lag (e.g. after deletions): estimate from the
      // length, erring high so back-pressure stays safe.
      VNA_ASSIGN_OR_RETURN(int64_t length, xlen());
      lag = entries_read.has_value() ? std::max<int64_t>(0, length - *entries_read) : length;
    }
    return *lag + *pending;
  }
  return xlen();  // no such group yet: everything is still to do
}

absl::StatusOr<int64_t> RedisQueue::Pending(absl::string_view stream, absl::string_view group) {
  VNA_ASSIGN_OR_RETURN(Reply reply, connection_->Command({"XPENDING", std::string(stream),
                                                          std::string(group)}));
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 1) return BadReply("XPENDING");
  std::optional<int64_t> n = IntOf(reply->element[0]);
  if (!n.has_value()) return BadReply("XPENDING");
  return *n;
}

absl::Status RedisQueue::Ping() {
  VNA_ASSIGN_OR_RETURN(Reply reply, connection_->Command({"PING"}));
  if (!IsString(reply.get())) return BadReply("PING");
  return absl::OkStatus();
}

// --- RedisStatusStore -------------------------------------------------------

absl::StatusOr<std::unique_ptr<RedisStatusStore>> RedisStatusStore::Create(
    const RedisOptions& options) {
  VNA_ASSIGN_OR_RETURN(auto connection, internal::RedisConnection::Create(options));
  return std::unique_ptr<RedisStatusStore>(new RedisStatusStore(std::move(connection)));
}

RedisStatusStore::RedisStatusStore(std::unique_ptr<internal::RedisConnection> connection)
    : connection_(std::move(connection)) {}

std::string RedisStatusStore::KeyFor(absl::string_view doc_id) const {
  return absl::StrCat(connection_->options().key_prefix, "status:", doc_id);
}

absl::Status RedisStatusStore::Set(absl::string_view doc_id, const queue::DocStatus& status) {
  return connection_->Command(SetCommand(doc_id, status)).status();
}

absl::Status RedisStatusStore::SetMany(const std::vector<std::string>& doc_ids,
                                       const queue::DocStatus& status) {
  if (doc_ids.empty()) return absl::OkStatus();
  // One time for the whole batch, as its documents reached the stage together.
  queue::DocStatus stamped = status;
  if (stamped.updated_unix_ms == 0) stamped.updated_unix_ms = absl::ToUnixMillis(absl::Now());
  std::vector<std::vector<std::string>> commands;
  commands.reserve(doc_ids.size());
  for (const std::string& doc_id : doc_ids) commands.push_back(SetCommand(doc_id, stamped));
  VNA_ASSIGN_OR_RETURN(std::vector<Reply> replies, connection_->Pipeline(commands));
  for (const Reply& reply : replies) {
    if (reply->type == REDIS_REPLY_ERROR) {
      return internal::StatusFromRedisError(absl::string_view(reply->str, reply->len));
    }
  }
  return absl::OkStatus();
}

std::vector<std::string> RedisStatusStore::SetCommand(absl::string_view doc_id,
                                                      const queue::DocStatus& status) const {
  std::vector<std::string> args = {"HSET", KeyFor(doc_id)};
  auto add = [&args](const char* field, const std::string& value) {
    if (value.empty()) return;  // fields not given keep their stored value
    args.push_back(field);
    args.push_back(value);
  };
  add("stage", status.stage);
  add("error", status.error);
  add("content_hash", status.content_hash);
  const int64_t updated =
      status.updated_unix_ms != 0 ? status.updated_unix_ms : absl::ToUnixMillis(absl::Now());
  args.push_back("updated_ms");
  args.push_back(absl::StrCat(updated));
  return args;
}

absl::StatusOr<std::optional<queue::DocStatus>> RedisStatusStore::Get(absl::string_view doc_id) {
  VNA_ASSIGN_OR_RETURN(Reply reply, connection_->Command({"HGETALL", KeyFor(doc_id)}));
  return ParseStatus(doc_id, reply.get());
}

absl::StatusOr<std::vector<std::optional<queue::DocStatus>>> RedisStatusStore::GetMany(
    const std::vector<std::string>& doc_ids) {
  std::vector<std::optional<queue::DocStatus>> out;
  if (doc_ids.empty()) return out;
  std::vector<std::vector<std::string>> commands;
  commands.reserve(doc_ids.size());
  for (const std::string& doc_id : doc_ids) commands.push_back({"HGETALL", KeyFor(doc_id)});
  VNA_ASSIGN_OR_RETURN(std::vector<Reply> replies, connection_->Pipeline(commands));
  out.reserve(replies.size());
  for (size_t i = 0; i < replies.size(); ++i) {
    const redisReply* r = replies[i].get();
    if (r->type == REDIS_REPLY_ERROR) {
      return internal::StatusFromRedisError(absl::string_view(r->str, r->len));
    }
    VNA_ASSIGN_OR_RETURN(std::optional<queue::DocStatus> status, ParseStatus(doc_ids[i], r));
    out.push_back(std::move(status));
  }
  return out;
}

absl::StatusOr<std::optional<queue::DocStatus>> RedisStatusStore::ParseStatus(
    absl::string_view doc_id, const redisReply* reply) const {
  if (reply->type != REDIS_REPLY_ARRAY) return BadReply("HGETALL");
  if (reply->elements == 0) return std::optional<queue::DocStatus>();  // never seen
  queue::DocStatus status;
  for (size_t i = 0; i + 1 < reply->elements; i += 2) {
    if (!IsString(reply->element[i]) || !IsString(reply->element[i + 1])) {
      return BadReply("HGETALL");
    }
    const absl::string_view field(reply->element[i]->str, reply->element[i]->len);
    std::string value = Str(reply->element[i + 1]);
    if (field == "stage") {
      status.stage = std::move(value);
    } else if (field == "error") {
      status.error = std::move(value);
    } else if (field == "content_hash") {
      status.content_hash = std::move(value);
    } else if (field == "updated_ms" && !absl::SimpleAtoi(value, &status.updated_unix_ms)) {
      return absl::InternalError(absl::StrCat("redis: ", KeyFor(doc_id),
                                              " has a malformed updated_ms '", value, "'"));
    }
  }
  return std::optional<queue::DocStatus>(std::move(status));
}

}  // namespace redis
}  // namespace vnarchive
