#include "common/service/document_stage.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"

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

// One line per document and stage: what lets an operator follow a trace id
// through the pipeline (docs/operations.md).
void LogDocumentOutcome(absl::string_view reached, const absl::Status& result,
                        absl::Duration elapsed) {
  LogFields fields = {{"ms", absl::StrCat(absl::ToInt64Milliseconds(elapsed))}};
  if (result.ok()) {
    fields.emplace_back("reached", std::string(reached));
    LogInfo("document done", fields);
  } else {
    // Info, not warning: the worker logs the failure as a warning itself
    // (without the trace id, which this line adds).
    fields.emplace_back("error", std::string(result.message()));
    LogInfo("document failed", fields);
  }
}

// A document that passed the stage's transform, waiting for the batch's
// status write and publish.
struct Transformed {
  size_t position = 0;  // in the batch
  std::string doc_id;
  std::string trace_id;
  absl::Time start;
  queue::Queue::Message message;
};

// Decodes and transforms one entry; on success appends it to `done`.
absl::Status TransformOne(const DocumentStageOptions& options, const DocumentTransform& transform,
                          const queue::Entry& entry, size_t position,
                          std::vector<Transformed>* done) {
  const absl::Time start = absl::Now();
  absl::StatusOr<v1::PipelineMessage> message = DecodePipelineEntry(entry);
  if (!message.ok()) {
    LogWarning("undecodable stream entry",
               {{"entry", entry.entry_id}, {"doc_id", entry.key},
                {"error", std::string(message.status().message())}});
    return message.status();
  }
  // Every line logged while this document is handled, here or in the
  // stage's own code, names it and its trace.
  v1::Document& document = *message->mutable_document();
  const ScopedLogFields scope({{"doc_id", document.doc_id()}, {"trace_id", document.trace_id()}});
  absl::Status result = transform(document);
  Transformed t;
  if (result.ok() && !message->SerializeToString(&t.message.payload)) {
    result = absl::InternalError(absl::StrCat("cannot serialize document ", document.doc_id()));
  }
  if (!result.ok()) {
    LogDocumentOutcome(options.stage_status, result, absl::Now() - start);
    return result;
  }
  t.position = position;
  t.doc_id = document.doc_id();
  t.trace_id = document.trace_id();
  t.start = start;
  t.message.key = t.doc_id;
  done->push_back(std::move(t));
  return absl::OkStatus();
}

}  // namespace

DocumentIds PeekDocumentIds(absl::string_view payload) {
  DocumentIds ids;
  // Reads PipelineMessage.document (field 1) and in it doc_id (1) and
  // trace_id (20) without copying the text: the worker may peek at large
  // documents only to log about them.
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream outer(reinterpret_cast<const uint8_t*>(payload.data()),
                                               static_cast<int>(payload.size()));
  while (uint32_t tag = outer.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) != 1 ||
        WireFormatLite::GetTagWireType(tag) != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::SkipField(&outer, tag)) return ids;
      continue;
    }
    uint32_t length = 0;
    if (!outer.ReadVarint32(&length)) return ids;
    const auto limit = outer.PushLimit(static_cast<int>(length));
    while (uint32_t inner = outer.ReadTag()) {
      const int field = WireFormatLite::GetTagFieldNumber(inner);
      if ((field == 1 || field == 20) &&
          WireFormatLite::GetTagWireType(inner) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
        std::string value;
        if (!WireFormatLite::ReadString(&outer, &value)) return ids;
        (field == 1 ? ids.doc_id : ids.trace_id) = std::move(value);
      } else if (!WireFormatLite::SkipField(&outer, inner)) {
        return ids;
      }
    }
    outer.PopLimit(limit);
  }
  return ids;
}

queue::StageWorker::BatchHandler WithDocumentLog(std::string reached,
                                                 queue::StageWorker::BatchHandler handler) {
  return [reached = std::move(reached),
          handler = std::move(handler)](const std::vector<queue::Entry>& batch) {
    const absl::Time start = absl::Now();
    std::vector<absl::Status> results = handler(batch);
    const absl::Duration elapsed = absl::Now() - start;
    for (size_t i = 0; i < batch.size() && i < results.size(); ++i) {
      const DocumentIds ids = PeekDocumentIds(batch[i].payload);
      const ScopedLogFields scope(
          {{"doc_id", ids.doc_id.empty() ? batch[i].key : ids.doc_id}, {"trace_id", ids.trace_id}});
      LogDocumentOutcome(reached, results[i], elapsed);
    }
    return results;
  };
}

queue::StageWorker::BatchHandler MakeDocumentStageHandler(queue::Queue* out,
                                                          queue::StatusStore* status,
                                                          DocumentStageOptions options,
                                                          DocumentTransform transform) {
  return [out, status, options = std::move(options),
          transform = std::move(transform)](const std::vector<queue::Entry>& batch) {
    std::vector<absl::Status> results(batch.size());
    std::vector<Transformed> done;
    done.reserve(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      results[i] = TransformOne(options, transform, batch[i], i, &done);
    }
    if (done.empty()) return results;
    // The batch's statuses in one round trip, then its entries in one: a
    // document never reaches the next stream before its status says it got
    // there. If either write fails, every document of the batch fails and
    // is redelivered (a repeated status or entry is harmless downstream).
    std::vector<std::string> doc_ids;
    std::vector<queue::Queue::Message> messages;
    doc_ids.reserve(done.size());
    messages.reserve(done.size());
    for (Transformed& t : done) {
      doc_ids.push_back(t.doc_id);
      messages.push_back(std::move(t.message));
    }
    queue::DocStatus reached;
    reached.stage = options.stage_status;
    absl::Status written = status->SetMany(doc_ids, reached);
    if (written.ok()) written = out->PublishMany(options.output_stream, messages).status();
    const absl::Time now = absl::Now();
    for (const Transformed& t : done) {
      results[t.position] = written;
      const ScopedLogFields scope({{"doc_id", t.doc_id}, {"trace_id", t.trace_id}});
      LogDocumentOutcome(options.stage_status, written, now - t.start);
    }
    return results;
  };
}

std::function<void(const queue::Entry&, const queue::DeadLetterInfo&)> MarkFailedOnDeadLetter(
    queue::StatusStore* status) {
  return [status](const queue::Entry& entry, const queue::DeadLetterInfo& info) {
    const DocumentIds ids = PeekDocumentIds(entry.payload);
    const ScopedLogFields scope(
        {{"doc_id", ids.doc_id.empty() ? entry.key : ids.doc_id}, {"trace_id", ids.trace_id}});
    LogWarning("document dead-lettered",
               {{"stage", info.stage}, {"attempts", absl::StrCat(info.attempts)},
                {"error", info.error}});
    queue::DocStatus failed;
    failed.stage = queue::kStageFailed;
    failed.error = absl::StrCat(info.stage, ": ", info.error);
    const absl::Status written = status->Set(entry.key, failed);
    if (!written.ok()) {
      LogWarning("cannot record failed status", {{"error", std::string(written.message())}});
    }
  };
}

}  // namespace vnarchive
