#include "common/service/document_stage.h"


#include <optional>
#include <string>
#include <vector>

#include "common/base/log.h"
#include "common/base/status_matchers.h"
#include "common/queue/memory_queue.h"
#include "gtest/gtest.h"
#include "tests/testing/stderr_capture.h"

namespace vnarchive {
namespace {

using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::SizeIs;

queue::Entry EntryFor(const std::string& doc_id, const std::string& text) {
  v1::PipelineMessage message;
  message.mutable_document()->set_doc_id(doc_id);
  message.mutable_document()->set_text(text);
  queue::Entry entry;
  entry.entry_id = "1-0";
  entry.key = doc_id;
  entry.version = queue::kSchemaVersion;
  message.SerializeToString(&entry.payload);
  return entry;
}

TEST(DocumentStageTest, TransformErrorLeavesNothingPublishedAndNoStatus) {
  queue::MemoryQueue out;
  queue::MemoryStatusStore status;
  auto handler = MakeDocumentStageHandler(
      &out, &status, {queue::kStageNormalized, "t:normalized"},
      [](v1::Document&) { return absl::InvalidArgumentError("invalid UTF-8 at byte 3"); });
  const auto results = handler({EntryFor("d1", "abc")});
  ASSERT_THAT(results, SizeIs(1));
  EXPECT_THAT(results[0], StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(out.Range("t:normalized"), SizeIs(0));
  EXPECT_THAT(status.Get("d1"), IsOkAndHolds(::testing::Not(Optional(::testing::_))));
}

TEST(DocumentStageTest, EntryWithoutDocIdIsInvalidArgument) {
  queue::MemoryQueue out;
  queue::MemoryStatusStore status;
  auto handler = MakeDocumentStageHandler(&out, &status, {queue::kStageNormalized, "t:n"},
                                          [](v1::Document&) { return absl::OkStatus(); });
  EXPECT_THAT(handler({EntryFor("", "abc")})[0], StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(DocumentStageTest, PublishesTheChangedDocumentAndRecordsTheStage) {
  queue::MemoryQueue out;
  queue::MemoryStatusStore status;
  auto handler = MakeDocumentStageHandler(&out, &status, {queue::kStageNormalized, "t:n"},
                                          [](v1::Document& document) {
                                            document.set_text(document.text() + " (đã xử lý)");
                                            return absl::OkStatus();
                                          });
  EXPECT_THAT(handler({EntryFor("d2", "Hội nghị")})[0], IsOk());
  const auto records = out.Range("t:n");
  ASSERT_THAT(records, SizeIs(1));
  EXPECT_EQ(records[0].Field("id"), "d2");
  v1::PipelineMessage message;
  ASSERT_TRUE(message.ParseFromString(records[0].Field("pb").value_or("")));
  EXPECT_EQ(message.document().text(), "Hội nghị (đã xử lý)");
  EXPECT_THAT(status.Get("d2"),
              IsOkAndHolds(Optional(Field(&queue::DocStatus::stage, queue::kStageNormalized))));
}

// A status store that counts batched writes and can be made to fail them.
class CountingStatusStore : public queue::StatusStore {
 public:
  absl::Status Set(absl::string_view doc_id, const queue::DocStatus& status) override {
    ++single_writes;
    return inner.Set(doc_id, status);
  }
  absl::Status SetMany(const std::vector<std::string>& doc_ids,
                       const queue::DocStatus& status) override {
    batches.push_back(doc_ids);
    if (!fail_with.ok()) return fail_with;
    return StatusStore::SetMany(doc_ids, status);
  }
  absl::StatusOr<std::optional<queue::DocStatus>> Get(absl::string_view doc_id) override {
    return inner.Get(doc_id);
  }

  queue::MemoryStatusStore inner;
  std::vector<std::vector<std::string>> batches;
  int single_writes = 0;
  absl::Status fail_with = absl::OkStatus();
};

TEST(DocumentStageTest, ABatchIsWrittenTogetherAndPublishedInOrder) {
  queue::MemoryQueue out;
  CountingStatusStore status;
  auto handler = MakeDocumentStageHandler(&out, &status, {queue::kStageNormalized, "t:n"},
                                          [](v1::Document& document) {
                                            if (document.text() == "bad") {
                                              return absl::InvalidArgumentError("bad text");
                                            }
                                            return absl::OkStatus();
                                          });
  const auto results =
      handler({EntryFor("a", "x"), EntryFor("b", "bad"), EntryFor("c", "y"), EntryFor("d", "z")});
  ASSERT_THAT(results, SizeIs(4));
  EXPECT_THAT(results[0], IsOk());
  EXPECT_THAT(results[1], StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(results[2], IsOk());
  EXPECT_THAT(results[3], IsOk());
  // One batched status write for the three that passed (the default SetMany
  // then writes each through Set).
  ASSERT_THAT(status.batches, SizeIs(1));
  EXPECT_EQ(status.batches[0], (std::vector<std::string>{"a", "c", "d"}));
  EXPECT_EQ(status.single_writes, 3);
  const auto records = out.Range("t:n");
  ASSERT_THAT(records, SizeIs(3));
  EXPECT_EQ(records[0].Field("id"), "a");
  EXPECT_EQ(records[1].Field("id"), "c");
  EXPECT_EQ(records[2].Field("id"), "d");
  EXPECT_THAT(status.Get("b"), IsOkAndHolds(::testing::Not(Optional(::testing::_))));
}

TEST(DocumentStageTest, WhenStatusesCannotBeWrittenNothingIsPublishedAndAllAreRetried) {
  queue::MemoryQueue out;
  CountingStatusStore status;
  status.fail_with = absl::UnavailableError("redis went away");
  auto handler = MakeDocumentStageHandler(&out, &status, {queue::kStageNormalized, "t:n"},
                                          [](v1::Document&) { return absl::OkStatus(); });
  const auto results = handler({EntryFor("a", "x"), EntryFor("b", "y")});
  ASSERT_THAT(results, SizeIs(2));
  EXPECT_THAT(results[0], StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(results[1], StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(out.Range("t:n"), SizeIs(0));
}

TEST(DocumentStageTest, DeadLetterMarksTheDocumentFailedWithStageAndError) {
  queue::MemoryStatusStore status;
  queue::DeadLetterInfo info;
  info.stage = "extract";
  info.error = "delivered 5 times";
  MarkFailedOnDeadLetter(&status)(EntryFor("d3", "x"), info);
  auto stored = status.Get("d3");
  ASSERT_THAT(stored, IsOkAndHolds(Optional(Field(&queue::DocStatus::stage, queue::kStageFailed))));
  EXPECT_EQ((*stored)->error, "extract: delivered 5 times");
}

queue::Entry TracedEntry(const std::string& doc_id, const std::string& trace_id) {
  v1::PipelineMessage message;
  message.mutable_document()->set_doc_id(doc_id);
  message.mutable_document()->set_trace_id(trace_id);
  message.mutable_document()->set_text(std::string(100000, 'x'));
  queue::Entry entry;
  entry.entry_id = "7-0";
  entry.key = doc_id;
  entry.version = queue::kSchemaVersion;
  message.SerializeToString(&entry.payload);
  return entry;
}

TEST(DocumentStageTest, EveryLineAboutADocumentCarriesItsTraceId) {
  queue::MemoryQueue out;
  queue::MemoryStatusStore status;
  auto handler = MakeDocumentStageHandler(&out, &status, {queue::kStageNormalized, "t:n"},
                                          [](v1::Document&) {
                                            LogWarning("the stage's own line");
                                            return absl::OkStatus();
                                          });
  testutil::StderrCapture capture;
  EXPECT_THAT(handler({TracedEntry("d4", "trace-abc")})[0], IsOk());
  LogInfo("after the document");
  const std::string logs = capture.Stop();
  EXPECT_THAT(logs, HasSubstr("\"msg\":\"the stage's own line\",\"doc_id\":\"d4\","
                              "\"trace_id\":\"trace-abc\""));
  EXPECT_THAT(logs, HasSubstr("\"msg\":\"document done\""));
  EXPECT_THAT(logs, HasSubstr("\"reached\":\"normalized\",\"doc_id\":\"d4\","
                              "\"trace_id\":\"trace-abc\"}"));
  // The scope ends with the document.
  EXPECT_THAT(logs, HasSubstr("\"msg\":\"after the document\"}"));
  // The trace id travels on to the next stream.
  v1::PipelineMessage published;
  ASSERT_TRUE(published.ParseFromString(out.Range("t:n")[0].Field("pb").value_or("")));
  EXPECT_EQ(published.document().trace_id(), "trace-abc");
}

TEST(DocumentStageTest, PeeksIdsWithoutParsingTheText) {
  const DocumentIds ids = PeekDocumentIds(TracedEntry("d5", "t-5").payload);
  EXPECT_EQ(ids.doc_id, "d5");
  EXPECT_EQ(ids.trace_id, "t-5");
  const DocumentIds none = PeekDocumentIds("\x0a\xff garbage");
  EXPECT_EQ(none.trace_id, "");
  EXPECT_EQ(PeekDocumentIds("").doc_id, "");
}

TEST(DocumentStageTest, WholeBatchHandlersGetOneLinePerDocument) {
  auto handler = WithDocumentLog(queue::kStageIndexed, [](const std::vector<queue::Entry>&) {
    return std::vector<absl::Status>{absl::OkStatus(), absl::UnavailableError("disk full")};
  });
  testutil::StderrCapture capture;
  const auto results = handler({TracedEntry("d6", "t-6"), TracedEntry("d7", "t-7")});
  const std::string logs = capture.Stop();
  ASSERT_THAT(results, SizeIs(2));
  EXPECT_THAT(logs, HasSubstr("\"reached\":\"indexed\",\"doc_id\":\"d6\",\"trace_id\":\"t-6\""));
  EXPECT_THAT(logs, HasSubstr("\"msg\":\"document failed\""));
  EXPECT_THAT(logs, HasSubstr("\"error\":\"disk full\",\"doc_id\":\"d7\",\"trace_id\":\"t-7\""));
}

TEST(DocumentStageTest, DeadLetterLineCarriesTheTraceId) {
  queue::MemoryStatusStore status;
  queue::DeadLetterInfo info;
  info.stage = "extract";
  info.error = "boom";
  info.attempts = 5;
  testutil::StderrCapture capture;
  MarkFailedOnDeadLetter(&status)(TracedEntry("d8", "t-8"), info);
  EXPECT_THAT(capture.Stop(), HasSubstr("\"doc_id\":\"d8\",\"trace_id\":\"t-8\""));
}

}  // namespace
}  // namespace vnarchive
