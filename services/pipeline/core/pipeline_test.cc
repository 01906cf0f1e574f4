#include "services/pipeline/core/pipeline.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace pipeline {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::SizeIs;

std::string ReadData(const std::string& relative) {
  std::ifstream in(std::string(VNA_TEST_DATA_DIR) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in) << relative;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

PipelineInput Input(std::string bytes, std::string name = "bai.txt") {
  PipelineInput input;
  input.bytes = std::move(bytes);
  input.name = std::move(name);
  return input;
}

constexpr char kArticle[] =
    "Thành ủy Cẩm Phả quán triệt Quy định số 08-QĐi/TW\n\n"
    "(10:05 26/11/2018)\n\n"
    "QNO - Sáng 26/11, đồng chí Đỗ Minh Tuấn, Bí thư Thành ủy Cẩm Phả, truyền đạt "
    "Quy định số 08-QĐi/TW về trách nhiệm nêu gương tại tỉnh Quảng Ninh.\n\n"
    "Mạnh Trường\n";

TEST(DocumentPipelineTest, EmptyInputIsInvalidArgument) {
  const DocumentPipeline pipeline;
  EXPECT_THAT(pipeline.Process(Input("")), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(pipeline.Process(Input(" \n\t\n")), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(DocumentPipelineTest, BinaryInputIsInvalidArgument) {
  const DocumentPipeline pipeline;
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10", 24);
  absl::StatusOr<PipelineOutput> out = pipeline.Process(Input(png, "logo.png"));
  EXPECT_THAT(out, StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(DocumentPipelineTest, DamagedUtf8IsInvalidArgumentNamingTheByte) {
  const DocumentPipeline pipeline;
  absl::StatusOr<PipelineOutput> out =
      pipeline.Process(Input("Hội nghị Ban Chấp hành \xc3\x28 Đảng bộ tỉnh"));
  ASSERT_THAT(out, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(out.status().message(), HasSubstr("byte"));
}

TEST(DocumentPipelineTest, BadCallerIdAndContentTypeAreInvalidArgument) {
  const DocumentPipeline pipeline;
  PipelineInput input = Input(kArticle);
  input.doc_id = "has spaces";
  EXPECT_THAT(pipeline.Process(input), StatusIs(absl::StatusCode::kInvalidArgument));
  input.doc_id.clear();
  input.content_type = "application/pdf";
  EXPECT_THAT(pipeline.Process(input), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(DocumentPipelineTest, DocIdIsTheContentHashUnlessTheCallerGivesOne) {
  const DocumentPipeline pipeline;
  absl::StatusOr<PipelineOutput> hashed = pipeline.Process(Input(kArticle, "a.txt"));
  ASSERT_THAT(hashed, IsOk());
  EXPECT_EQ(hashed->document.doc_id, hashed->document.content_hash);
  EXPECT_THAT(hashed->document.doc_id, SizeIs(32));
  // The name is not part of the id: the same text under another name is the
  // same document.
  absl::StatusOr<PipelineOutput> renamed = pipeline.Process(Input(kArticle, "b.txt"));
  ASSERT_THAT(renamed, IsOk());
  EXPECT_EQ(renamed->document.doc_id, hashed->document.doc_id);
  EXPECT_EQ(renamed->document.name, "b.txt");

  PipelineInput named = Input(kArticle);
  named.doc_id = "qn-2018-11-26";
  absl::StatusOr<PipelineOutput> given = pipeline.Process(named);
  ASSERT_THAT(given, IsOk());
  EXPECT_EQ(given->document.doc_id, "qn-2018-11-26");
  EXPECT_EQ(given->document.content_hash, hashed->document.content_hash);
}

TEST(DocumentPipelineTest, SameArticleInALegacyEncodingIsTheSameDocument) {
  const DocumentPipeline pipeline;
  absl::StatusOr<PipelineOutput> utf8 =
      pipeline.Process(Input(ReadData("encodings/article.utf8.txt")));
  absl::StatusOr<PipelineOutput> tcvn3 =
      pipeline.Process(Input(ReadData("encodings/article.tcvn3.txt")));
  ASSERT_THAT(utf8, IsOk());
  ASSERT_THAT(tcvn3, IsOk());
  EXPECT_EQ(tcvn3->encoding, "tcvn3");
  EXPECT_EQ(tcvn3->document.doc_id, utf8->document.doc_id);
  EXPECT_EQ(tcvn3->document.text, utf8->document.text);
}

TEST(DocumentPipelineTest, FillsMetadataFromTheText) {
  const DocumentPipeline pipeline;
  absl::StatusOr<PipelineOutput> out =
      pipeline.Process(Input(kArticle, "cam-pha.txt"), absl::FromUnixMillis(1700000000123));
  ASSERT_THAT(out, IsOk());
  const search::StoredDocument& doc = out->document;
  EXPECT_EQ(doc.name, "cam-pha.txt");
  EXPECT_EQ(doc.title, "Thành ủy Cẩm Phả quán triệt Quy định số 08-QĐi/TW");
  EXPECT_EQ(doc.language, "vi");
  EXPECT_EQ(doc.ingested_at_unix_ms, 1700000000123);
  // 10:05 on 26/11/2018 in Vietnam time (UTC+7).
  EXPECT_EQ(doc.published_at_unix, 1543201500);
  EXPECT_THAT(doc.authors, ElementsAre("Mạnh Trường"));
  EXPECT_EQ(out->content_type, ingest::ContentType::kPlainText);
  EXPECT_EQ(out->encoding, "utf-8");
}

TEST(DocumentPipelineTest, NormalisesTextAndTitleToTheToneStyle) {
  const std::string text = "Văn hoá thuỷ lợi\n\nNgười dân xã hoà thuận, khoẻ mạnh.\n";
  PipelineOptions traditional;
  absl::StatusOr<PipelineOutput> out = DocumentPipeline(traditional).Process(Input(text));
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(out->document.title, "Văn hóa thủy lợi");
  EXPECT_THAT(out->document.text, HasSubstr("hòa thuận, khỏe mạnh"));

  PipelineOptions modern;
  modern.tone_style = normalize::ToneStyle::kModern;
  out = DocumentPipeline(modern).Process(Input("Văn hóa thủy lợi\n\nxã hòa thuận\n"));
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(out->document.title, "Văn hoá thuỷ lợi");
  EXPECT_THAT(out->document.text, HasSubstr("hoà thuận"));
}

TEST(DocumentPipelineTest, EntitiesPointIntoTheStoredText) {
  const DocumentPipeline pipeline;
  absl::StatusOr<PipelineOutput> out = pipeline.Process(Input(kArticle));
  ASSERT_THAT(out, IsOk());
  const search::StoredDocument& doc = out->document;
  ASSERT_FALSE(doc.entities.empty());
  for (const search::StoredEntity& e : doc.entities) {
    ASSERT_LE(e.begin, e.end);
    ASSERT_LE(e.end, static_cast<int64_t>(doc.text.size()));
    EXPECT_EQ(doc.text.substr(e.begin, e.end - e.begin), e.surface) << e.type;
  }
  EXPECT_THAT(doc.entities,
              Contains(AllOf(Field(&search::StoredEntity::type, "PERSON"),
                             Field(&search::StoredEntity::canonical, "Đỗ Minh Tuấn"))));
  EXPECT_THAT(doc.entities, Contains(AllOf(Field(&search::StoredEntity::type, "DOC_REF"),
                                           Field(&search::StoredEntity::canonical, "08-QĐi/TW"))));
  EXPECT_THAT(doc.entities, Contains(AllOf(Field(&search::StoredEntity::type, "LOC"),
                                           Field(&search::StoredEntity::canonical, "Quảng Ninh"))));
}

TEST(DocumentPipelineTest, ReadsAWebPageAsItsArticle) {
  const DocumentPipeline pipeline;
  PipelineInput input = Input(ReadData("samples/sample_23.html"), "sample_23.html");
  input.content_type = "text/html";
  absl::StatusOr<PipelineOutput> out = pipeline.Process(input);
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(out->content_type, ingest::ContentType::kHtml);
  EXPECT_EQ(out->document.title, "Nông dân Tân Hòa trồng cây dược liệu dưới tán rừng");
  EXPECT_THAT(out->document.url, HasSubstr("nong-dan-tan-hoa"));
  EXPECT_THAT(out->document.authors, ElementsAre("Lê Phương Thảo"));
  EXPECT_EQ(out->document.published_at_unix, 1568421900);  // 2019-09-14T07:45+07:00
  EXPECT_THAT(out->document.text, HasSubstr("sa nhân tím"));
  EXPECT_THAT(out->document.text, ::testing::Not(HasSubstr("gtag")));
  EXPECT_GT(out->boilerplate_lines_removed, 0u);
}

TEST(DocumentPipelineTest, OutputIsAcceptedAndFoundByTheIndex) {
  const DocumentPipeline pipeline;
  absl::StatusOr<PipelineOutput> out = pipeline.Process(Input(kArticle));
  ASSERT_THAT(out, IsOk());
  search::IndexOptions options;
  options.path = ":memory:";
  absl::StatusOr<std::unique_ptr<search::SearchIndex>> index = search::SearchIndex::Open(options);
  ASSERT_THAT(index, IsOk());
  ASSERT_THAT((*index)->Upsert({out->document}), IsOk());
  search::SearchQuery query;
  query.query = "neu guong Cam Pha";
  absl::StatusOr<search::SearchResult> result = (*index)->Search(query);
  ASSERT_THAT(result, IsOk());
  ASSERT_THAT(result->hits, SizeIs(1));
  EXPECT_EQ(result->hits[0].doc_id, out->document.doc_id);
}

TEST(AppendStoredEntitiesTest, KeepsOneValuePerAttributeKeyLikeTheDocumentMap) {
  extract::Entity entity;
  entity.type = extract::EntityType::kLoc;
  entity.surface = "huyện Ba Bể";
  entity.canonical = "Ba Bể";
  entity.begin = 3;
  entity.end = 17;
  entity.attributes = {{"level", "huyện"}, {"province", "Bắc Kạn"}, {"level", "quận"}};
  std::vector<search::StoredEntity> stored;
  AppendStoredEntities({entity}, &stored);
  ASSERT_THAT(stored, SizeIs(1));
  EXPECT_EQ(stored[0].type, "LOC");
  EXPECT_EQ(stored[0].begin, 3);
  EXPECT_EQ(stored[0].end, 17);
  EXPECT_THAT(stored[0].attributes,
              ElementsAre(Pair("level", "quận"), Pair("province", "Bắc Kạn")));
}

}  // namespace
}  // namespace pipeline
}  // namespace vnarchive
