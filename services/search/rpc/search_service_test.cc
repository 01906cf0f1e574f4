#include "services/search/rpc/search_service.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/base/status_matchers.h"
#include "common/queue/memory_queue.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/search/rpc/convert.h"
#include "vnarchive/v1/queue.pb.h"

namespace vnarchive {
namespace search {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

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

// A service over an in-memory index holding two documents with entities.
class SearchServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IndexOptions options;
    options.path = ":memory:";
    auto index = SearchIndex::Open(options);
    ASSERT_THAT(index, IsOk());
    index_ = *std::move(index);
    service_ = std::make_unique<SearchServiceImpl>(index_.get(), nullptr);

    v1::Document a;
    a.set_doc_id("a");
    a.set_source("baohaugiang.com.vn");
    a.set_text("Đồng chí Đào Đức Toàn nêu gương thực hiện Quy định số 08-QĐi/TW.");
    a.mutable_published_at()->set_seconds(1563591600);  // 2019-07-20 10:00 UTC+7
    AddEntity(&a, v1::PERSON, "Đào Đức Toàn", "Đào Đức Toàn", {});
    AddEntity(&a, v1::DOC_REF, "08-QĐi/TW", "08-QĐi/TW", {{"kind", "quy định"}, {"number", "08"}});
    v1::Document b;
    b.set_doc_id("b");
    b.set_source("baochinhphu.vn");
    b.set_text("Chi bộ nêu gương sáng; Đào Đức Toàn dự.");
    b.mutable_published_at()->set_seconds(1546277400);  // 2019-01-01 00:30 UTC+7
    AddEntity(&b, v1::PERSON, "Đào Đức Toàn", "Đào Đức Toàn", {});
    ASSERT_THAT(index_->Upsert({ToStoredDocument(a), ToStoredDocument(b)}), IsOk());
  }

  static void AddEntity(v1::Document* doc, v1::EntityType type, const std::string& surface,
                        const std::string& canonical,
                        const std::vector<std::pair<std::string, std::string>>& attributes) {
    const size_t at = doc->text().find(surface);
    ASSERT_NE(at, std::string::npos);
    v1::Entity* e = doc->add_entities();
    e->set_type(type);
    e->set_surface(surface);
    e->set_canonical(canonical);
    e->mutable_span()->set_begin(static_cast<uint32_t>(at));
    e->mutable_span()->set_end(static_cast<uint32_t>(at + surface.size()));
    for (const auto& [k, v] : attributes) (*e->mutable_attributes())[k] = v;
  }

  grpc::Status Search(const v1::SearchRequest& request, v1::SearchResponse* response) {
    grpc::ServerContext context;
    return service_->Search(&context, &request, response);
  }

  std::unique_ptr<SearchIndex> index_;
  std::unique_ptr<SearchServiceImpl> service_;
};

std::vector<std::string> HitIds(const v1::SearchResponse& response) {
  std::vector<std::string> ids;
  for (const v1::SearchHit& hit : response.hits()) ids.push_back(hit.doc_id());
  return ids;
}

TEST_F(SearchServiceTest, MalformedQueryIsInvalidArgumentNamingThePosition) {
  v1::SearchRequest request;
  request.set_query("nêu gương date:2019-13");
  v1::SearchResponse response;
  const grpc::Status status = Search(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("query at byte 13: date:2019-13: "));
  request.set_query("gương OR");
  EXPECT_EQ(Search(request, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SearchServiceTest, BadFiltersFacetsAndDatesAreInvalidArgument) {
  v1::SearchRequest request;
  request.set_query("gương");
  request.add_facets("title");
  v1::SearchResponse response;
  grpc::Status status = Search(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("unknown facet 'title'"));

  request.clear_facets();
  v1::Filter* filter = request.add_filters();
  filter->set_field("author");
  filter->set_value("x");
  status = Search(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("filters[0]: unknown field 'author'"));

  request.clear_filters();
  request.mutable_published_after()->set_seconds(1600000000);
  request.mutable_published_before()->set_seconds(1500000000);
  EXPECT_EQ(Search(request, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SearchServiceTest, FiltersOnlyWithAnEmptyQueryListNewestFirst) {
  v1::SearchRequest request;
  v1::Filter* filter = request.add_filters();
  filter->set_field("person");
  filter->set_value("dao duc toan");
  v1::SearchResponse response;
  ASSERT_TRUE(Search(request, &response).ok());
  EXPECT_EQ(response.total(), 2u);
  EXPECT_THAT(HitIds(response), ElementsAre("a", "b"));

  filter->set_exclude(true);
  request.set_query("gương");
  response.Clear();
  ASSERT_TRUE(Search(request, &response).ok());
  EXPECT_EQ(response.total(), 0u);

  // A query without filters and without text is still an error.
  v1::SearchRequest empty;
  EXPECT_EQ(Search(empty, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SearchServiceTest, RefFilterInTheRequestAndInTheQueryAgree) {
  v1::SearchRequest in_query;
  in_query.set_query("ref:\"Quy định 08\"");
  v1::SearchResponse a;
  ASSERT_TRUE(Search(in_query, &a).ok());
  v1::SearchRequest structured;
  v1::Filter* filter = structured.add_filters();
  filter->set_field("ref");
  filter->set_value("08-qdi/tw");
  v1::SearchResponse b;
  ASSERT_TRUE(Search(structured, &b).ok());
  EXPECT_THAT(HitIds(a), ElementsAre("a"));
  EXPECT_EQ(HitIds(a), HitIds(b));
}

TEST_F(SearchServiceTest, PublishedBoundsSelectByTime) {
  v1::SearchRequest request;
  request.set_query("gương");
  request.mutable_published_after()->set_seconds(1546277400);  // b's time: included
  request.mutable_published_before()->set_seconds(1563591600);  // a's time: excluded
  v1::SearchResponse response;
  ASSERT_TRUE(Search(request, &response).ok());
  EXPECT_THAT(HitIds(response), ElementsAre("b"));
  // A bound inside a second rounds up: "at or after 00:30:00.5" leaves b out.
  request.mutable_published_after()->set_nanos(500000000);
  response.Clear();
  ASSERT_TRUE(Search(request, &response).ok());
  EXPECT_EQ(response.total(), 0u);
}

TEST_F(SearchServiceTest, ResponseCarriesEntitiesFacetsAndSuggestion) {
  v1::SearchRequest request;
  request.set_query("neu guong");
  request.add_facets("person");
  request.add_facets("year");
  request.add_facets("source");
  request.set_facet_size(1);
  v1::SearchResponse response;
  ASSERT_TRUE(Search(request, &response).ok());
  EXPECT_EQ(response.total(), 2u);
  EXPECT_EQ(response.suggestion(), "nêu gương");
  ASSERT_EQ(response.hits_size(), 2);
  const v1::SearchHit& a = response.hits(0).doc_id() == "a" ? response.hits(0) : response.hits(1);
  EXPECT_THAT(a.snippet(), HasSubstr("[nêu] [gương]"));
  ASSERT_EQ(a.entities_size(), 2);
  EXPECT_EQ(a.entities(0).type(), v1::PERSON);
  EXPECT_EQ(a.entities(0).canonical(), "Đào Đức Toàn");
  EXPECT_EQ(a.entities(0).surface(), "Đào Đức Toàn");
  EXPECT_EQ(a.entities(1).type(), v1::DOC_REF);
  EXPECT_EQ(a.entities(1).canonical(), "08-QĐi/TW");
  EXPECT_EQ(a.entities(1).span().end() - a.entities(1).span().begin(), 10u);
  ASSERT_EQ(response.facets_size(), 3);
  EXPECT_EQ(response.facets(0).field(), "person");
  ASSERT_EQ(response.facets(0).values_size(), 1);
  EXPECT_EQ(response.facets(0).values(0).value(), "Đào Đức Toàn");
  EXPECT_EQ(response.facets(0).values(0).count(), 2u);
  EXPECT_EQ(response.facets(1).values(0).value(), "2019");
  EXPECT_EQ(response.facets(1).values(0).count(), 2u);
  EXPECT_EQ(response.facets(2).values_size(), 1);  // facet_size 1 of two sources
  EXPECT_EQ(response.facet_sample(), 2u);            // exact: counted over both matches

  request.set_no_snippet(true);
  response.Clear();
  ASSERT_TRUE(Search(request, &response).ok());
  EXPECT_EQ(response.hits(0).snippet(), "");
  EXPECT_EQ(response.suggestion(), "");
}

TEST_F(SearchServiceTest, DeleteDocumentLeavesTheFacetsAtOnce) {
  v1::SearchRequest request;
  request.set_query("person:\"Đào Đức Toàn\"");
  request.add_facets("source");
  v1::SearchResponse before;
  ASSERT_TRUE(Search(request, &before).ok());
  ASSERT_EQ(before.facets(0).values_size(), 2);

  v1::DeleteDocumentRequest remove;
  remove.set_doc_id("a");
  v1::DeleteDocumentResponse removed;
  grpc::ServerContext context;
  ASSERT_TRUE(service_->DeleteDocument(&context, &remove, &removed).ok());
  v1::SearchResponse after;
  ASSERT_TRUE(Search(request, &after).ok());
  EXPECT_EQ(after.total(), 1u);
  ASSERT_EQ(after.facets(0).values_size(), 1);
  EXPECT_EQ(after.facets(0).values(0).value(), "baochinhphu.vn");
  EXPECT_EQ(after.facets(0).values(0).count(), 1u);
}

TEST_F(SearchServiceTest, GetDocumentOfAMissingIdIsNotFound) {
  v1::GetDocumentRequest get;
  get.set_doc_id("missing");
  v1::GetDocumentResponse document;
  grpc::ServerContext context;
  EXPECT_EQ(service_->GetDocument(&context, &get, &document).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST(ToSearchQueryTest, ConvertsEveryField) {
  v1::SearchRequest request;
  request.set_query("q");
  request.set_offset(20);
  request.set_sort(v1::DATE_ASC);
  v1::Filter* filter = request.add_filters();
  filter->set_field("loc");
  filter->set_value("Hậu Giang");
  filter->set_exclude(true);
  request.add_facets("year");
  request.set_facet_size(5);
  request.set_exact_facets(true);
  request.set_exact_total(true);
  request.mutable_published_before()->set_seconds(100);
  const SearchQuery query = ToSearchQuery(request);
  EXPECT_EQ(query.query, "q");
  EXPECT_EQ(query.limit, 10);  // page_size 0: the default
  EXPECT_EQ(query.offset, 20);
  EXPECT_EQ(query.sort, SortOrder::kOldestFirst);
  ASSERT_EQ(query.filters.size(), 1u);
  EXPECT_EQ(query.filters[0].field, "loc");
  EXPECT_EQ(query.filters[0].value, "Hậu Giang");
  EXPECT_TRUE(query.filters[0].exclude);
  EXPECT_THAT(query.facets, ElementsAre("year"));
  EXPECT_EQ(query.facet_limit, 5);
  EXPECT_TRUE(query.exact_facets);
  EXPECT_TRUE(query.exact_total);
  EXPECT_EQ(query.published_after, std::nullopt);
  EXPECT_EQ(query.published_before, 100);
  EXPECT_TRUE(query.snippets);
  EXPECT_EQ(ToSearchQuery(v1::SearchRequest()).facet_limit, 10);
}

}  // namespace
}  // namespace search
}  // namespace vnarchive
