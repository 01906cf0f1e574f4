// The shared body of a pipeline stage worker: decode the PipelineMessage of
// each stream entry, let the stage change the Document, record the new
// status, and publish the result to the next stream. normalize and extract
// are this plus their core library; search decodes with DecodePipelineEntry
// and commits a whole batch instead.
//
//   queue::StageWorker::BatchHandler handler = MakeDocumentStageHandler(
//       &out_queue, &status_store, {queue::kStageNormalized, streams.normalized},
//       [&](v1::Document& doc) { return NormalizeDocument(normalizer, doc); });
//   auto worker = queue::StageWorker::Create(&in_queue, worker_options, handler);
//
// Service binaries use MakeDocumentStageWorker (service_runner.h), which
// wires this with the common flags and dead-letter status.
#ifndef VNARCHIVE_COMMON_SERVICE_DOCUMENT_STAGE_H_
#define VNARCHIVE_COMMON_SERVICE_DOCUMENT_STAGE_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/queue/queue.h"
#include "common/queue/stage_worker.h"
#include "common/queue/status_store.h"
#include "vnarchive/v1/queue.pb.h"

namespace vnarchive {

// Changes the document in place; an error leaves the entry pending (retried,
// then dead-lettered after --max_deliveries).
using DocumentTransform = std::function<absl::Status(v1::Document& document)>;

struct DocumentStageOptions {
  // Status written once the transform succeeded, e.g. "normalized".
  std::string stage_status;
  // Stream the changed document is appended to.
  std::string output_stream;
};

// Returns the PipelineMessage of `entry`. InvalidArgument when the payload does
// not parse or carries no doc_id (a poison entry: it will be dead-lettered).
absl::StatusOr<v1::PipelineMessage> DecodePipelineEntry(const queue::Entry& entry);

// Returns a handler for StageWorker. `out` and `status` are borrowed and must
// outlive the handler. The batch's statuses are written together (one
// StatusStore::SetMany) before its documents are published together (one
// Queue::PublishMany), so the next stage can never record its status before
// this one; if either write fails, every transformed document of the batch
// fails (and is redelivered). While a document is
// handled, every log line of the thread carries its doc_id and trace_id
// (ScopedLogFields); each document ends with one line, "document done"
// (with "reached": the stage_status) or "document failed", and the time taken.
queue::StageWorker::BatchHandler MakeDocumentStageHandler(queue::Queue* out,
                                                          queue::StatusStore* status,
                                             DocumentStageOptions options,
                                             DocumentTransform transform);

// A document's ids as read from a PipelineMessage payload without parsing
// the rest (the text may be megabytes): empty when absent or malformed.
struct DocumentIds {
  std::string doc_id;
  std::string trace_id;
};
DocumentIds PeekDocumentIds(absl::string_view payload);

// Returns `handler` (a whole-batch handler such as search's index commit)
// wrapped so that each entry of a batch gets the same per-document log line
// as MakeDocumentStageHandler writes ("document done" / "document failed",
// with doc_id and trace_id); `reached` is the status a success means, e.g.
// queue::kStageIndexed.
queue::StageWorker::BatchHandler WithDocumentLog(std::string reached,
                                                 queue::StageWorker::BatchHandler handler);

// Returns an on_dead_letter callback that marks the document failed with the
// stage and error, so GetStatus tells the caller what happened, and logs the
// dead letter with the document's doc_id and trace_id.
std::function<void(const queue::Entry&, const queue::DeadLetterInfo&)> MarkFailedOnDeadLetter(
    queue::StatusStore* status);

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_SERVICE_DOCUMENT_STAGE_H_
