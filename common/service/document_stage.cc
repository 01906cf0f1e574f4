#include "common/service/document_stage.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"

namespace vnarchive {

absl::StatusOr<v1::PipelineMessage> DecodePipelineEntry(const queue::Entry& entry) {
  v1::PipelineMessage message;
  if (!message.ParseFromString(entry.payload)) {
    return absl::InvalidArgumentError(
        absl::StrCat("entry ", entry.entry_id, " (id ", entry.key, ") is not a PipelineMessage"));
  }
  if (message.document().doc_id().empty()) {
    return absl::InvalidArgumentError(absl::StrCat("entry ", entry.entry_id, " has no doc_id"));
  }
  return message;
}

namespace {

absl::Status HandleOne(queue::Queue* out, queue::StatusStore* status,
                       const DocumentStageOptions& options, const DocumentTransform& transform,
                       const queue::Entry& entry) {
  VNA_ASSIGN_OR_RETURN(v1::PipelineMessage message, DecodePipelineEntry(entry));
  v1::Document& document = *message.mutable_document();
  VNA_RETURN_IF_ERROR(transform(document));
  queue::DocStatus doc_status;
  doc_status.stage = options.stage_status;
  VNA_RETURN_IF_ERROR(status->Set(document.doc_id(), doc_status));
  std::string payload;
  if (!message.SerializeToString(&payload)) {
    return absl::InternalError(absl::StrCat("cannot serialize document ", document.doc_id()));
  }
  return out->Publish(options.output_stream, document.doc_id(), payload).status();
}

}  // namespace

queue::StageWorker::BatchHandler MakeDocumentStageHandler(queue::Queue* out,
                                                          queue::StatusStore* status,
                                             DocumentStageOptions options,
                                             DocumentTransform transform) {
  return [out, status, options = std::move(options),
          transform = std::move(transform)](const std::vector<queue::Entry>& batch) {
    std::vector<absl::Status> results;
    results.reserve(batch.size());
    for (const queue::Entry& entry : batch) {
      results.push_back(HandleOne(out, status, options, transform, entry));
    }
    return results;
  };
}

std::function<void(const queue::Entry&, const queue::DeadLetterInfo&)> MarkFailedOnDeadLetter(
    queue::StatusStore* status) {
  return [status](const queue::Entry& entry, const queue::DeadLetterInfo& info) {
    queue::DocStatus failed;
    failed.stage = queue::kStageFailed;
    failed.error = absl::StrCat(info.stage, ": ", info.error);
    const absl::Status written = status->Set(entry.key, failed);
    if (!written.ok()) {
      LogWarning("cannot record failed status",
                 {{"doc_id", entry.key}, {"error", std::string(written.message())}});
    }
  };
}

}  // namespace vnarchive
