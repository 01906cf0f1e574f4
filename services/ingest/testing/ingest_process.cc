#include "services/ingest/testing/ingest_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace vnarchive {
namespace ingest {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The port of the first "listening" log line, or 0.
int ListeningPort(const std::string& log) {
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find("\"msg\":\"listening\"") == std::string::npos) continue;
    const std::string key = "\"port\":\"";
    const size_t at = line.find(key);
    if (at == std::string::npos) continue;
    const size_t end = line.find('"', at + key.size());
    int port = 0;
    if (end != std::string::npos &&
        absl::SimpleAtoi(line.substr(at + key.size(), end - at - key.size()), &port)) {
      return port;
    }
  }
  return 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<IngestProcess>> IngestProcess::Start(IngestProcessOptions options) {
  if (options.binary.empty() || options.log_path.empty()) {
    return absl::InvalidArgumentError("ingest process: binary and log_path are required");
  }
  std::unique_ptr<IngestProcess> process(new IngestProcess(std::move(options)));
  const IngestProcessOptions& o = process->options_;
  // Everything the child needs is built before fork.
  std::vector<std::string> args = {o.binary, "--listen=127.0.0.1:0"};
  args.insert(args.end(), o.flags.begin(), o.flags.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int log_fd = open(o.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return absl::InternalError(
        absl::StrCat("cannot open ", o.log_path, ": ", std::strerror(errno)));
  }
  const pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    dup2(log_fd, STDERR_FILENO);
    const int null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
      dup2(null_fd, STDIN_FILENO);
      dup2(null_fd, STDOUT_FILENO);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(log_fd);
  process->pid_ = pid;

  const absl::Time deadline = absl::Now() + o.start_timeout;
  while (absl::Now() < deadline) {
    const int port = ListeningPort(ReadAll(o.log_path));
    if (port != 0) {
      process->address_ = absl::StrCat("127.0.0.1:", port);
      return process;
    }
    int wstatus = 0;
    if (waitpid(pid, &wstatus, WNOHANG) == pid) {
      process->pid_ = -1;
      return absl::InternalError(absl::StrCat(o.binary, " exited before listening: ",
                                              process->LogTail()));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::InternalError(absl::StrCat(o.binary, " did not listen within ",
                                          absl::FormatDuration(o.start_timeout), ": ",
                                          process->LogTail()));
}

IngestProcess::~IngestProcess() { (void)Stop(); }

absl::Status IngestProcess::Stop() {
  if (pid_ <= 0) return absl::OkStatus();
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + absl::Seconds(15);
  int wstatus = 0;
  while (absl::Now() < deadline) {
    const pid_t r = waitpid(pid_, &wstatus, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) return absl::OkStatus();
      return absl::InternalError(absl::StrCat("ingest exited with status ", wstatus));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &wstatus, 0);
  pid_ = -1;
  return absl::InternalError("ingest ignored SIGTERM for 15s; killed it");
}

std::string IngestProcess::LogTail(size_t bytes) const {
  const std::string log = ReadAll(options_.log_path);
  return log.size() <= bytes ? log : log.substr(log.size() - bytes);
}

}  // namespace ingest
}  // namespace vnarchive
