#include "services/ingest/core/ingestor.h"

#include "services/normalize/core/decode.h"

#include <string>

#include "common/base/status_matchers.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace ingest {
namespace {

using ::testing::HasSubstr;

TEST(IngestorTest, RejectsEmptyAndWhitespaceOnlyText) {
  Ingestor ingestor({});
  EXPECT_THAT(ingestor.Accept({}), StatusIs(absl::StatusCode::kInvalidArgument));
  IncomingDocument doc;
  doc.text = " \n\t\r\n ";
  EXPECT_THAT(ingestor.Accept(doc), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(IngestorTest, RejectsInvalidUtf8NamingTheOffset) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text = "Đảng ủy \xff\xfe";
  auto result = ingestor.Accept(doc);
  ASSERT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("byte 13"));
}

TEST(IngestorTest, RejectsInvalidUtf8InMetadata) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text = "Hội nghị";
  doc.name = "t\xc3.txt";
  auto result = ingestor.Accept(doc);
  ASSERT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("name"));
}

TEST(IngestorTest, RejectsOversizedText) {
  IngestorOptions options;
  options.max_document_bytes = 16;
  Ingestor ingestor(options);
  IncomingDocument doc;
  doc.text = std::string(17, 'a');
  EXPECT_THAT(ingestor.Accept(doc), StatusIs(absl::StatusCode::kInvalidArgument));
  doc.text = std::string(16, 'a');
  EXPECT_THAT(ingestor.Accept(doc), IsOk());
}

TEST(IngestorTest, RejectsMalformedCallerId) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text = "Hội nghị";
  for (const char* bad : {"a b", "x\ny", "đảng", "a*b"}) {
    doc.doc_id = bad;
    EXPECT_THAT(ingestor.Accept(doc), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
  doc.doc_id = std::string(129, 'a');
  EXPECT_THAT(ingestor.Accept(doc), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(IngestorTest, RejectsBinaryContent) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0", 20);
  auto result = ingestor.Accept(doc);
  ASSERT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("binary"));
}

TEST(IngestorTest, RejectsAnUnknownForcedEncoding) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text = "Hội nghị";
  doc.encoding = "ebcdic";
  EXPECT_THAT(ingestor.Accept(doc), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(IngestorTest, DecodesLegacyEncodingsToTheSameDocument) {
  Ingestor ingestor({});
  const std::string article =
      "Sáng 20/7, Ban Thường vụ Tỉnh ủy tổ chức hội nghị sơ kết việc thực hiện "
      "Chỉ thị số 05-CT/TW về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách "
      "Hồ Chí Minh. Các đồng chí lãnh đạo đánh giá cao kết quả đạt được trong năm qua.";
  IncomingDocument utf8;
  utf8.text = article;
  auto original = ingestor.Accept(utf8);
  ASSERT_THAT(original, IsOk());
  EXPECT_EQ(original->encoding, "utf-8");
  for (auto encoding : {normalize::Encoding::kVni, normalize::Encoding::kViscii,
                        normalize::Encoding::kWindows1258, normalize::Encoding::kUtf16Le}) {
    IncomingDocument legacy;
    auto bytes = normalize::Encode(article, encoding);
    ASSERT_THAT(bytes, IsOk());
    legacy.text = *bytes;
    auto accepted = ingestor.Accept(legacy);
    ASSERT_THAT(accepted, IsOk()) << normalize::EncodingName(encoding);
    EXPECT_EQ(accepted->encoding, normalize::EncodingName(encoding));
    EXPECT_EQ(accepted->text, article);
    // Same text, same hash: the same article in two encodings is one document.
    EXPECT_EQ(accepted->content_hash, original->content_hash);
  }
}

TEST(IngestorTest, UsesCallerIdOrContentHash) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text = "Sáng 20/7, tại Hà Nội";
  auto by_hash = ingestor.Accept(doc);
  ASSERT_THAT(by_hash, IsOk());
  EXPECT_EQ(by_hash->doc_id, by_hash->content_hash);
  EXPECT_EQ(by_hash->doc_id.size(), 32u);

  doc.doc_id = "hanoi/2019-07-20:giao-ban_1";
  auto by_id = ingestor.Accept(doc);
  ASSERT_THAT(by_id, IsOk());
  EXPECT_EQ(by_id->doc_id, "hanoi/2019-07-20:giao-ban_1");
  EXPECT_EQ(by_id->content_hash, by_hash->content_hash);
}

}  // namespace
}  // namespace ingest
}  // namespace vnarchive
