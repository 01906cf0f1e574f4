#include "services/ingest/client/bulk_ingest.h"

#include <algorithm>
#include <optional>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/grpc/status.h"

namespace vnarchive {
namespace ingest {

absl::StatusOr<BulkIngestReport> BulkIngest(v1::IngestService::Stub& stub,
                                            const std::vector<v1::IngestRequest>& requests,
                                            const BulkIngestOptions& options) {
  BulkIngestReport report;
  report.responses.reserve(requests.size());
  absl::Duration backoff = options.initial_backoff;
  absl::Time last_progress = absl::Now();
  while (report.responses.size() < requests.size()) {
    const size_t first = report.responses.size();
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReaderWriter<v1::IngestRequest, v1::IngestResponse>> stream =
        stub.IngestStream(&context);
    ++report.streams;
    std::thread writer([&] {
      for (size_t i = first; i < requests.size(); ++i) {
        // Fails once the service has ended the call: then stop.
        if (!stream->Write(requests[i])) break;
      }
      stream->WritesDone();
    });
    v1::IngestResponse response;
    while (report.responses.size() < requests.size() && stream->Read(&response)) {
      if (options.on_answer) options.on_answer(report.responses.size(), response);
      report.responses.push_back(std::move(response));
      response.Clear();
    }
    writer.join();
    const grpc::Status status = stream->Finish();
    if (report.responses.size() == requests.size()) break;
    if (report.responses.size() > first) {
      last_progress = absl::Now();
      backoff = options.initial_backoff;
    }
    absl::Duration wait;
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      ++report.busy;
      wait = RetryAfter(context).value_or(options.initial_backoff);
    } else if (status.error_code() == grpc::StatusCode::UNAVAILABLE || status.ok()) {
      // OK with answers missing cannot come from a well-behaved service;
      // treat it like a service that went away.
      ++report.unavailable;
      wait = backoff;
      backoff = std::min(backoff * 2, options.max_backoff);
    } else {
      return FromGrpcStatus(status);
    }
    if (absl::Now() + wait - last_progress > options.give_up_after) {
      return absl::DeadlineExceededError(absl::StrCat(
          "no document was answered for ", absl::FormatDuration(options.give_up_after),
          "; last status: ", status.error_message()));
    }
    absl::SleepFor(wait);
  }
  return report;
}

}  // namespace ingest
}  // namespace vnarchive
