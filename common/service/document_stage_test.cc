#include "common/service/document_stage.h"

#include <string>

#include "common/base/status_matchers.h"
#include "common/queue/memory_queue.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace {

using ::testing::Field;
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

}  // namespace
}  // namespace vnarchive
