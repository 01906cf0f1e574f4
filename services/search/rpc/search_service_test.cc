#include "services/search/rpc/search_service.h"

#include <string>
#include <vector>

#include "common/base/status_matchers.h"
#include "common/queue/memory_queue.h"
#include "gtest/gtest.h"
#include "vnarchive/v1/queue.pb.h"

namespace vnarchive {
namespace search {
namespace {

queue::Entry EntryFor(const std::string& doc_id, const std::string& text) {
  v1::PipelineMessage message;
  message.mutable_document()->set_doc_id(doc_id);
  message.mutable_document()->set_name(doc_id + ".txt");
  message.mutable_document()->set_text(text);
  v1::Entity* entity = message.mutable_document()->add_entities();
  entity->set_type(v1::DOC_REF);
  entity->set_surface("05-CT/TW");
  entity->set_canonical("05-CT/TW");
  queue::Entry entry;
  entry.entry_id = "1-" + doc_id;
  entry.key = doc_id;
  entry.version = queue::kSchemaVersion;
  // Serialize without UTF-8 checks so a test can carry invalid text, as a
  // buggy producer could.
  message.SerializeToString(&entry.payload);
  return entry;
}

class IndexHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IndexOptions options;
    options.path = ":memory:";
    auto index = SearchIndex::Open(options);
    ASSERT_THAT(index, IsOk());
    index_ = *std::move(index);
    handler_ = MakeIndexHandler(index_.get(), &status_);
  }

  std::unique_ptr<SearchIndex> index_;
  queue::MemoryStatusStore status_;
  queue::StageWorker::BatchHandler handler_;
};

TEST_F(IndexHandlerTest, UnparsablePayloadFailsOnlyThatEntry) {
  queue::Entry garbage;
  garbage.entry_id = "1-0";
  garbage.key = "garbage";
  garbage.payload = "\xff\xff not a protobuf";
  const std::vector<absl::Status> results =
      handler_({garbage, EntryFor("ok", "Chỉ thị số 05-CT/TW về học tập")});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_THAT(results[0], StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(results[1], IsOk());
  EXPECT_THAT(index_->Get("ok"), IsOkAndHolds(::testing::Optional(::testing::_)));
}

TEST_F(IndexHandlerTest, ADocumentThatBreaksTheBatchDoesNotHoldBackTheOthers) {
  // The entity span points past the end of the text: the index refuses it.
  queue::Entry bad = EntryFor("bad", "ngắn");
  v1::PipelineMessage message;
  ASSERT_TRUE(message.ParseFromString(bad.payload));
  message.mutable_document()->mutable_entities(0)->mutable_span()->set_end(500);
  message.SerializeToString(&bad.payload);

  const std::vector<absl::Status> results =
      handler_({EntryFor("a", "Hội nghị Ban Chấp hành"), bad, EntryFor("b", "Đại hội chi bộ")});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_THAT(results[0], IsOk());
  EXPECT_THAT(results[1], StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(results[2], IsOk());
  auto stats = index_->Stats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->documents, 2);
  // Committed documents are marked indexed; the refused one is not.
  EXPECT_THAT(status_.Get("a"), IsOkAndHolds(::testing::Optional(::testing::Field(
                                    &queue::DocStatus::stage, queue::kStageIndexed))));
  EXPECT_THAT(status_.Get("bad"), IsOkAndHolds(::testing::Not(::testing::Optional(::testing::_))));
}

TEST_F(IndexHandlerTest, UnrecordedStatusLeavesTheEntryPendingButTheDocumentSearchable) {
  status_.SetAvailable(false);
  const std::vector<absl::Status> results = handler_({EntryFor("s1", "Đại hội chi bộ")});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_THAT(results[0], StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(index_->Get("s1"), IsOkAndHolds(::testing::Optional(::testing::_)));
  // Redelivered once the store is back: indexed once, status recorded.
  status_.SetAvailable(true);
  EXPECT_THAT(handler_({EntryFor("s1", "Đại hội chi bộ")})[0], IsOk());
  EXPECT_THAT(status_.Get("s1"), IsOkAndHolds(::testing::Optional(::testing::Field(
                                     &queue::DocStatus::stage, queue::kStageIndexed))));
}

TEST_F(IndexHandlerTest, RedeliveredDocumentIsIndexedOnce) {
  const queue::Entry entry = EntryFor("twice", "Nghị quyết Trung ương 4 khóa XII");
  EXPECT_THAT(handler_({entry})[0], IsOk());
  EXPECT_THAT(handler_({entry})[0], IsOk());
  SearchQuery query;
  query.query = "nghi quyet";
  auto result = index_->Search(query);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 1);
}

TEST(SearchServiceTest, FiltersAndFacetsAreUnimplementedWithAMessage) {
  IndexOptions options;
  options.path = ":memory:";
  auto index = SearchIndex::Open(options);
  ASSERT_THAT(index, IsOk());
  SearchServiceImpl service(index->get(), nullptr);
  v1::SearchRequest request;
  request.set_query("đảng");
  request.add_facets("person");
  v1::SearchResponse response;
  grpc::ServerContext context;
  const grpc::Status status = service.Search(&context, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("facets"));

  v1::GetDocumentRequest get;
  get.set_doc_id("missing");
  v1::GetDocumentResponse document;
  grpc::ServerContext get_context;
  EXPECT_EQ(service.GetDocument(&get_context, &get, &document).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace search
}  // namespace vnarchive
