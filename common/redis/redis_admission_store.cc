#include "common/redis/redis_admission_store.h"

#include <hiredis/hiredis.h>

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/status_macros.h"
#include "common/queue/queue.h"

namespace vnarchive {
namespace redis {
namespace {

using internal::Reply;

// Read-only. KEYS: status key, body key. ARGV: doc_id, body hash, key
// prefix, then the band values (band j at ARGV[4 + j]).
// Returns {stage, content_hash, same_body, id1, sketch1, id2, sketch2, ...}.
constexpr char kLookupLua[] = R"lua(
local id, body, prefix = ARGV[1], ARGV[2], ARGV[3]
local status = redis.call('HMGET', KEYS[1], 'stage', 'content_hash')
local out = {status[1] or '', status[2] or '', ''}
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= id then
  local other = redis.call('HMGET', prefix .. 'status:' .. holder, 'stage', 'body_hash')
  if other[1] and other[1] ~= 'failed' and other[2] == body then out[3] = holder end
end
local seen = {}
for j = 4, #ARGV do
  local similar = redis.call('HGET', prefix .. 'near:' .. (j - 4), ARGV[j])
  if similar and similar ~= id and not seen[similar] then
    seen[similar] = true
    local sketch = redis.call('GET', prefix .. 'sketch:' .. similar)
    if sketch then
      out[#out + 1] = similar
      out[#out + 1] = sketch
    end
  end
end
return out
)lua";

// KEYS: status key, body key, stream, sketch key. ARGV: doc_id, content
// hash, body hash, duplicate_of, payload, schema version, now (ms), key
// prefix, sketch, then the band values (band j at ARGV[10 + j]).
// Returns {"duplicate", holder} or {"accepted", entry id}. The XADD comes
// first: if it fails (e.g. Redis out of memory) the script stops before
// anything else was written.
constexpr char kAdmitLua[] = R"lua(
local id, hash, body, prefix = ARGV[1], ARGV[2], ARGV[3], ARGV[8]
local status = redis.call('HMGET', KEYS[1], 'stage', 'content_hash')
if status[1] and status[1] ~= 'failed' and status[2] == hash then
  return {'duplicate', id}
end
local holder = redis.call('GET', KEYS[2])
local held = false
if holder and holder ~= id then
  local other = redis.call('HMGET', prefix .. 'status:' .. holder, 'stage', 'body_hash')
  held = other[1] and other[1] ~= 'failed' and other[2] == body
  if held and not status[1] then return {'duplicate', holder} end
end
local entry = redis.call('XADD', KEYS[3], '*', 'id', id, 'pb', ARGV[5], 'v', ARGV[6])
redis.call('HSET', KEYS[1], 'stage', 'accepted', 'content_hash', hash, 'body_hash', body,
           'updated_ms', ARGV[7])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[1], 'duplicate_of', ARGV[4])
  redis.call('HDEL', KEYS[1], 'error')
else
  redis.call('HDEL', KEYS[1], 'error', 'duplicate_of')
end
if not held then redis.call('SET', KEYS[2], id) end
if ARGV[9] ~= '' then redis.call('SET', KEYS[4], ARGV[9]) else redis.call('DEL', KEYS[4]) end
for j = 10, #ARGV do
  redis.call('HSETNX', prefix .. 'near:' .. (j - 10), ARGV[j], id)
end
return {'accepted', entry}
)lua";

const char* const kScripts[] = {kLookupLua, kAdmitLua};

bool IsString(const redisReply* r) {
  return r != nullptr && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS);
}

std::string Str(const redisReply* r) { return std::string(r->str, r->len); }

absl::Status BadReply(absl::string_view what) {
  return absl::InternalError(absl::StrCat("redis: unexpected reply shape for ", what));
}

// An error reply of a script call, as a Status.
absl::Status ScriptError(const redisReply* r) {
  return internal::StatusFromRedisError(absl::string_view(r->str, r->len));
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisAdmissionStore>> RedisAdmissionStore::Create(
    const RedisOptions& options, const RedisAdmissionStoreOptions& store_options) {
  if (store_options.connections < 1) {
    return absl::InvalidArgumentError("redis admission store: connections must be at least 1");
  }
  std::vector<std::unique_ptr<internal::RedisConnection>> connections;
  for (int i = 0; i < store_options.connections; ++i) {
    VNA_ASSIGN_OR_RETURN(auto connection, internal::RedisConnection::Create(options));
    connections.push_back(std::move(connection));
  }
  return std::unique_ptr<RedisAdmissionStore>(
      new RedisAdmissionStore(options, std::move(connections)));
}

RedisAdmissionStore::RedisAdmissionStore(
    RedisOptions options, std::vector<std::unique_ptr<internal::RedisConnection>> connections)
    : options_(std::move(options)), connections_(std::move(connections)) {}

internal::RedisConnection& RedisAdmissionStore::NextConnection() {
  return *connections_[next_connection_.fetch_add(1, std::memory_order_relaxed) %
                       connections_.size()];
}

absl::StatusOr<std::string> RedisAdmissionStore::ScriptSha(internal::RedisConnection& connection,
                                                           Script script, bool reload) {
  {
    absl::MutexLock lock(&sha_mu_);
    if (!reload && !shas_[script].empty()) return shas_[script];
  }
  VNA_ASSIGN_OR_RETURN(Reply reply, connection.Command({"SCRIPT", "LOAD", kScripts[script]}));
  if (!IsString(reply.get())) return BadReply("SCRIPT LOAD");
  absl::MutexLock lock(&sha_mu_);
  shas_[script] = Str(reply.get());
  return shas_[script];
}

absl::StatusOr<std::vector<Reply>> RedisAdmissionStore::RunScript(
    Script script, std::vector<std::vector<std::string>> calls) {
  internal::RedisConnection& connection = NextConnection();
  VNA_ASSIGN_OR_RETURN(std::string sha, ScriptSha(connection, script, /*reload=*/false));
  for (std::vector<std::string>& call : calls) {
    call.insert(call.begin(), {"EVALSHA", sha});
  }
  VNA_ASSIGN_OR_RETURN(std::vector<Reply> replies, connection.Pipeline(calls));
  // NOSCRIPT: the server lost its script cache (a restart); those calls did
  // not run, so they are sent again once the script is loaded.
  std::vector<size_t> refused;
  for (size_t i = 0; i < replies.size(); ++i) {
    const redisReply* r = replies[i].get();
    if (r->type == REDIS_REPLY_ERROR && absl::StartsWith(absl::string_view(r->str, r->len),
                                                         "NOSCRIPT")) {
      refused.push_back(i);
    }
  }
  if (refused.empty()) return replies;
  VNA_ASSIGN_OR_RETURN(sha, ScriptSha(connection, script, /*reload=*/true));
  std::vector<std::vector<std::string>> again;
  again.reserve(refused.size());
  for (size_t i : refused) {
    calls[i][1] = sha;
    again.push_back(calls[i]);
  }
  VNA_ASSIGN_OR_RETURN(std::vector<Reply> retried, connection.Pipeline(again));
  for (size_t k = 0; k < refused.size(); ++k) replies[refused[k]] = std::move(retried[k]);
  return replies;
}

absl::StatusOr<std::vector<queue::AdmissionLookup>> RedisAdmissionStore::Lookup(
    const std::vector<queue::AdmissionQuery>& queries) {
  std::vector<queue::AdmissionLookup> out;
  if (queries.empty()) return out;
  const std::string& prefix = options_.key_prefix;
  std::vector<std::vector<std::string>> calls;
  calls.reserve(queries.size());
  for (const queue::AdmissionQuery& query : queries) {
    std::vector<std::string> call = {"2",
                                     absl::StrCat(prefix, "status:", query.doc_id),
                                     absl::StrCat(prefix, "body:", query.body_hash),
                                     query.doc_id,
                                     query.body_hash,
                                     prefix};
    call.insert(call.end(), query.bands.begin(), query.bands.end());
    calls.push_back(std::move(call));
  }
  VNA_ASSIGN_OR_RETURN(std::vector<Reply> replies, RunScript(kLookupScript, std::move(calls)));
  out.reserve(replies.size());
  for (const Reply& reply : replies) {
    const redisReply* r = reply.get();
    if (r->type == REDIS_REPLY_ERROR) return ScriptError(r);
    if (r->type != REDIS_REPLY_ARRAY || r->elements < 3 || (r->elements - 3) % 2 != 0) {
      return BadReply("the lookup script");
    }
    for (size_t i = 0; i < r->elements; ++i) {
      if (!IsString(r->element[i])) return BadReply("the lookup script");
    }
    queue::AdmissionLookup& found = out.emplace_back();
    found.stage = Str(r->element[0]);
    found.content_hash = Str(r->element[1]);
    found.same_body = Str(r->element[2]);
    for (size_t i = 3; i + 1 < r->elements; i += 2) {
      found.similar.push_back({Str(r->element[i]), Str(r->element[i + 1])});
    }
  }
  return out;
}

absl::StatusOr<std::vector<queue::AdmissionResult>> RedisAdmissionStore::Admit(
    absl::string_view stream, const std::vector<queue::Admission>& admissions) {
  std::vector<queue::AdmissionResult> out;
  if (admissions.empty()) return out;
  const std::string& prefix = options_.key_prefix;
  const std::string now_ms = absl::StrCat(absl::ToUnixMillis(absl::Now()));
  const std::string version = absl::StrCat(queue::kSchemaVersion);
  std::vector<std::vector<std::string>> calls;
  calls.reserve(admissions.size());
  for (const queue::Admission& a : admissions) {
    std::vector<std::string> call = {"4",
                                     absl::StrCat(prefix, "status:", a.doc_id),
                                     absl::StrCat(prefix, "body:", a.body_hash),
                                     std::string(stream),
                                     absl::StrCat(prefix, "sketch:", a.doc_id),
                                     a.doc_id,
                                     a.content_hash,
                                     a.body_hash,
                                     a.duplicate_of,
                                     a.payload,
                                     version,
                                     now_ms,
                                     prefix,
                                     a.sketch};
    call.insert(call.end(), a.bands.begin(), a.bands.end());
    calls.push_back(std::move(call));
  }
  VNA_ASSIGN_OR_RETURN(std::vector<Reply> replies, RunScript(kAdmitScript, std::move(calls)));
  out.reserve(replies.size());
  for (const Reply& reply : replies) {
    const redisReply* r = reply.get();
    // One failed script (say, out of memory) fails the batch: the caller
    // cannot tell the client about the documents after it in order anyway.
    if (r->type == REDIS_REPLY_ERROR) return ScriptError(r);
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 || !IsString(r->element[0]) ||
        !IsString(r->element[1])) {
      return BadReply("the admit script");
    }
    queue::AdmissionResult& result = out.emplace_back();
    const std::string kind = Str(r->element[0]);
    if (kind == "accepted") {
      result.outcome = queue::AdmissionResult::Outcome::kAccepted;
      result.entry_id = Str(r->element[1]);
    } else if (kind == "duplicate") {
      result.outcome = queue::AdmissionResult::Outcome::kDuplicate;
      result.duplicate_of = Str(r->element[1]);
    } else {
      return BadReply("the admit script");
    }
  }
  return out;
}

}  // namespace redis
}  // namespace vnarchive
