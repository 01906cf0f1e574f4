// What every gRPC server of the suite does around each call, as a server
// interceptor (gRPC's ServerInterceptorFactoryInterface), so services need
// no code of their own for it:
//
//  * trace id: the caller's x-trace-id / traceparent, else a new one, is put
//    into the call's client metadata (TraceIdForCall) and sent back in the
//    response headers as x-trace-id;
//  * metrics: vna_grpc_server_handled_total{method,code},
//    vna_grpc_server_handling_seconds{method,code} (histogram),
//    vna_grpc_server_in_flight, vna_grpc_server_deadline_cancelled_total{method};
//  * access log: one JSON line per finished call (method, code, ms,
//    trace_id, peer; the error message when not OK), health checks excepted;
//  * server-side deadline: a unary call running longer than
//    max_unary_duration (a streaming one: max_stream_duration) is cancelled
//    with DEADLINE_EXCEEDED whatever deadline the client set.
//
//   CallDeadlines deadlines;  // must outlive the server
//   std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> f;
//   f.push_back(MakeCallInterceptorFactory(policy, &deadlines));
//   builder.experimental().SetInterceptorCreators(std::move(f));
#ifndef VNARCHIVE_COMMON_GRPC_CALL_INTERCEPTOR_H_
#define VNARCHIVE_COMMON_GRPC_CALL_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "absl/time/time.h"
#include "common/metrics/metrics.h"

struct grpc_call;

namespace vnarchive {

struct CallPolicy {
  // Where RPC metrics go; null: none. Borrowed: must outlive the server.
  metrics::Registry* metrics = nullptr;
  // Longest a unary / streaming call may run on this server; zero: no
  // limit beyond the client's own deadline. Health checks are exempt.
  absl::Duration max_unary_duration = absl::ZeroDuration();
  absl::Duration max_stream_duration = absl::ZeroDuration();
  // Write one log line per finished call (health checks never are).
  bool access_log = true;
};

// Cancels calls that outlive their server-side limit, from a thread of its
// own. Thread-safe. Not copyable or movable. Must outlive every call
// registered with it (own it beside the grpc::Server, destroyed after it).
class CallDeadlines {
 public:
  using Handle = uint64_t;

  CallDeadlines();
  ~CallDeadlines();
  CallDeadlines(const CallDeadlines&) = delete;
  CallDeadlines& operator=(const CallDeadlines&) = delete;

  // Cancels `call` with DEADLINE_EXCEEDED and `message` at `when`, unless
  // Remove()d before, and then sets *fired. Takes a reference on `call`
  // (released by Remove), so the call stays valid until then.
  Handle Add(absl::Time when, grpc_call* call, std::string message, std::atomic<bool>* fired);
  // Forgets `handle`; after it returns the call is never touched again.
  void Remove(Handle handle);

 private:
  struct Pending {
    absl::Time when;
    grpc_call* call;
    std::string message;
    std::atomic<bool>* fired;
  };
  void Loop();

  std::mutex mu_;
  std::condition_variable changed_;
  bool stop_ = false;
  Handle next_ = 1;
  std::map<Handle, Pending> pending_;
  std::set<std::pair<absl::Time, Handle>> order_;
  std::thread thread_;
};

// Returns the interceptor factory for `policy`; `deadlines` (borrowed) is
// used when a duration limit is set and may be null otherwise.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeCallInterceptorFactory(
    const CallPolicy& policy, CallDeadlines* deadlines);

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_GRPC_CALL_INTERCEPTOR_H_
