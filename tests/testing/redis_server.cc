#include "tests/testing/redis_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace vnarchive {
namespace testutil {
namespace {

constexpr char kSocketName[] = "redis.sock";

std::string FindRedisServer() {
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    for (absl::string_view dir : absl::StrSplit(path, ':', absl::SkipEmpty())) {
      std::string candidate = absl::StrCat(dir, "/redis-server");
      if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
  }
  if (access("/usr/bin/redis-server", X_OK) == 0) return "/usr/bin/redis-server";
  return "";
}

// The lowest port of the kernel's ephemeral range (outgoing connections).
int EphemeralLow() {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  if (range >> low && low > 11000) return low;
  return 32768;
}

// True when a socket could bind 127.0.0.1:port right now.
bool CanBind(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return bound;
}

// Returns a TCP port on 127.0.0.1 that was free a moment ago, from below the
// ephemeral range: a port inside it (the kernel's choice for port 0) can be
// taken by any client's outgoing connection before redis-server binds it, or
// while a test restarts the server on the same port.
absl::StatusOr<int> FreeLoopbackPort() {
  static std::atomic<uint64_t> sequence{0};
  const int low = 10000;
  const int span = EphemeralLow() - low;
  uint64_t state = (static_cast<uint64_t>(getpid()) << 20) ^ sequence.fetch_add(1) ^
                   static_cast<uint64_t>(absl::ToUnixNanos(absl::Now()));
  for (int attempt = 0; attempt < 200; ++attempt) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const int port = low + static_cast<int>((state >> 33) % static_cast<uint64_t>(span));
    if (CanBind(port)) return port;
  }
  return absl::InternalError("no free 127.0.0.1 port below the ephemeral range in 200 tries");
}

}  // namespace

TestRedisServer::TestRedisServer(TestRedisServerOptions options, std::string binary,
                                 std::string dir)
    : options_(options), binary_(std::move(binary)), dir_(std::move(dir)) {}

absl::StatusOr<std::unique_ptr<TestRedisServer>> TestRedisServer::Start(
    const TestRedisServerOptions& options) {
  std::string binary = FindRedisServer();
  if (binary.empty()) {
    return absl::NotFoundError(
        "redis-server not found in PATH nor at /usr/bin/redis-server; integration tests need "
        "it: apt-get install redis-server");
  }
  const char* tmp = std::getenv("TMPDIR");
  // Short base path: a unix socket path must fit in 108 bytes.
  std::string tmpl = absl::StrCat(tmp != nullptr && std::strlen(tmp) < 60 ? tmp : "/tmp",
                                  "/vna-redis-XXXXXX");
  if (mkdtemp(tmpl.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", tmpl, ": ", std::strerror(errno)));
  }
  std::unique_ptr<TestRedisServer> server(new TestRedisServer(options, binary, tmpl));
  if (options.unix_socket) {
    server->address_ = absl::StrCat("unix:", server->dir_, "/", kSocketName);
  } else {
    absl::StatusOr<int> port = FreeLoopbackPort();
    if (!port.ok()) return port.status();
    server->port_ = *port;
    server->address_ = absl::StrCat("127.0.0.1:", *port);
  }
  if (absl::Status s = server->Launch(); !s.ok()) return s;
  return server;
}

TestRedisServer::~TestRedisServer() {
  Stop().IgnoreError();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

absl::Status TestRedisServer::Launch() {
  std::vector<std::string> args = {binary_,
                                   "--daemonize", "no",
                                   "--dir", dir_,
                                   "--logfile", absl::StrCat(dir_, "/redis.log"),
                                   "--save", "",
                                   "--appendonly", options_.appendonly ? "yes" : "no"};
  if (options_.unix_socket) {
    args.insert(args.end(), {"--port", "0", "--unixsocket", absl::StrCat(dir_, "/", kSocketName),
                             "--unixsocketperm", "700"});
  } else {
    args.insert(args.end(), {"--port", absl::StrCat(port_), "--bind", "127.0.0.1"});
  }
  // Everything the child needs is prepared before fork: after fork only
  // async-signal-safe calls are allowed (the test may have threads).
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  if (pid == 0) {
    // Do not outlive a crashed test binary.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    const int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, STDIN_FILENO);
      dup2(devnull, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  pid_ = pid;
  const absl::Time deadline = absl::Now() + options_.start_timeout;
  while (absl::Now() < deadline) {
    if (Ping().ok()) return absl::OkStatus();
    int wstatus = 0;
    if (waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::InternalError(absl::StrCat("redis-server exited during start-up (status ",
                                              wstatus, "); log tail:\n", LogTail()));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  Kill().IgnoreError();
  return absl::DeadlineExceededError(
      absl::StrCat("redis-server did not answer PING at ", address_, " within ",
                   absl::FormatDuration(options_.start_timeout), "; log tail:\n", LogTail()));
}

bool TestRedisServer::WaitForExit(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    int wstatus = 0;
    const pid_t r = waitpid(pid_, &wstatus, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
      pid_ = -1;
      return true;
    }
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
}

absl::Status TestRedisServer::Stop() {
  if (pid_ <= 0) return absl::OkStatus();
  kill(pid_, SIGTERM);
  if (WaitForExit(absl::Seconds(10))) return absl::OkStatus();
  Kill().IgnoreError();
  return absl::InternalError("redis-server ignored SIGTERM for 10s; killed it");
}

absl::Status TestRedisServer::Kill() {
  if (pid_ <= 0) return absl::OkStatus();
  kill(pid_, SIGKILL);
  if (WaitForExit(absl::Seconds(10))) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("redis-server pid ", pid_, " survived SIGKILL"));
}

absl::Status TestRedisServer::Restart() {
  if (absl::Status s = Stop(); !s.ok()) return s;
  return Launch();
}

absl::Status TestRedisServer::Ping() const {
  int fd = -1;
  if (options_.unix_socket) {
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    const std::string path = absl::StrCat(dir_, "/", kSocketName);
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      close(fd);
      fd = -1;
    }
  } else {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      close(fd);
      fd = -1;
    }
  }
  if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot connect to ", address_));
  timeval tv = {1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  constexpr char kPing[] = "PING\r\n";
  char buf[64] = {};
  const bool sent = send(fd, kPing, sizeof(kPing) - 1, MSG_NOSIGNAL) ==
                    static_cast<ssize_t>(sizeof(kPing) - 1);
  const ssize_t n = sent ? recv(fd, buf, sizeof(buf) - 1, 0) : -1;
  close(fd);
  if (n >= 5 && std::strncmp(buf, "+PONG", 5) == 0) return absl::OkStatus();
  // e.g. "-LOADING" while the AOF is replayed.
  return absl::UnavailableError(absl::StrCat("no PONG from ", address_, ": ",
                                             n > 0 ? std::string(buf, n) : "no answer"));
}

std::string TestRedisServer::LogTail() const {
  std::ifstream in(absl::StrCat(dir_, "/redis.log"));
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string log = ss.str();
  return log.size() > 2000 ? log.substr(log.size() - 2000) : log;
}

}  // namespace testutil
}  // namespace vnarchive
