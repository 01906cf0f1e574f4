#include "services/ingest/core/ingestor.h"

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/base/status_matchers.h"
#include "gtest/gtest.h"
#include "services/normalize/core/decode.h"

namespace vnarchive {
namespace ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

absl::Time Utc(int year, int month, int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute), absl::UTCTimeZone());
}

// The text of each caption span.
std::vector<std::string> Captions(const AcceptedDocument& doc) {
  std::vector<std::string> captions;
  for (const TextSpan& span : doc.captions) {
    captions.push_back(doc.text.substr(span.begin, span.end - span.begin));
  }
  return captions;
}

std::vector<std::string> RemovedRules(const AcceptedDocument& doc) {
  std::vector<std::string> rules;
  for (const RemovedLine& line : doc.boilerplate_removed) rules.emplace_back(line.rule);
  return rules;
}

// A provincial news page as such sites serve it: menu, search form, header
// date, toolbar, a photo table and a figure, byline, related articles,
// comment form, footer and scripts around a short article.
constexpr char kNewsPage[] = R"html(<!DOCTYPE html>
<html lang="vi"><head>
<meta charset="utf-8">
<title>Huyện ủy Đầm Hà sơ kết 5 năm thực hiện Chỉ thị 05-CT/TW</title>
<meta property="article:published_time" content="2021-06-18T09:30:00+07:00">
<script>var _gaq = _gaq || []; _gaq.push(['_trackPageview']);</script>
<style>.menu li { display: inline; }</style>
</head><body>
<div class="header-date">Hôm nay, ngày 18 tháng 6 năm 2021</div>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li>
<li><a href="/chinh-tri">Chính trị</a></li></ul></nav>
<form class="tim-kiem"><input name="q"><button>Tìm kiếm</button></form>
<div class="detail">
<h1>Sơ kết 5 năm thực hiện Chỉ thị 05</h1>
<div class="tools">In tin bàiLưu tin bài</div>
<p><strong>QNO - Sáng 18/6, Ban Thường vụ Huyện ủy Đầm Hà tổ chức hội nghị sơ kết 5 năm thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị.</strong></p>
<table class="tbl-image"><tr><td><img src="/anh/hoi-nghi.jpg"></td></tr>
<tr><td>Quang cảnh hội nghị. Ảnh: Minh Hà</td></tr></table>
<p>Những năm qua, việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh được các chi bộ gắn với nhiệm vụ chính trị của từng đơn vị.</p>
<figure><img src="/anh/khen-thuong.jpg"><figcaption>Lãnh đạo huyện trao giấy khen cho các tập thể.</figcaption></figure>
<p>Dịp này, Huyện ủy khen thưởng 12 tập thể và 20 cá nhân có thành tích tiêu biểu.</p>
<p style="text-align:right"><b>Minh Hà</b></p>
</div>
<div class="box">CÁC TIN KHÁC</div>
<ul><li><a href="/a.html">Đầm Hà ra quân trồng rừng</a></li><li><a href="/b.html">Huyện đoàn tổ chức hiến máu</a></li></ul>
<div id="footer">© Bản quyền thuộc Báo Quảng Ninh</div>
<script>document.write('quảng cáo');</script>
</body></html>
)html";

constexpr char kNewsPageText[] =
    "Sơ kết 5 năm thực hiện Chỉ thị 05\n\n"
    "QNO - Sáng 18/6, Ban Thường vụ Huyện ủy Đầm Hà tổ chức hội nghị sơ kết 5 năm thực "
    "hiện Chỉ thị số 05-CT/TW của Bộ Chính trị.\n\n"
    "Quang cảnh hội nghị. Ảnh: Minh Hà\n\n"
    "Những năm qua, việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh "
    "được các chi bộ gắn với nhiệm vụ chính trị của từng đơn vị.\n\n"
    "Lãnh đạo huyện trao giấy khen cho các tập thể.\n\n"
    "Dịp này, Huyện ủy khen thưởng 12 tập thể và 20 cá nhân có thành tích tiêu biểu.\n\n"
    "Minh Hà";

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
  doc.text = std::string(17, 'x');
  EXPECT_THAT(ingestor.Accept(doc), StatusIs(absl::StatusCode::kInvalidArgument));
  doc.text = std::string(16, 'x');
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

TEST(IngestorTest, EachRejectionCarriesAStableReason) {
  IngestorOptions options;
  options.max_document_bytes = 64;
  const Ingestor ingestor(options);
  // The reason Accept gives for `text`, after `edit` changed the document.
  auto reason = [&ingestor](const std::string& text,
                            const std::function<void(IncomingDocument&)>& edit = nullptr) {
    IncomingDocument doc;
    doc.text = text;
    if (edit) edit(doc);
    return RejectionReason(ingestor.Accept(doc).status());
  };
  EXPECT_EQ(reason(" \n "), "empty");
  EXPECT_EQ(reason(std::string(65, 'a')), "too_large");
  EXPECT_EQ(reason("Hội nghị", [](IncomingDocument& d) { d.doc_id = "a b"; }), "bad_doc_id");
  EXPECT_EQ(reason("Hội nghị", [](IncomingDocument& d) { d.encoding = "klingon"; }),
            "bad_encoding");
  EXPECT_EQ(reason("Hội nghị", [](IncomingDocument& d) { d.content_type = "application/pdf"; }),
            "bad_content_type");
  EXPECT_EQ(reason("Hội nghị", [](IncomingDocument& d) { d.name = "\xff"; }), "invalid_field");
  EXPECT_EQ(reason(std::string("Hội\0nghị", 10)), "binary");
  EXPECT_EQ(reason("<html><body><script>x</script></body></html>",
                   [](IncomingDocument& d) { d.content_type = "text/html"; }),
            "html_no_text");
  EXPECT_EQ(reason("Chia sẻ: Facebook | Zalo"), "all_boilerplate");
  EXPECT_EQ(RejectionReason(absl::OkStatus()), "");
  EXPECT_EQ(RejectionReason(absl::InternalError("x")), "internal");
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

TEST(IngestorTest, RejectsAnUnsupportedContentType) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text = "Hội nghị";
  doc.content_type = "application/pdf";
  auto result = ingestor.Accept(doc);
  ASSERT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("application/pdf"));
}

TEST(IngestorTest, RefusesAPageTooCostlyToParseAsInvalidArgument) {
  Ingestor ingestor({});
  IncomingDocument doc;
  // 30,000 unclosed <div>: the parser would need minutes. Refused up front,
  // and not as RESOURCE_EXHAUSTED, which callers read as "busy, retry".
  std::string page = "<html><body>";
  for (int i = 0; i < 30000; ++i) page += "<div>";
  doc.text = page + "Hội nghị";
  auto result = ingestor.Accept(doc);
  ASSERT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("html: "));
  doc.content_type = "text/html";
  EXPECT_THAT(ingestor.Accept(doc), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(IngestorTest, RejectsAPageWithoutVisibleText) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text = "<html><head><title>Trang chủ</title></head><body><script>var a = 1;</script>"
             "<nav><a href=\"/\">Trang chủ</a></nav></body></html>";
  auto result = ingestor.Accept(doc);
  ASSERT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("no visible text"));
}

TEST(IngestorTest, RejectsATextThatIsAllBoilerplate) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text = "In tin bàiLưu tin bài\nCỡ chữ: A+ A-\n. . .\n";
  auto result = ingestor.Accept(doc);
  ASSERT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("boilerplate"));
}

TEST(IngestorTest, ReadsANewsPageTextCaptionsAndMetadata) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text = kNewsPage;
  doc.content_type = "text/html";
  auto result = ingestor.Accept(doc);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->content_type, ContentType::kHtml);
  EXPECT_FALSE(result->content_type_sniffed);
  EXPECT_EQ(result->text, kNewsPageText);
  for (const char* absent : {"_gaq", "display", "Trang chủ", "Thời sự", "Tìm kiếm", "Hôm nay",
                             "In tin bài", "CÁC TIN KHÁC", "trồng rừng", "Bản quyền",
                             "quảng cáo", "<"}) {
    EXPECT_THAT(result->text, Not(HasSubstr(absent)));
  }
  EXPECT_THAT(Captions(*result), ElementsAre("Quang cảnh hội nghị. Ảnh: Minh Hà",
                                             "Lãnh đạo huyện trao giấy khen cho các tập thể."));
  EXPECT_THAT(RemovedRules(*result),
              ElementsAre("site-header-date", "print-save-widget", "related-articles",
                          "related-articles", "related-articles", "copyright-footer"));

  // The page's own metadata first, then the text's heuristics.
  EXPECT_EQ(result->title, "Huyện ủy Đầm Hà sơ kết 5 năm thực hiện Chỉ thị 05-CT/TW");
  EXPECT_EQ(result->metadata_origins.at("title"), "html <title>");
  EXPECT_EQ(result->published_at, Utc(2021, 6, 18, 2, 30));
  EXPECT_EQ(result->metadata_origins.at("published_at"),
            "html <meta property=\"article:published_time\">");
  EXPECT_EQ(result->author, "Minh Hà");
  EXPECT_EQ(result->metadata_origins.at("authors"), "last line");
  EXPECT_EQ(result->source, "QNO");
  EXPECT_TRUE(result->url.empty());
  EXPECT_EQ(0u, result->metadata_origins.count("url"));
}

TEST(IngestorTest, SniffsHtmlWhenNoContentTypeIsGiven) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text = kNewsPage;
  auto sniffed = ingestor.Accept(doc);
  ASSERT_THAT(sniffed, IsOk());
  EXPECT_EQ(sniffed->content_type, ContentType::kHtml);
  EXPECT_TRUE(sniffed->content_type_sniffed);
  EXPECT_EQ(sniffed->text, kNewsPageText);
  // Declared or sniffed, a page is read the same way and hashes the same.
  doc.content_type = "TEXT/HTML; charset=UTF-8";
  auto declared = ingestor.Accept(doc);
  ASSERT_THAT(declared, IsOk());
  EXPECT_EQ(declared->content_hash, sniffed->content_hash);
  // Read as text, the same bytes are another version of the document.
  doc.content_type = "text/plain";
  auto as_text = ingestor.Accept(doc);
  ASSERT_THAT(as_text, IsOk());
  EXPECT_NE(as_text->content_hash, sniffed->content_hash);

  // Sniffing looks at the decoded text: a UTF-16 page is a page too.
  auto utf16 = normalize::Encode(kNewsPage, normalize::Encoding::kUtf16Le);
  ASSERT_THAT(utf16, IsOk());
  doc.text = *utf16;  // with a BOM
  doc.content_type.clear();
  auto from_utf16 = ingestor.Accept(doc);
  ASSERT_THAT(from_utf16, IsOk());
  EXPECT_EQ(from_utf16->content_type, ContentType::kHtml);
  EXPECT_EQ(from_utf16->text, kNewsPageText);
  EXPECT_EQ(from_utf16->content_hash, sniffed->content_hash);
}

TEST(IngestorTest, KeepsMarkupWhenTheCallerSaysPlainText) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text = kNewsPage;
  doc.content_type = "text/plain";
  auto result = ingestor.Accept(doc);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->content_type, ContentType::kPlainText);
  EXPECT_THAT(result->text, HasSubstr("<figcaption>"));
  EXPECT_TRUE(result->captions.empty());
}

TEST(IngestorTest, PlainTextThatMentionsATagIsNotHtml) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text = "Hướng dẫn soạn thảo văn bản\n\nChữ đậm viết trong thẻ <b> của trang web; "
             "chỉ tiêu tăng trưởng 5 < x < 7 phần trăm.";
  auto result = ingestor.Accept(doc);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->content_type, ContentType::kPlainText);
  EXPECT_TRUE(result->content_type_sniffed);
  EXPECT_THAT(result->text, HasSubstr("thẻ <b> của"));
}

TEST(IngestorTest, RemovesBoilerplateFromPlainText) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text =
      "Tỉnh ủy họp phiên thường kỳ\r\n"
      "Cỡ chữ: A+ A-\r\n\r\n"
      "Sáng 3/4, Tỉnh ủy họp phiên thường kỳ tháng 4 năm 2021.\r\n\r\n"
      "Trần Minh\r\n"
      "In tin bàiLưu tin bài\r\n"
      "CÁC TIN KHÁC\r\n"
      "Huyện ủy tổng kết năm\r\n";
  auto result = ingestor.Accept(doc);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->content_type, ContentType::kPlainText);
  EXPECT_TRUE(result->content_type_sniffed);
  EXPECT_EQ(result->text,
            "Tỉnh ủy họp phiên thường kỳ\n\n"
            "Sáng 3/4, Tỉnh ủy họp phiên thường kỳ tháng 4 năm 2021.\n\n"
            "Trần Minh");
  EXPECT_THAT(RemovedRules(*result), ElementsAre("font-size-widget", "print-save-widget",
                                                 "related-articles", "related-articles"));
  EXPECT_EQ(result->boilerplate_removed[0].line_number, 2);
  EXPECT_TRUE(result->captions.empty());
  EXPECT_EQ(result->title, "Tỉnh ủy họp phiên thường kỳ");
  EXPECT_EQ(result->metadata_origins.at("title"), "first line");
  EXPECT_EQ(result->author, "Trần Minh");
}

TEST(IngestorTest, CallerMetadataWinsOverThePageAndTheText) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text = kNewsPage;
  doc.title = "Tiêu đề của bên gửi";
  doc.source = "baoquangninh.vn";
  doc.published_at = Utc(2021, 6, 19, 0, 0);
  auto result = ingestor.Accept(doc);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->title, "Tiêu đề của bên gửi");
  EXPECT_EQ(result->source, "baoquangninh.vn");
  EXPECT_EQ(result->published_at, Utc(2021, 6, 19, 0, 0));
  EXPECT_EQ(0u, result->metadata_origins.count("title"));
  EXPECT_EQ(0u, result->metadata_origins.count("source"));
  EXPECT_EQ(0u, result->metadata_origins.count("published_at"));
}

TEST(IngestorTest, PrefersOgTitleAndCanonicalLink) {
  Ingestor ingestor({});
  IncomingDocument doc;
  doc.text =
      "<html><head><title>Hội nghị Tỉnh ủy | Báo Bắc Giang</title>"
      "<meta property=\"og:title\" content=\"Hội nghị Tỉnh ủy\">"
      "<meta property=\"og:url\" content=\"https://baobacgiang.vn/og.html\">"
      "<link rel=\"canonical\" href=\"https://baobacgiang.vn/hoi-nghi.html\">"
      "</head><body><p>Sáng 20/7, Tỉnh ủy họp phiên thường kỳ.</p></body></html>";
  auto result = ingestor.Accept(doc);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->title, "Hội nghị Tỉnh ủy");
  EXPECT_EQ(result->metadata_origins.at("title"), "html <meta property=\"og:title\">");
  EXPECT_EQ(result->url, "https://baobacgiang.vn/hoi-nghi.html");
  EXPECT_EQ(result->metadata_origins.at("url"), "html <link rel=\"canonical\">");
}

TEST(IngestorTest, ReadsTheHtmlSampleDocument) {
  std::ifstream file(VNA_SAMPLES_DIR "/sample_23.html", std::ios::binary);
  ASSERT_TRUE(file) << "cannot open the HTML sample";
  std::stringstream bytes;
  bytes << file.rdbuf();
  IncomingDocument doc;
  doc.text = bytes.str();
  auto result = Ingestor({}).Accept(doc);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->content_type, ContentType::kHtml);
  EXPECT_EQ(result->title, "Nông dân Tân Hòa trồng cây dược liệu dưới tán rừng");
  EXPECT_EQ(result->published_at, Utc(2019, 9, 14, 0, 45));
  EXPECT_EQ(result->author, "Lê Phương Thảo");
  EXPECT_THAT(result->url, HasSubstr("nong-dan-tan-hoa"));
  EXPECT_THAT(Captions(*result), SizeIs(2));
  EXPECT_THAT(result->text, HasSubstr("trồng cây dược liệu dưới tán rừng"));
  for (const char* absent : {"dataLayer", "Trang chủ", "Tin liên quan", "CÁC TIN KHÁC",
                             "Chia sẻ", "Viết bình luận", "Bản quyền", "Quảng cáo"}) {
    EXPECT_THAT(result->text, Not(HasSubstr(absent)));
  }
}

TEST(IngestorTest, ParsesContentTypes) {
  EXPECT_THAT(ParseContentType(""), IsOkAndHolds(std::nullopt));
  EXPECT_THAT(ParseContentType("  "), IsOkAndHolds(std::nullopt));
  EXPECT_THAT(ParseContentType("text/plain"), IsOkAndHolds(ContentType::kPlainText));
  EXPECT_THAT(ParseContentType("Text/HTML; charset=windows-1258"),
              IsOkAndHolds(ContentType::kHtml));
  EXPECT_THAT(ParseContentType("application/xhtml+xml"), IsOkAndHolds(ContentType::kHtml));
  EXPECT_THAT(ParseContentType("; charset=utf-8"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseContentType("text/markdown"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ContentTypeName(ContentType::kHtml), "text/html");
  EXPECT_EQ(ContentTypeName(ContentType::kPlainText), "text/plain");
}

}  // namespace
}  // namespace ingest
}  // namespace vnarchive
