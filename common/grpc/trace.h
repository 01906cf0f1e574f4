// Trace ids: one id per document's trip through the pipeline, so its log
// lines can be found in every service (docs/operations.md). A caller may
// send its own in the `x-trace-id` metadata, or a W3C `traceparent`; else
// the server makes one. The server interceptor (call_interceptor.h) settles
// the id when a call arrives, puts it into the call's client metadata (so
// TraceIdForCall sees it) and echoes it in the response headers.
//
//   // in a handler:
//   document.set_trace_id(vnarchive::TraceIdForCall(*context));
#ifndef VNARCHIVE_COMMON_GRPC_TRACE_H_
#define VNARCHIVE_COMMON_GRPC_TRACE_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/string_ref.h>

#include <map>
#include <string>

#include "absl/strings/string_view.h"

namespace vnarchive {

// Metadata keys (lower case, as gRPC requires).
inline constexpr char kTraceIdKey[] = "x-trace-id";
inline constexpr char kTraceparentKey[] = "traceparent";

// Returns a new random trace id: 32 lower-case hex digits (the W3C trace-id
// form, so it can be handed to a tracing system as is).
std::string NewTraceId();

// True for 1 to 64 characters from [0-9A-Za-z._-]: what a caller may choose
// and what can go into a log line unescaped.
bool IsValidTraceId(absl::string_view id);

// Returns the trace-id part of a W3C traceparent header
// ("00-<32 hex>-<16 hex>-<2 hex>"), lower-cased, or "" when `header` is not
// one or its trace-id is all zeros.
std::string TraceIdFromTraceparent(absl::string_view header);

// Returns the caller's trace id from `metadata`: a valid x-trace-id, else
// the trace id of a valid traceparent, else "".
std::string TraceIdFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata);

// Returns the call's trace id: the one the server interceptor settled (the
// caller's, or a new one); on a server without the interceptor, the caller's
// or a new id per call to this function.
std::string TraceIdForCall(const grpc::ServerContextBase& context);

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_GRPC_TRACE_H_
