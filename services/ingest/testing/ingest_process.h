// IngestProcess: the real vnarchive-ingest binary as a child process, for the
// load generator and integration tests: started with the flags given, its
// JSON log written to a file, its port read from the "listening" log line,
// stopped with SIGTERM (SIGKILL if it lingers).
//
//   IngestProcessOptions options;
//   options.binary = VNA_INGEST_BINARY;
//   options.flags = {"--redis=" + redis->address(), "--high_water=500"};
//   VNA_ASSIGN_OR_RETURN(auto ingest, IngestProcess::Start(options));
//   auto channel = grpc::CreateChannel(ingest->address(), grpc::InsecureChannelCredentials());
#ifndef VNARCHIVE_SERVICES_INGEST_TESTING_INGEST_PROCESS_H_
#define VNARCHIVE_SERVICES_INGEST_TESTING_INGEST_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace vnarchive {
namespace ingest {

struct IngestProcessOptions {
  // Path of the vnarchive-ingest binary. Required.
  std::string binary;
  // Flags after the binary; "--listen=127.0.0.1:0" comes first and may be
  // overridden. Default: none.
  std::vector<std::string> flags;
  // Where the child's stderr (its log) goes. Required.
  std::string log_path;
  // How long Start waits for the "listening" log line. Default 15 s.
  absl::Duration start_timeout = absl::Seconds(15);
};

// Thread safety: not thread-safe. Not copyable or movable.
class IngestProcess {
 public:
  // Starts the binary and waits until it logs the port it listens on.
  // Internal if it cannot be started, exits, or does not listen in time (with
  // the tail of its log).
  static absl::StatusOr<std::unique_ptr<IngestProcess>> Start(IngestProcessOptions options);
  // Stops the process (see Stop).
  ~IngestProcess();
  IngestProcess(const IngestProcess&) = delete;
  IngestProcess& operator=(const IngestProcess&) = delete;

  // "127.0.0.1:<port>".
  const std::string& address() const { return address_; }
  // SIGTERM, then SIGKILL after 15 s; waits for the exit. OK when it exited
  // with status 0 (or was not running); Internal otherwise.
  absl::Status Stop();
  // The last `bytes` of the log.
  std::string LogTail(size_t bytes = 2000) const;

 private:
  explicit IngestProcess(IngestProcessOptions options) : options_(std::move(options)) {}

  const IngestProcessOptions options_;
  pid_t pid_ = -1;
  std::string address_;
};

}  // namespace ingest
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_INGEST_TESTING_INGEST_PROCESS_H_
