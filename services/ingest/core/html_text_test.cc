#include "services/ingest/core/html_text.h"

#include "services/ingest/core/boilerplate.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

absl::Time Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}

// Parses `html`, failing the test on an error.
HtmlDocument Parse(const std::string& html) {
  absl::StatusOr<HtmlDocument> doc = ExtractHtmlText(html);
  EXPECT_THAT(doc, IsOk());
  return doc.ok() ? *std::move(doc) : HtmlDocument{};
}

std::vector<std::string> ParagraphTexts(const HtmlDocument& doc) {
  std::vector<std::string> texts;
  for (size_t i = 0; i < doc.paragraphs.size(); ++i) {
    texts.emplace_back(doc.paragraph_text(i));
  }
  return texts;
}

std::vector<std::string> Captions(const HtmlDocument& doc) {
  std::vector<std::string> texts;
  for (size_t i = 0; i < doc.paragraphs.size(); ++i) {
    if (doc.paragraphs[i].caption) texts.emplace_back(doc.paragraph_text(i));
  }
  return texts;
}

std::string Body(const std::string& inner) {
  return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + inner +
         "</body></html>";
}

// ---------------------------------------------------------------------------
// Errors first.

TEST(HtmlTextTest, RejectsInvalidUtf8NamingTheOffset) {
  absl::StatusOr<HtmlDocument> doc = ExtractHtmlText("<p>Đảng \xff</p>");
  ASSERT_THAT(doc, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(doc.status().message()), HasSubstr("byte 11"));
}

TEST(HtmlTextTest, RefusesNestingThatWouldStallTheParser) {
  std::string html;
  for (int i = 0; i < 30000; ++i) html += "<div>";
  EXPECT_THAT(ExtractHtmlText(html), StatusIs(absl::StatusCode::kResourceExhausted));
  // The same elements side by side are fine.
  std::string flat;
  for (int i = 0; i < 30000; ++i) flat += "<div>x</div>";
  absl::StatusOr<HtmlDocument> doc = ExtractHtmlText(flat);
  ASSERT_THAT(doc, IsOk());
  EXPECT_EQ(doc->paragraphs.size(), 30000u);
}

TEST(HtmlTextTest, RefusesUnclosedFormattingThatWouldBeClonedOverAndOver) {
  // Each paragraph reopens every distinct <b> left open before it: quadratic
  // in nodes (75 kB of this took the parser 3 GB).
  std::string html;
  for (int i = 0; i < 4000; ++i) html += absl::StrCat("<p><b id=", i, ">x</p>");
  EXPECT_THAT(ExtractHtmlText(html), StatusIs(absl::StatusCode::kResourceExhausted));
  // Identical unclosed tags are kept at most three times by the parser.
  std::string identical;
  for (int i = 0; i < 4000; ++i) identical += "<p><font face=Arial>x</p>";
  EXPECT_THAT(ExtractHtmlText(identical), IsOk());
  // Closed formatting costs nothing.
  std::string closed;
  for (int i = 0; i < 4000; ++i) closed += absl::StrCat("<p><b id=", i, ">x</b></p>");
  EXPECT_THAT(ExtractHtmlText(closed), IsOk());
}

TEST(HtmlTextTest, NestingWithinTheLimitIsParsed) {
  std::string html;
  for (int i = 0; i < 3000; ++i) html += "<div><span>";
  html += "Nội dung";
  absl::StatusOr<HtmlDocument> doc = ExtractHtmlText(html);
  ASSERT_THAT(doc, IsOk());
  EXPECT_EQ(doc->text, "Nội dung");
}

TEST(HtmlTextTest, ParseWorkLimitIsAnOption) {
  HtmlTextOptions options;
  options.max_parse_work = 10;
  EXPECT_THAT(
      ExtractHtmlText("<div><div><div><div><div><p>a</p></div></div></div></div></div>", options),
      StatusIs(absl::StatusCode::kResourceExhausted));
}

// ---------------------------------------------------------------------------
// Text.

TEST(HtmlTextTest, EmptyAndTextlessPagesGiveEmptyText) {
  for (const std::string& html :
       std::vector<std::string>{"", "<html></html>", Body("<p>&nbsp;</p><div> \n </div><img>")}) {
    HtmlDocument doc = Parse(html);
    EXPECT_EQ(doc.text, "") << html;
    EXPECT_THAT(doc.paragraphs, IsEmpty()) << html;
  }
}

TEST(HtmlTextTest, BlocksBecomeParagraphs) {
  HtmlDocument doc = Parse(Body(
      "<h1>Hội nghị Tỉnh ủy</h1><div>Sáng 20/7, Tỉnh ủy họp.</div>"
      "<p>Đồng chí Bí thư <b>phát biểu</b> chỉ đạo.</p>text after<section>Phần hai</section>"));
  EXPECT_EQ(doc.text,
            "Hội nghị Tỉnh ủy\n\nSáng 20/7, Tỉnh ủy họp.\n\nĐồng chí Bí thư phát biểu chỉ đạo."
            "\n\ntext after\n\nPhần hai");
  EXPECT_THAT(ParagraphTexts(doc),
              ElementsAre("Hội nghị Tỉnh ủy", "Sáng 20/7, Tỉnh ủy họp.",
                          "Đồng chí Bí thư phát biểu chỉ đạo.", "text after", "Phần hai"));
  EXPECT_EQ(doc.paragraphs[0].kind, HtmlBlockKind::kHeading);
  EXPECT_EQ(doc.paragraphs[0].heading_level, 1);
  EXPECT_EQ(doc.paragraphs[1].kind, HtmlBlockKind::kParagraph);
  EXPECT_EQ(doc.paragraphs[1].heading_level, 0);
}

TEST(HtmlTextTest, SpansSplitTheTextAtBlankLines) {
  HtmlDocument doc = Parse(Body("<p>Một</p><ul><li>Hai</li><li>Ba<br>bốn</li></ul><h3>Năm</h3>"));
  std::vector<std::string> split = absl::StrSplit(doc.text, "\n\n");
  EXPECT_EQ(split, ParagraphTexts(doc));
  for (size_t i = 1; i < doc.paragraphs.size(); ++i) {
    EXPECT_EQ(doc.paragraphs[i].begin, doc.paragraphs[i - 1].end + 2);
  }
}

TEST(HtmlTextTest, LineBreaks) {
  HtmlDocument doc = Parse(Body(
      "<div>Dòng một<br>  Dòng hai <br/>Dòng ba<br><br>Đoạn mới<br> <br>\n<br>Đoạn ba<br></div>"));
  EXPECT_THAT(ParagraphTexts(doc),
              ElementsAre("Dòng một\nDòng hai\nDòng ba", "Đoạn mới", "Đoạn ba"));
}

TEST(HtmlTextTest, WhitespaceAndNbspCollapse) {
  HtmlDocument doc =
      Parse(Body("<p>  Ban&nbsp;&nbsp;Chấp\n\thành   Trung\xC2\xA0ương  </p>"
                 "<p>Tỉnh<span>ủy</span> <span>Hậu</span> <i>Giang</i></p>"));
  EXPECT_THAT(ParagraphTexts(doc), ElementsAre("Ban Chấp hành Trung ương", "Tỉnhủy Hậu Giang"));
}

TEST(HtmlTextTest, PreKeepsWhitespaceButNotBlankLines) {
  HtmlDocument doc = Parse(Body("<pre>Điều 1.  Phạm vi\n    a) khoản một\n\n\nĐiều 2.</pre>"));
  ASSERT_EQ(doc.paragraphs.size(), 1u);
  EXPECT_EQ(doc.text, "Điều 1.  Phạm vi\n    a) khoản một\nĐiều 2.");
  EXPECT_EQ(doc.paragraphs[0].kind, HtmlBlockKind::kPreformatted);
  // Space-only lines are blank lines too; none at the ends.
  EXPECT_EQ(Parse(Body("<pre>  \n  a  \n \t\n b\n</pre>")).text, "a\n b");
}

TEST(HtmlTextTest, DecodesCharacterReferences) {
  HtmlDocument doc =
      Parse(Body("<p>&#272;&#7843;ng &amp; Nh&agrave; n&#x01B0;&#x1EDB;c "
                 "&ldquo;N&ecirc;u g&#432;&#417;ng&rdquo; &lt;1&gt;</p>"));
  EXPECT_EQ(doc.text, "Đảng & Nhà nước “Nêu gương” <1>");
}

TEST(HtmlTextTest, IgnoresAUtf8Bom) {
  EXPECT_EQ(Parse("\xEF\xBB\xBF<p>Tỉnh ủy</p>").text, "Tỉnh ủy");
}

TEST(HtmlTextTest, ListsTablesAndQuotes) {
  HtmlDocument doc = Parse(Body(
      "<ol><li>Thứ nhất</li><li>Thứ hai</li></ol><dl><dt>UBND</dt><dd>Ủy ban nhân dân</dd></dl>"
      "<table><tr><th>STT</th><th>Đơn vị</th></tr><tr><td>1</td><td></td><td>Huyện ủy</td></tr>"
      "</table><blockquote><p>Cán bộ là cái gốc của mọi công việc.</p></blockquote>"));
  EXPECT_THAT(ParagraphTexts(doc),
              ElementsAre("Thứ nhất", "Thứ hai", "UBND", "Ủy ban nhân dân", "STT\tĐơn vị",
                          "1\tHuyện ủy", "Cán bộ là cái gốc của mọi công việc."));
  EXPECT_EQ(doc.paragraphs[0].kind, HtmlBlockKind::kListItem);
  EXPECT_EQ(doc.paragraphs[3].kind, HtmlBlockKind::kListItem);
  EXPECT_EQ(doc.paragraphs[4].kind, HtmlBlockKind::kTableRow);
  EXPECT_EQ(doc.paragraphs[6].kind, HtmlBlockKind::kQuote);
}

TEST(HtmlTextTest, LayoutTableCellsWithParagraphsAreParagraphs) {
  HtmlDocument doc = Parse(
      Body("<table><tr><td><p>Đoạn một của bài.</p><p>Đoạn hai của bài.</p></td></tr></table>"));
  EXPECT_THAT(ParagraphTexts(doc), ElementsAre("Đoạn một của bài.", "Đoạn hai của bài."));
  EXPECT_EQ(doc.paragraphs[0].kind, HtmlBlockKind::kParagraph);
}

TEST(HtmlTextTest, DropsInvisibleAndInteractiveElements) {
  HtmlDocument doc = Parse(
      "<html><head><title>T</title><style>p{color:red}</style>"
      "<script>var a = '<p>không</p>';</script></head><body>"
      "<p>Giữ<script>document.write('x')</script> lại</p><!-- bình luận ẩn -->"
      "<noscript>Bật JavaScript</noscript><template><p>mẫu</p></template>"
      "<nav><a href=/>Trang chủ</a></nav>"
      "<form><label>Họ tên:(*)</label><input><textarea>Nội dung</textarea>"
      "<button>Gửi</button></form><iframe src=x>khung</iframe>"
      "<select><option>Chọn chuyên mục</option></select>"
      "<svg><text>Hình</text></svg><video>Trình duyệt không hỗ trợ</video>"
      "<p hidden>Ẩn một</p><div style=\"DISPLAY: none\">Ẩn hai</div>"
      "<p>Cuối bài</p></body></html>");
  EXPECT_THAT(ParagraphTexts(doc), ElementsAre("Giữ lại", "Cuối bài"));
}

TEST(HtmlTextTest, DropsNavigationSectionsButKeepsArticleOnes) {
  HtmlDocument doc = Parse(
      Body("<header><a href=/>Trang chủ</a> | <a href=/tin>Tin tức</a></header>"
           "<header role=\"banner\">Báo Bắc Giang - Cơ quan của Đảng bộ tỉnh</header>"
           "<article><header><h1>Hội nghị tổng kết</h1><p>Thứ Hai, 18/01/2021</p></header>"
           "<p>Nội dung bài viết về hội nghị tổng kết công tác năm.</p>"
           "<aside>Hội nghị có 200 đại biểu tham dự, trong đó có 30 đại biểu khách mời.</aside>"
           "<aside><h4>Tin liên quan</h4><ul><li><a href=1>Bài một</a></li>"
           "<li><a href=2>Bài hai dài hơn</a></li></ul></aside>"
           "<footer>Minh Anh</footer></article>"
           "<footer><nav><a href=/lh>Liên hệ</a></nav>Địa chỉ tòa soạn</footer>"
           "<aside></aside>"));
  EXPECT_THAT(ParagraphTexts(doc),
              ElementsAre("Hội nghị tổng kết", "Thứ Hai, 18/01/2021",
                          "Nội dung bài viết về hội nghị tổng kết công tác năm.",
                          "Hội nghị có 200 đại biểu tham dự, trong đó có 30 đại biểu khách mời.",
                          "Minh Anh"));
}

TEST(HtmlTextTest, DropsElementsNamedAsChromeUnlessTheyHoldTheArticle) {
  const std::string article =
      "Ban Thường vụ Tỉnh ủy đã ban hành kế hoạch thực hiện nghị quyết trong toàn Đảng bộ tỉnh.";
  HtmlDocument doc = Parse(
      Body("<div class=\"box-share\">Chia sẻ</div><div id=\"breadcrumb\">Tin tức</div>"
           "<div class=\"main-menu\">Trang chủ Thời sự</div>"
           "<div class=\"content with-comments\"><p>" +
           article +
           "</p></div>"
           "<div class=\"tin-lien-quan\">Bài khác</div><div class=\"binh_luan\">Ý kiến</div>"));
  EXPECT_THAT(ParagraphTexts(doc), ElementsAre(article));
}

TEST(HtmlTextTest, MarksCaptions) {
  HtmlDocument doc = Parse(
      Body("<p>Đoạn mở đầu.</p>"
           "<figure><img src=a.jpg><figcaption>Toàn cảnh hội nghị</figcaption></figure>"
           "<p>Đoạn hai.</p>"
           "<div class=\"PhotoCMS_Caption\"><p>Đồng chí Bí thư phát biểu</p></div>"
           "<table class=\"image\"><tr><td><img src=b.jpg></td></tr>"
           "<tr><td>Trao cờ luân lưu. Ảnh: Thu Hà</td></tr></table>"
           "<p style=\"text-align:center\"><img src=c.jpg></p><p><em>Đại biểu dự hội nghị</em></p>"
           "<p><img src=d.jpg><br><i>Lễ ký kết</i></p>"
           "<p><span class=\"chu-thich\">Ảnh minh họa</span> Đoạn ba.</p>"
           "<p><em>Đoạn in nghiêng nhưng không có ảnh.</em></p>"));
  EXPECT_THAT(Captions(doc), ElementsAre("Toàn cảnh hội nghị", "Đồng chí Bí thư phát biểu",
                                         "Trao cờ luân lưu. Ảnh: Thu Hà", "Đại biểu dự hội nghị",
                                         "Lễ ký kết", "Ảnh minh họa"));
  // Captions stay in the text, in place.
  EXPECT_THAT(
      ParagraphTexts(doc),
      ElementsAre("Đoạn mở đầu.", "Toàn cảnh hội nghị", "Đoạn hai.", "Đồng chí Bí thư phát biểu",
                  "Trao cờ luân lưu. Ảnh: Thu Hà", "Đại biểu dự hội nghị", "Lễ ký kết",
                  "Ảnh minh họa", "Đoạn ba.", "Đoạn in nghiêng nhưng không có ảnh."));
}

TEST(HtmlTextTest, ItalicAfterAnImageTableIsACaption) {
  HtmlDocument doc =
      Parse(Body("<table align=center><tbody><tr><td><a href=big.jpg><img src=e.jpg></a></td></tr>"
                 "</tbody></table><p><em>Đồng chí Chủ tịch UBND tỉnh kiểm tra công trình</em></p>"
                 "<p>Tiếp theo là nội dung bài.</p>"));
  EXPECT_THAT(Captions(doc), ElementsAre("Đồng chí Chủ tịch UBND tỉnh kiểm tra công trình"));
}

TEST(HtmlTextTest, ALayoutTableWithImagesIsNotACaption) {
  std::string rows;
  for (int i = 0; i < 6; ++i) rows += "<tr><td>Đoạn " + std::to_string(i) + " của bài.</td></tr>";
  HtmlDocument doc = Parse(Body("<table><tr><td><img src=a.jpg></td></tr>" + rows + "</table>"));
  EXPECT_THAT(Captions(doc), IsEmpty());
  EXPECT_EQ(doc.paragraphs.size(), 6u);
}

// ---------------------------------------------------------------------------
// Metadata.

TEST(HtmlTextTest, ReadsMetadata) {
  HtmlDocument doc = Parse(
      "<html><head><title>\n  Hội nghị Tỉnh ủy  |  Báo Bắc Giang\n</title>"
      "<meta property=\"og:title\" content=\"Hội nghị Tỉnh ủy\">"
      "<meta property=\"og:url\" content=\"https://baobacgiang.vn/hoi-nghi.html\">"
      "<link rel=\"stylesheet\" href=\"s.css\"><link rel=\"Canonical\" href=\" "
      "https://baobacgiang.vn/a.html \">"
      "<META NAME=\"Author\" CONTENT=\"Minh Anh\">"
      "<meta property=\"article:published_time\" content=\"2021-01-18T09:10:00+07:00\">"
      "<meta name=\"pubdate\" content=\"2020-01-01\">"
      "</head><body><p>x</p></body></html>");
  ASSERT_TRUE(doc.title.has_value());
  EXPECT_EQ(doc.title->value, "Hội nghị Tỉnh ủy | Báo Bắc Giang");
  EXPECT_EQ(doc.title->origin, "<title>");
  ASSERT_TRUE(doc.og_title.has_value());
  EXPECT_EQ(doc.og_title->value, "Hội nghị Tỉnh ủy");
  EXPECT_EQ(doc.og_title->origin, "<meta property=\"og:title\">");
  ASSERT_TRUE(doc.og_url.has_value());
  EXPECT_EQ(doc.og_url->value, "https://baobacgiang.vn/hoi-nghi.html");
  ASSERT_TRUE(doc.canonical_url.has_value());
  EXPECT_EQ(doc.canonical_url->value, "https://baobacgiang.vn/a.html");
  ASSERT_TRUE(doc.author.has_value());
  EXPECT_EQ(doc.author->value, "Minh Anh");
  ASSERT_TRUE(doc.published_time.has_value());
  EXPECT_EQ(doc.published_time->value, "2021-01-18T09:10:00+07:00");
  EXPECT_EQ(doc.published_time->origin, "<meta property=\"article:published_time\">");
  EXPECT_EQ(doc.published_at, Utc(2021, 1, 18, 2, 10));
}

TEST(HtmlTextTest, MissingMetadataStaysEmpty) {
  HtmlDocument doc = Parse(Body("<p>Chỉ có nội dung.</p>"));
  EXPECT_FALSE(doc.title.has_value());
  EXPECT_FALSE(doc.og_title.has_value());
  EXPECT_FALSE(doc.published_time.has_value());
  EXPECT_FALSE(doc.published_at.has_value());
  EXPECT_FALSE(doc.author.has_value());
  EXPECT_FALSE(doc.canonical_url.has_value());
  EXPECT_FALSE(doc.og_url.has_value());
}

TEST(HtmlTextTest, PublishedTimeShapes) {
  struct Case {
    std::string meta;
    std::optional<absl::Time> expected;
  };
  const std::vector<Case> cases = {
      {"<meta property=\"article:published_time\" content=\"2019-07-20T15:25:00Z\">",
       Utc(2019, 7, 20, 15, 25)},
      {"<meta property=\"article:published_time\" content=\"2019-07-20T15:25:00.500+0700\">",
       Utc(2019, 7, 20, 8, 25) + absl::Milliseconds(500)},
      {"<meta itemprop=\"datePublished\" content=\"2019-07-20T15:25\">", Utc(2019, 7, 20, 8, 25)},
      {"<meta name=\"pubdate\" content=\"2019-07-20 15:25:00\">", Utc(2019, 7, 20, 8, 25)},
      {"<meta name=\"date\" content=\"2019-07-20\">", Utc(2019, 7, 19, 17, 0)},
      {"<meta name=\"publishdate\" content=\"20/07/2019 15:25\">", Utc(2019, 7, 20, 8, 25)},
      {"<meta name=\"dc.date.issued\" content=\"hôm qua\">", std::nullopt},
  };
  for (const Case& c : cases) {
    HtmlDocument doc = Parse("<html><head>" + c.meta + "</head><body></body></html>");
    EXPECT_TRUE(doc.published_time.has_value()) << c.meta;
    EXPECT_EQ(doc.published_at, c.expected) << c.meta;
  }
}

TEST(HtmlTextTest, AuthorThatIsAUrlIsSkipped) {
  HtmlDocument doc = Parse(
      "<html><head><meta property=\"article:author\" content=\"https://fb.com/bao\">"
      "<meta name=\"dc.creator\" content=\"Thu Hà\"></head></html>");
  ASSERT_TRUE(doc.author.has_value());
  EXPECT_EQ(doc.author->value, "Thu Hà");
}

TEST(HtmlTextTest, MetadataInTheBodyAndSvgTitles) {
  HtmlDocument doc =
      Parse(Body("<svg><title>Biểu tượng</title></svg><div itemscope>"
                 "<meta itemprop=\"datePublished\" content=\"2020-05-21T07:30:00+07:00\"></div>"
                 "<title>Tiêu đề muộn</title><p>Bài</p>"));
  EXPECT_EQ(doc.published_at, Utc(2020, 5, 21, 0, 30));
  ASSERT_TRUE(doc.title.has_value());
  EXPECT_EQ(doc.title->value, "Tiêu đề muộn");
  EXPECT_EQ(doc.text, "Bài");
}

// A page built like the outlets' article pages: site header and menu, the
// article with a photo box, related links and a comment form, site footer.
TEST(HtmlTextTest, NewsPage) {
  const std::string html = R"(<!DOCTYPE html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <title>Huyện ủy Tiên Lãng nâng cao chất lượng sinh hoạt chi bộ - Báo Hải Phòng</title>
  <meta property="og:title" content="Huyện ủy Tiên Lãng nâng cao chất lượng sinh hoạt chi bộ">
  <meta property="article:published_time" content="2020-03-12T09:40:00+07:00">
  <link rel="canonical" href="https://baohaiphong.vn/tien-lang-12345.html">
  <script>window.dataLayer = [];</script>
</head>
<body>
  <div class="top-bar">Hôm nay, ngày 12 tháng 3 năm 2020 <a href="/rss">RSS</a></div>
  <ul class="main-menu">
    <li><a href="/">Trang chủ</a></li><li><a href="/xd">Xây dựng Đảng</a></li>
  </ul>
  <div id="content">
    <h1 class="title">Huyện ủy Tiên Lãng nâng cao chất lượng sinh hoạt chi bộ</h1>
    <div class="date">12/03/2020 09:40</div>
    <div class="tools">Cỡ chữ: <a>A+</a> <a>A-</a> | <a>In tin bài</a></div>
    <p class="sapo">
      <strong>HPO - Sáng 12/3, Huyện ủy Tiên Lãng tổ chức hội nghị chuyên đề.</strong>
    </p>
    <table class="image" align="center">
      <tr><td><img src="/img/hoi-nghi.jpg" alt="hội nghị"></td></tr>
      <tr><td class="image_desc">Quang cảnh hội nghị. Ảnh: Minh Châu</td></tr>
    </table>
    <p>Năm 2019, toàn huyện có 312 chi bộ trực thuộc&nbsp;với hơn 9.400 đảng viên.</p>
    <p>Nhiều chi bộ đã đổi mới nội dung sinh hoạt,<br>
       gắn với nhiệm vụ chính trị của địa phương.</p>
    <p style="text-align:right"><strong>Minh Châu</strong></p>
    <div class="related-news"><h3>Tin liên quan</h3>
      <ul><li><a href="/1">Kiến Thụy tổng kết công tác xây dựng Đảng</a></li></ul></div>
    <div class="comment-box">
      <form>Họ tên:(*) <input name="n"> Mã xác nhận: <img src="/captcha"></form>
    </div>
  </div>
  <footer>
    <p><a href="/gt">Giới thiệu</a> | <a href="/lh">Liên hệ</a> | <a href="/qc">Quảng cáo</a>
       | <a href="/db">Đặt báo</a></p>
    <p>© Báo Hải Phòng</p>
  </footer>
</body>
</html>)";
  ASSERT_TRUE(LooksLikeHtml(html));
  HtmlDocument doc = Parse(html);
  EXPECT_THAT(
      ParagraphTexts(doc),
      ElementsAre("Hôm nay, ngày 12 tháng 3 năm 2020 RSS",
                  "Huyện ủy Tiên Lãng nâng cao chất lượng sinh hoạt chi bộ", "12/03/2020 09:40",
                  "Cỡ chữ: A+ A- | In tin bài",
                  "HPO - Sáng 12/3, Huyện ủy Tiên Lãng tổ chức hội nghị chuyên đề.",
                  "Quang cảnh hội nghị. Ảnh: Minh Châu",
                  "Năm 2019, toàn huyện có 312 chi bộ trực thuộc với hơn 9.400 đảng viên.",
                  "Nhiều chi bộ đã đổi mới nội dung sinh hoạt,\ngắn với nhiệm vụ chính trị của "
                  "địa phương.",
                  "Minh Châu"));
  EXPECT_THAT(Captions(doc), ElementsAre("Quang cảnh hội nghị. Ảnh: Minh Châu"));
  EXPECT_EQ(doc.paragraphs[1].kind, HtmlBlockKind::kHeading);
  ASSERT_TRUE(doc.og_title.has_value());
  EXPECT_EQ(doc.og_title->value, "Huyện ủy Tiên Lãng nâng cao chất lượng sinh hoạt chi bộ");
  EXPECT_EQ(doc.published_at, Utc(2020, 3, 12, 2, 40));
  ASSERT_TRUE(doc.canonical_url.has_value());
  EXPECT_EQ(doc.canonical_url->value, "https://baohaiphong.vn/tien-lang-12345.html");
}

// What ingest will do with a page: text first, then the boilerplate rules
// take what the HTML structure did not give away.
TEST(HtmlTextTest, PageTextThenBoilerplate) {
  HtmlDocument doc = Parse(Body(
      "<div class=\"tools\">Cỡ chữ: <a>A+</a> <a>A-</a> | <a>In tin bài</a></div>"
      "<p>Sáng 12/3, Huyện ủy Tiên Lãng tổ chức hội nghị chuyên đề.</p>"
      "<p><em>Minh Châu</em></p><p>.</p>"
      "<div class=\"footer\">© Bản quyền thuộc Báo Hải Phòng</div>"));
  BoilerplateResult cleaned = RemoveBoilerplate(doc.text);
  EXPECT_EQ(cleaned.text,
            "Sáng 12/3, Huyện ủy Tiên Lãng tổ chức hội nghị chuyên đề.\n\nMinh Châu\n");
  ASSERT_EQ(cleaned.removed.size(), 3u);
  EXPECT_EQ(cleaned.removed[0].rule, "font-size-widget");
  EXPECT_EQ(cleaned.removed[1].rule, "punctuation-only");
  EXPECT_EQ(cleaned.removed[2].rule, "copyright-footer");
}

TEST(HtmlTextTest, BlockKindNames) {
  EXPECT_EQ(HtmlBlockKindName(HtmlBlockKind::kParagraph), "paragraph");
  EXPECT_EQ(HtmlBlockKindName(HtmlBlockKind::kHeading), "heading");
  EXPECT_EQ(HtmlBlockKindName(HtmlBlockKind::kListItem), "list_item");
  EXPECT_EQ(HtmlBlockKindName(HtmlBlockKind::kTableRow), "table_row");
  EXPECT_EQ(HtmlBlockKindName(HtmlBlockKind::kQuote), "quote");
  EXPECT_EQ(HtmlBlockKindName(HtmlBlockKind::kPreformatted), "preformatted");
}

// ---------------------------------------------------------------------------
// Sniffing.

TEST(LooksLikeHtmlTest, RecognisesPagesAndFragments) {
  for (const std::string bytes :
       {"<!DOCTYPE html><html>", "<!doctype HTML>", "\xEF\xBB\xBF  \n<html lang=vi>", "<HTML>",
        "<head><title>x</title>", "<body>", "<p>Đoạn một</p>", "<P class=a>", "<div id=main>",
        "<table>", "<h2>Tiêu đề</h2>", "<!-- saved from url -->", "<br/>", "<meta charset=utf-8>",
        "<a href=x>", "Đoạn mở đầu không có thẻ<br>rồi đến <p>đoạn hai</p>",
        "Tỉnh ủy họp </p>\n<p>Sáng nay"}) {
    EXPECT_TRUE(LooksLikeHtml(bytes)) << bytes;
  }
}

TEST(LooksLikeHtmlTest, PlainTextIsNotHtml) {
  for (const std::string bytes :
       {"", "   ", "Hội nghị Tỉnh ủy (15:25 20/07/2019)\n\nHNP - Sáng 20/7, ...",
        "Tỷ lệ đạt < 5% và > 2% so với cùng kỳ", "Văn bản có một thẻ <p> được nhắc tới",
        "<<Tiêu đề>>", "<pre-amble> không phải thẻ", "<html", "<3 Hà Nội", "<paragraph>",
        "<divider>"}) {
    EXPECT_FALSE(LooksLikeHtml(bytes)) << bytes;
  }
}

TEST(LooksLikeHtmlTest, OnlyTheStartIsRead) {
  std::string text(2000, 'a');
  EXPECT_FALSE(LooksLikeHtml(text + "<p>x</p><div>y</div>"));
}

}  // namespace
}  // namespace ingest
}  // namespace vnarchive
