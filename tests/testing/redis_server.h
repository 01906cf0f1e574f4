// TestRedisServer: a real, private `redis-server` child process for
// integration tests (STYLE: "the real redis-server for integration tests").
// Each server lives in a fresh temporary directory and listens either on a
// unix socket there (no port races) or on a free 127.0.0.1 TCP port; it can
// be stopped, killed and restarted on the same directory and address, e.g.
// to check that an append-only-file server keeps the streams.
//
//   TestRedisServerOptions options;
//   options.appendonly = true;
//   absl::StatusOr<std::unique_ptr<TestRedisServer>> server = TestRedisServer::Start(options);
//   ASSERT_TRUE(server.ok()) << server.status();   // fails (not skips) without redis-server
//   redis::RedisOptions redis_options;
//   redis_options.address = (*server)->address();  // "unix:/tmp/vna-redis-XXXX/redis.sock"
//   ...
//   ASSERT_TRUE((*server)->Restart().ok());
//
// No hiredis here: readiness is checked with a raw inline PING.
// (Namespace vnarchive::testutil, not ::testing: that would shadow gtest's
// ::testing inside namespace vnarchive.)
#ifndef VNARCHIVE_TESTS_TESTING_REDIS_SERVER_H_
#define VNARCHIVE_TESTS_TESTING_REDIS_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace vnarchive {
namespace testutil {

struct TestRedisServerOptions {
  // Listen on DIR/redis.sock (true) or on a free 127.0.0.1 TCP port (false).
  // Default true.
  bool unix_socket = true;
  // Run with `appendonly yes` so data survives Stop()/Restart(). Default false
  // (and RDB snapshots are always off: `save ""`).
  bool appendonly = false;
  // How long Start()/Restart() wait for the server to answer PING. Default 10s.
  absl::Duration start_timeout = absl::Seconds(10);
};

// Thread safety: not thread-safe; drive one instance from one thread (the
// server it runs may of course be used from any number of threads).
// Not copyable or movable.
class TestRedisServer {
 public:
  // Starts redis-server (found in PATH, else /usr/bin/redis-server) in a new
  // temporary directory and waits until it answers PING. Returns NotFound if
  // redis-server is not installed (with how to install it), Internal if the
  // directory or port cannot be set up, DeadlineExceeded (with the tail of
  // the server log) if it does not answer within start_timeout.
  static absl::StatusOr<std::unique_ptr<TestRedisServer>> Start(
      const TestRedisServerOptions& options = {});

  // Stops the server (SIGTERM, SIGKILL if it lingers) and removes the directory.
  ~TestRedisServer();
  TestRedisServer(const TestRedisServer&) = delete;
  TestRedisServer& operator=(const TestRedisServer&) = delete;

  // The address in RedisOptions format: "unix:/path/redis.sock" or
  // "127.0.0.1:port". Stable across Restart().
  const std::string& address() const { return address_; }
  // The server's directory (log file "redis.log", AOF files).
  const std::string& dir() const { return dir_; }
  // Whether the child process is running (as far as this object knows).
  bool running() const { return pid_ > 0; }

  // Shuts the server down cleanly (SIGTERM: the AOF is flushed) and reaps it.
  // OK if it was not running; Internal if it had to be SIGKILLed.
  absl::Status Stop();
  // Kills the server with SIGKILL (a crash: unsynced data may be lost) and
  // reaps it. OK if it was not running.
  absl::Status Kill();
  // Stops the server if running, then starts it again with the same
  // directory and address and waits for PING. Errors as for Start().
  absl::Status Restart();
  // OK if the server answers an inline PING with +PONG within 1s; Unavailable otherwise.
  absl::Status Ping() const;

 private:
  TestRedisServer(TestRedisServerOptions options, std::string binary, std::string dir);

  absl::Status Launch();
  // Waits up to `timeout` for the child to exit; returns true if it was reaped.
  bool WaitForExit(absl::Duration timeout);
  std::string LogTail() const;

  const TestRedisServerOptions options_;
  const std::string binary_;
  const std::string dir_;
  std::string address_;
  int port_ = 0;  // TCP only, chosen once
  pid_t pid_ = -1;
};

}  // namespace testutil
}  // namespace vnarchive

#endif  // VNARCHIVE_TESTS_TESTING_REDIS_SERVER_H_
