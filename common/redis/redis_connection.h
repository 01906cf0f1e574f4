// The one place where hiredis errors become absl::Status (STYLE: each foreign
// error model converts in one place), and the connection policy shared by
// RedisQueue and RedisStatusStore:
//
//  * RedisOptions and ParseRedisAddress() ("host:port", "unix:/path", "/path");
//  * internal::RedisConnection: one lazily (re)connected hiredis context
//    guarded by a mutex, with a reconnect back-off window and one log line
//    per outage (warning) and per recovery (info).
//
//   RedisOptions options;
//   options.address = "unix:/run/redis/redis.sock";
//   VNA_ASSIGN_OR_RETURN(auto conn, internal::RedisConnection::Create(options));
//   VNA_ASSIGN_OR_RETURN(internal::Reply reply, conn->Command({"PING"}));
//
// Most code wants RedisQueue / RedisStatusStore (redis_queue.h), not this.
#ifndef VNARCHIVE_COMMON_REDIS_REDIS_CONNECTION_H_
#define VNARCHIVE_COMMON_REDIS_REDIS_CONNECTION_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct redisContext;
struct redisReply;

namespace vnarchive {
namespace redis {

struct RedisOptions {
  // Where Redis listens: "host:port" (TCP), or "unix:/path/to/sock" or a bare
  // path starting with '/' (unix socket). Default "127.0.0.1:6379".
  std::string address = "127.0.0.1:6379";
  // Sent with AUTH after every connect when non-empty. Default: none.
  std::string password;
  // Bound on establishing a connection. Default 1s.
  absl::Duration connect_timeout = absl::Seconds(1);
  // Bound on one command's round trip; a blocking read gets `block` on top,
  // because hiredis kills the context when a read outlives it. Default 5s.
  absl::Duration command_timeout = absl::Seconds(5);
  // Prefix of the keys RedisStatusStore writes ("<prefix>status:<doc_id>").
  // Queue stream names are full keys given by the caller. Default "vna:".
  std::string key_prefix = "vna:";
  // After a failed connect, calls fail fast with Unavailable for this long,
  // doubling per failure up to the max, so a dead Redis is not hammered.
  // Defaults 100ms and 5s.
  absl::Duration reconnect_backoff_initial = absl::Milliseconds(100);
  absl::Duration reconnect_backoff_max = absl::Seconds(5);
};

struct RedisAddress {
  bool unix_socket = false;
  std::string path;  // unix_socket only
  std::string host;  // TCP only
  int port = 0;      // TCP only
};

// Returns the parsed address, or InvalidArgument naming the bad address.
absl::StatusOr<RedisAddress> ParseRedisAddress(absl::string_view address);

namespace internal {

struct ReplyDeleter {
  void operator()(redisReply* reply) const;
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

// Maps a Redis error reply's message to a Status: NOGROUP → NotFound,
// BUSYGROUP → AlreadyExists, LOADING/MASTERDOWN/TRYAGAIN (a server that will
// answer soon, e.g. replaying its AOF after a restart) → Unavailable,
// anything else → Internal with the message.
absl::Status StatusFromRedisError(absl::string_view message);

// Thread safety: thread-safe; one mutex serializes commands on the single
// context, so a blocking command holds every other caller up for its
// duration. Not copyable or movable.
class RedisConnection {
 public:
  // Returns a connection that will connect on first use (never fails because
  // Redis is down), or InvalidArgument for a malformed address or options.
  // Side effect: sets SIGPIPE to SIG_IGN if it still has the default action,
  // because hiredis writes with write(2) and a closed peer must not kill the
  // process.
  static absl::StatusOr<std::unique_ptr<RedisConnection>> Create(const RedisOptions& options);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Runs one command (binary-safe arguments). `extra_timeout` is added to
  // command_timeout for commands that block server-side. Returns the reply
  // (never an error reply); the mapped Status for an error reply (see
  // StatusFromRedisError); Unavailable when Redis cannot be reached, inside
  // the reconnect window, or on an I/O error or timeout (the command may or
  // may not have run then).
  absl::StatusOr<Reply> Command(const std::vector<std::string>& args,
                                absl::Duration extra_timeout = absl::ZeroDuration());

  // Sends several commands in one round trip and returns their replies in
  // order; error replies are returned as replies (check each). Unavailable
  // as for Command(); as there, a pipeline that finds a connection kept from
  // before a Redis restart closed is sent once more on a fresh one.
  absl::StatusOr<std::vector<Reply>> Pipeline(const std::vector<std::vector<std::string>>& commands);

  const RedisOptions& options() const { return options_; }

 private:
  RedisConnection(const RedisOptions& options, RedisAddress address);

  absl::Status EnsureConnectedLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Frees the context after an I/O error; returns Unavailable describing it.
  absl::Status DropLocked(absl::string_view what) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Logs the start of an outage once.
  void MarkDownLocked(absl::string_view error) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status SetTimeoutLocked(absl::Duration timeout) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const RedisOptions options_;
  const RedisAddress address_;

  absl::Mutex mu_;
  redisContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;
  absl::Duration context_timeout_ ABSL_GUARDED_BY(mu_);  // last timeout set on context_
  absl::Time retry_after_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Duration backoff_ ABSL_GUARDED_BY(mu_);
  bool down_ ABSL_GUARDED_BY(mu_) = false;  // an outage was logged, recovery not yet
  absl::Time down_since_ ABSL_GUARDED_BY(mu_);
  std::string last_error_ ABSL_GUARDED_BY(mu_);
};

}  // namespace internal
}  // namespace redis
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_REDIS_REDIS_CONNECTION_H_
