#include "common/redis/redis_connection.h"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/time.h>

#include <mutex>  // NOLINT(build/c++11): std::call_once

#include <algorithm>
#include <cerrno>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/log.h"

namespace vnarchive {
namespace redis {

absl::StatusOr<RedisAddress> ParseRedisAddress(absl::string_view address) {
  RedisAddress out;
  if (absl::StartsWith(address, "unix:")) address.remove_prefix(5);
  if (absl::StartsWith(address, "/")) {
    out.unix_socket = true;
    out.path = std::string(address);
    return out;
  }
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos || colon == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "redis address '", address, "' is neither host:port nor unix:/path nor /path"));
  }
  absl::string_view host = address.substr(0, colon);
  if (absl::StartsWith(host, "[") && absl::EndsWith(host, "]")) {  // [::1]:6379
    host = host.substr(1, host.size() - 2);
  }
  if (!absl::SimpleAtoi(address.substr(colon + 1), &out.port) || out.port <= 0 ||
      out.port > 65535 || host.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("redis address '", address, "' has no valid host and port"));
  }
  out.host = std::string(host);
  return out;
}

namespace internal {
namespace {

timeval TimevalOf(absl::Duration d) {
  return absl::ToTimeval(std::max(d, absl::Milliseconds(1)));
}

// hiredis writes with write(2), so a peer that closed the connection (Redis
// restarting) raises SIGPIPE, whose default action kills the process. A
// service must survive that and see an I/O error instead; ignore SIGPIPE
// once, unless the program installed its own handler.
void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current = {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      signal(SIGPIPE, SIG_IGN);
    }
  });
}

}  // namespace

void ReplyDeleter::operator()(redisReply* reply) const {
  if (reply != nullptr) freeReplyObject(reply);
}

absl::Status StatusFromRedisError(absl::string_view message) {
  if (absl::StartsWith(message, "NOGROUP")) return absl::NotFoundError(message);
  if (absl::StartsWith(message, "BUSYGROUP")) return absl::AlreadyExistsError(message);
  // The server is up but cannot answer yet: retryable, like a connection error.
  if (absl::StartsWith(message, "LOADING") || absl::StartsWith(message, "MASTERDOWN") ||
      absl::StartsWith(message, "TRYAGAIN")) {
    return absl::UnavailableError(absl::StrCat("redis: ", message));
  }
  return absl::InternalError(absl::StrCat("redis error: ", message));
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisConnection::Create(
    const RedisOptions& options) {
  absl::StatusOr<RedisAddress> address = ParseRedisAddress(options.address);
  if (!address.ok()) return address.status();
  if (options.connect_timeout <= absl::ZeroDuration() ||
      options.command_timeout <= absl::ZeroDuration() ||
      options.reconnect_backoff_initial <= absl::ZeroDuration() ||
      options.reconnect_backoff_max < options.reconnect_backoff_initial) {
    return absl::InvalidArgumentError(
        "redis: timeouts and reconnect_backoff_initial must be positive, "
        "reconnect_backoff_max >= reconnect_backoff_initial");
  }
  IgnoreSigpipeOnce();
  return std::unique_ptr<RedisConnection>(new RedisConnection(options, *std::move(address)));
}

RedisConnection::RedisConnection(const RedisOptions& options, RedisAddress address)
    : options_(options),
      address_(std::move(address)),
      backoff_(options.reconnect_backoff_initial) {}

RedisConnection::~RedisConnection() {
  absl::MutexLock lock(&mu_);
  if (context_ != nullptr) redisFree(context_);
}

void RedisConnection::MarkDownLocked(absl::string_view error) {
  last_error_ = std::string(error);
  if (down_) return;
  down_ = true;
  down_since_ = absl::Now();
  LogWarning("redis connection lost; reconnecting",
             {{"addr", options_.address},
              {"error", std::string(error)},
              {"retry_ms", absl::StrCat(absl::ToInt64Milliseconds(backoff_))}});
}

absl::Status RedisConnection::EnsureConnectedLocked() {
  if (context_ != nullptr) return absl::OkStatus();
  const absl::Time now = absl::Now();
  if (now < retry_after_) {
    return absl::UnavailableError(absl::StrCat(
        "redis at ", options_.address, " unavailable (next attempt in ",
        absl::ToInt64Milliseconds(retry_after_ - now), " ms): ", last_error_));
  }
  const timeval tv = TimevalOf(options_.connect_timeout);
  redisContext* c = address_.unix_socket
                        ? redisConnectUnixWithTimeout(address_.path.c_str(), tv)
                        : redisConnectWithTimeout(address_.host.c_str(), address_.port, tv);
  std::string error;
  if (c == nullptr) {
    error = "cannot allocate redis context";
  } else if (c->err != 0) {
    error = absl::StrCat("connect: ", c->errstr);
  } else if (!options_.password.empty()) {
    const char* argv[] = {"AUTH", options_.password.c_str()};
    const size_t lens[] = {4, options_.password.size()};
    Reply reply(static_cast<redisReply*>(redisCommandArgv(c, 2, argv, lens)));
    if (reply == nullptr) {
      error = absl::StrCat("AUTH: ", c->errstr);
    } else if (reply->type == REDIS_REPLY_ERROR) {
      error = absl::StrCat("AUTH: ", absl::string_view(reply->str, reply->len));
    }
  }
  if (!error.empty()) {
    if (c != nullptr) redisFree(c);
    retry_after_ = now + backoff_;
    MarkDownLocked(error);
    backoff_ = std::min(backoff_ * 2, options_.reconnect_backoff_max);
    return absl::UnavailableError(absl::StrCat("redis at ", options_.address, ": ", error));
  }
  context_ = c;
  context_timeout_ = absl::ZeroDuration();
  backoff_ = options_.reconnect_backoff_initial;
  if (down_) {
    down_ = false;
    LogInfo("redis connection restored",
            {{"addr", options_.address},
             {"outage_ms", absl::StrCat(absl::ToInt64Milliseconds(absl::Now() - down_since_))}});
  }
  return absl::OkStatus();
}

// True if the context failed because the server closed the connection (EOF,
// reset, broken pipe), not because a reply timed out: only then is it known
// that the command was not executed.
static bool ClosedByPeer(const redisContext* context) {
  if (context == nullptr) return false;
  if (context->err == REDIS_ERR_EOF) return true;
  return context->err == REDIS_ERR_IO && (errno == ECONNRESET || errno == EPIPE);
}

absl::Status RedisConnection::DropLocked(absl::string_view what) {
  std::string error = absl::StrCat(what, ": ",
                                   context_ != nullptr && context_->err != 0
                                       ? context_->errstr
                                       : "connection closed");
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
  // No reconnect window here: the next call reconnects at once (a server
  // restart or an idle-closed connection usually comes back immediately);
  // if that connect fails, its window applies.
  MarkDownLocked(error);
  return absl::UnavailableError(absl::StrCat("redis at ", options_.address, ": ", error));
}

absl::Status RedisConnection::SetTimeoutLocked(absl::Duration timeout) {
  if (timeout == context_timeout_) return absl::OkStatus();
  if (redisSetTimeout(context_, TimevalOf(timeout)) != REDIS_OK) {
    return DropLocked("set timeout");
  }
  context_timeout_ = timeout;
  return absl::OkStatus();
}

absl::StatusOr<Reply> RedisConnection::Command(const std::vector<std::string>& args,
                                               absl::Duration extra_timeout) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const std::string& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  absl::MutexLock lock(&mu_);
  const absl::string_view name = args.empty() ? absl::string_view("command") : args[0];
  const bool reused = context_ != nullptr;
  if (absl::Status s = EnsureConnectedLocked(); !s.ok()) return s;
  if (absl::Status s = SetTimeoutLocked(options_.command_timeout + extra_timeout); !s.ok()) {
    return s;
  }
  Reply reply(static_cast<redisReply*>(
      redisCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lens.data())));
  if (reply == nullptr && reused && ClosedByPeer(context_)) {
    // A connection kept from before a Redis restart fails on first use. The
    // old server is gone, so the command reached no one: sending it once
    // more on a fresh connection is safe, and spares every caller a failed
    // call (and the status write that would otherwise be lost).
    (void)DropLocked(name);
    if (EnsureConnectedLocked().ok() &&
        SetTimeoutLocked(options_.command_timeout + extra_timeout).ok()) {
      reply.reset(static_cast<redisReply*>(redisCommandArgv(
          context_, static_cast<int>(argv.size()), argv.data(), lens.data())));
    }
  }
  if (reply == nullptr) {
    if (context_ == nullptr) {
      return absl::UnavailableError(
          absl::StrCat("redis at ", options_.address, ": ", name, ": not connected"));
    }
    return DropLocked(name);
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    return StatusFromRedisError(absl::string_view(reply->str, reply->len));
  }
  return reply;
}

absl::StatusOr<std::vector<Reply>> RedisConnection::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  std::vector<std::vector<const char*>> argvs(commands.size());
  std::vector<std::vector<size_t>> lens(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    argvs[i].reserve(commands[i].size());
    lens[i].reserve(commands[i].size());
    for (const std::string& a : commands[i]) {
      argvs[i].push_back(a.data());
      lens[i].push_back(a.size());
    }
  }
  absl::MutexLock lock(&mu_);
  const bool reused = context_ != nullptr;
  if (absl::Status s = EnsureConnectedLocked(); !s.ok()) return s;
  if (absl::Status s = SetTimeoutLocked(options_.command_timeout); !s.ok()) return s;
  // Sends every command, then reads the replies; false when the connection
  // failed before any reply came back (`*replies` is then empty).
  auto send_and_read = [&](std::vector<Reply>* replies) -> bool {
    replies->clear();
    for (size_t i = 0; i < commands.size(); ++i) {
      if (redisAppendCommandArgv(context_, static_cast<int>(argvs[i].size()), argvs[i].data(),
                                 lens[i].data()) != REDIS_OK) {
        return false;
      }
    }
    replies->reserve(commands.size());
    for (size_t i = 0; i < commands.size(); ++i) {
      void* raw = nullptr;
      if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
        if (raw != nullptr) freeReplyObject(raw);
        return false;
      }
      replies->emplace_back(static_cast<redisReply*>(raw));
    }
    return true;
  };
  std::vector<Reply> replies;
  if (send_and_read(&replies)) return replies;
  if (reused && replies.empty() && ClosedByPeer(context_)) {
    // As in Command(): a connection kept from before a Redis restart fails
    // on first use and nothing reached the old server, so the whole pipeline
    // is sent once more on a fresh connection.
    (void)DropLocked("pipeline");
    if (EnsureConnectedLocked().ok() && SetTimeoutLocked(options_.command_timeout).ok() &&
        send_and_read(&replies)) {
      return replies;
    }
    if (context_ == nullptr) {
      return absl::UnavailableError(
          absl::StrCat("redis at ", options_.address, ": pipeline: not connected"));
    }
  }
  return DropLocked("pipeline");
}

}  // namespace internal
}  // namespace redis
}  // namespace vnarchive
