#include "services/ingest/core/boilerplate.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ingest/core/metadata.h"

namespace vnarchive {
namespace ingest {
namespace {

using ::testing::IsEmpty;

// One line of a test page: article text that must survive, or boilerplate
// that must go, naming the rule expected to remove it.
struct PageLine {
  std::string text;
  std::string removed_by;  // empty: an article line (or a blank line)
};

PageLine Keep(std::string text) { return {std::move(text), ""}; }
PageLine Drop(std::string text, std::string rule) { return {std::move(text), std::move(rule)}; }

std::string Join(const std::vector<PageLine>& page) {
  std::string text;
  for (const PageLine& line : page) {
    text += line.text;
    text += "\n";
  }
  return text;
}

// Only spaces, tabs and NBSPs.
bool IsBlank(absl::string_view line) {
  while (!line.empty()) {
    if (!absl::ConsumePrefix(&line, " ") && !absl::ConsumePrefix(&line, "\t") &&
        !absl::ConsumePrefix(&line, "\xC2\xA0")) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> OutputLines(const BoilerplateResult& result) {
  return absl::StrSplit(result.text, '\n');
}

// Every article line is still there, whole, and every boilerplate line is
// gone, removed by the expected rule; nothing else was removed.
void ExpectCleaned(const std::vector<PageLine>& page) {
  const BoilerplateResult result = RemoveBoilerplate(Join(page));
  const std::vector<std::string> out = OutputLines(result);
  std::vector<std::string> expected_removed;
  for (const PageLine& line : page) {
    if (line.removed_by.empty()) {
      if (IsBlank(line.text)) continue;
      EXPECT_THAT(out, ::testing::Contains(line.text)) << "article line lost: " << line.text;
    } else {
      EXPECT_THAT(out, ::testing::Not(::testing::Contains(line.text)))
          << "boilerplate kept: " << line.text;
      expected_removed.push_back(line.removed_by + " <- " + line.text);
    }
  }
  std::vector<std::string> removed;
  for (const RemovedLine& line : result.removed) {
    removed.push_back(std::string(line.rule) + " <- " + line.text);
  }
  EXPECT_EQ(removed, expected_removed);
}

// Splits a paragraph into sentences at ". ", "! " and "? " (the test texts
// have no abbreviations with dots).
std::vector<std::string> Sentences(absl::string_view paragraph) {
  std::vector<std::string> sentences;
  std::string current;
  for (size_t i = 0; i < paragraph.size(); ++i) {
    current.push_back(paragraph[i]);
    char c = paragraph[i];
    if ((c == '.' || c == '!' || c == '?') &&
        (i + 1 == paragraph.size() || paragraph[i + 1] == ' ')) {
      if (!IsBlank(current)) sentences.push_back(current);
      current.clear();
      if (i + 1 < paragraph.size()) ++i;  // the space
    }
  }
  if (!IsBlank(current)) sentences.push_back(current);
  return sentences;
}

// Checks sentence by sentence as well: a sentence is never cut or dropped.
void ExpectEverySentenceKept(const std::vector<PageLine>& page) {
  const BoilerplateResult result = RemoveBoilerplate(Join(page));
  for (const PageLine& line : page) {
    if (!line.removed_by.empty()) continue;
    for (const std::string& sentence : Sentences(line.text)) {
      EXPECT_NE(result.text.find(sentence), std::string::npos) << "sentence lost: " << sentence;
    }
  }
}

// ---------------------------------------------------------------------------
// Pages modelled on the structure of real scraped articles (the texts are
// written for these tests).

// Title with a parenthesised dateline, outlet prefix, photo captions between
// paragraphs, a byline, then the site's article lists and comment form with a
// captcha whose text lost its encoding.
std::vector<PageLine> PageWithCommentForm() {
  return {
      Keep("Huyện ủy Tiên Lãng: Nâng cao chất lượng sinh hoạt chi bộ ở cơ sở (09:40 12/03/2020)"),
      Keep(""),
      Keep("HPO - Sáng 12/3, Huyện ủy Tiên Lãng tổ chức hội nghị chuyên đề về nâng cao chất "
           "lượng sinh hoạt chi bộ. Đồng chí Phạm Văn Hòa, Bí thư Huyện ủy chủ trì hội nghị. "),
      Keep(""),
      Keep("Quang cảnh hội nghị"),
      Keep(""),
      Keep("Theo báo cáo, năm 2019 toàn huyện có 312 chi bộ trực thuộc với hơn 9.400 đảng viên. "
           "Tỷ lệ chi bộ duy trì sinh hoạt định kỳ hằng tháng đạt 100%. Nhiều chi bộ đã đổi mới "
           "nội dung sinh hoạt, gắn với nhiệm vụ chính trị của địa phương."),
      Keep("\xC2\xA0"),
      Keep("Đồng chí Phạm Văn Hòa phát biểu kết luận hội nghị"),
      Keep("\xC2\xA0"),
      Keep("Phát biểu kết luận, đồng chí Phạm Văn Hòa đề nghị các cấp ủy tiếp tục thực hiện "
           "nghiêm Chỉ thị 05-CT/TW và Quy định 08-QĐi/TW về trách nhiệm nêu gương. Bí thư chi bộ "
           "phải chuẩn bị kỹ nội dung trước mỗi kỳ sinh hoạt!"),
      Keep(""),
      Keep("Minh Châu"),
      Keep(""),
      Keep(""),
      Drop("Các bài mới đăng", "related-articles"),
      Keep(""),
      Drop("Các bài đã đăng :", "related-articles"),
      Keep(""),
      Drop("Bài viết Xem", "view-count-widget"),
      Drop("Viết bình luận", "comment-section"),
      Keep(""),
      Drop("Họ tên:(*)", "form-field"),
      Drop("Số điện thoại:", "form-field"),
      Drop("Tiêu đề:(*)", "form-field"),
      Drop("Nội dung:(*)", "form-field"),
      Drop("Mã xác nhận: \xC2\xA0\xC2\xA0\xC2\xA0 \xC2\xA0 L?y l?i m\xEF\xBF\xBD b?o m?t",
           "captcha"),
  };
}

// Site header (today's date, font size, section path) above the title, a
// dateline, a list introduced by ':', a byline with organisation, then
// print/save widgets, the related-articles heading, NBSP lines and an app
// link.
std::vector<PageLine> PageWithSiteHeader() {
  return {
      Drop("Hôm nay, ngày 5 tháng 6 năm 2020", "site-header-date"),
      Drop("Cỡ chữ: A+ A-", "font-size-widget"),
      Drop("ĐẢNG BỘ TỈNH | CÔNG TÁC TỔ CHỨC - CÁN BỘ", "breadcrumb"),
      Keep(""),
      Keep("Kết quả thực hiện Nghị quyết Trung ương 4 (khóa XII) ở Đảng bộ Khối"),
      Keep(""),
      Keep("5.6.2020 - 8:15"),
      Keep(""),
      Keep("Sau ba năm thực hiện, các tổ chức cơ sở đảng trực thuộc đã có nhiều chuyển biến. "
           "Kết quả cụ thể như sau: "),
      Keep(""),
      Keep("- 100% chi bộ tổ chức học tập, quán triệt nghị quyết;"),
      Keep("- 96% đảng viên đăng ký kế hoạch tu dưỡng, rèn luyện;"),
      Keep("- Không có đảng viên vi phạm đến mức phải xử lý kỷ luật."),
      Keep(""),
      Keep("Tuy vậy, một số nơi còn hình thức. Có cấp ủy chưa kiểm tra việc thực hiện cam kết? "
           "Đây là hạn chế cần khắc phục trong thời gian tới."),
      Keep(""),
      Keep("Trần Hữu Nghĩa - Ban Tổ chức Tỉnh ủy"),
      Drop("In tin bàiLưu tin bài", "print-save-widget"),
      Drop("CÁC TIN KHÁC", "related-articles"),
      Keep(""),
      Keep(""),
      Keep("\xC2\xA0"),
      Keep("\xC2\xA0"),
      Keep(""),
      Drop("Android APK", "app-store-link"),
  };
}

// A weekday dateline, dots where widgets were, a photo caption repeated with
// its credit, a byline and a tail of dot lines.
std::vector<PageLine> PageWithDotLines() {
  return {
      Keep("Nâng cao vai trò nêu gương của người đứng đầu cấp ủy"),
      Keep(""),
      Keep("Thứ Năm, 21/05/2020, 07:30 [GMT+7]"),
      Drop(".", "punctuation-only"),
      Drop(".", "punctuation-only"),
      Keep(""),
      Keep("Thực hiện Quy định 08-QĐi/TW, Ban Thường vụ Tỉnh ủy đã ban hành kế hoạch cụ thể hóa "
           "trách nhiệm nêu gương. Mỗi cán bộ chủ chốt đăng ký ít nhất một việc làm cụ thể."),
      Keep(""),
      Keep("Đồng chí Bí thư Tỉnh ủy kiểm tra công trình đường giao thông nông thôn tại xã Đồng "
           "Tâm. Ảnh: Thu Hà (CTV)"),
      Keep("Đồng chí Bí thư Tỉnh ủy kiểm tra công trình đường giao thông nông thôn tại xã Đồng "
           "Tâm. Ảnh: Thu Hà (CTV)"),
      Keep(""),
      Keep("Qua đó, tinh thần trách nhiệm của cán bộ, đảng viên được nâng lên rõ rệt…"),
      Keep(""),
      Keep("Thu Hà"),
      Keep(""),
      Drop(".", "punctuation-only"),
      Drop("..........", "punctuation-only"),
      Drop("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", "punctuation-only"),
      Drop(",", "punctuation-only"),
  };
}

// Subheadings, a repeated lead paragraph, a "Nguồn" line with a URL and
// initials as byline: nothing here is boilerplate.
std::vector<PageLine> PageWithoutBoilerplate() {
  return {
      Keep("Bắc Giang: Siết chặt kỷ luật, kỷ cương hành chính"),
      Keep(""),
      Keep("Tỉnh ủy Bắc Giang vừa tổng kết năm năm thực hiện Chỉ thị 26-CT/TU về siết chặt kỷ "
           "luật, kỷ cương hành chính."),
      Keep(""),
      Keep("Tỉnh ủy Bắc Giang vừa tổng kết năm năm thực hiện Chỉ thị 26-CT/TU về siết chặt kỷ "
           "luật, kỷ cương hành chính."),
      Keep(""),
      Keep("Nhiều kết quả tích cực"),
      Keep(""),
      Keep("Hôm nay, nhiều cơ quan đã công khai số điện thoại đường dây nóng."),
      Keep("Chia sẻ tại hội nghị, đồng chí Giám đốc Sở Nội vụ cho biết: Xem xét trách nhiệm người "
           "đứng đầu là khâu then chốt."),
      Keep(""),
      Keep("Bài học kinh nghiệm"),
      Keep(""),
      Keep("Nội dung:"),
      Keep("- Phát huy vai trò của người đứng đầu;"),
      Keep("- Công khai kết quả đánh giá cán bộ."),
      Keep(""),
      Keep("T.H"),
      Keep(""),
      Keep("Nguồn Xây Dựng Đảng: http://www.xaydungdang.org.vn/bai-viet-12345"),
  };
}

TEST(BoilerplateTest, EmptyTextGivesEmptyResult) {
  const BoilerplateResult result = RemoveBoilerplate("");
  EXPECT_EQ(result.text, "");
  EXPECT_THAT(result.removed, IsEmpty());
}

TEST(BoilerplateTest, InvalidUtf8NeverCrashesAndArticleBytesAreKept) {
  const std::string line =
      "Hội nghị \xff\xfe đã thảo luận nhiều giải pháp thiết thực để nâng cao chất lượng.";
  const BoilerplateResult result = RemoveBoilerplate(line + "\n\xff\n\xc3");
  EXPECT_EQ(result.text, line + "\n");
  EXPECT_EQ(result.removed.size(), 2u);
}

TEST(BoilerplateTest, CommentFormPage) { ExpectCleaned(PageWithCommentForm()); }
TEST(BoilerplateTest, CommentFormPageKeepsEverySentence) {
  ExpectEverySentenceKept(PageWithCommentForm());
}

TEST(BoilerplateTest, SiteHeaderPage) { ExpectCleaned(PageWithSiteHeader()); }
TEST(BoilerplateTest, SiteHeaderPageKeepsEverySentence) {
  ExpectEverySentenceKept(PageWithSiteHeader());
}

TEST(BoilerplateTest, DotLinesPage) { ExpectCleaned(PageWithDotLines()); }
TEST(BoilerplateTest, DotLinesPageKeepsEverySentence) {
  ExpectEverySentenceKept(PageWithDotLines());
}

TEST(BoilerplateTest, PageWithoutBoilerplateIsUnchanged) {
  const std::vector<PageLine> page = PageWithoutBoilerplate();
  ExpectCleaned(page);
  // Byte for byte, apart from the final line end every output line has.
  EXPECT_EQ(RemoveBoilerplate(Join(page)).text, Join(page));
}

TEST(BoilerplateTest, HeaderExample) {
  const BoilerplateResult result = RemoveBoilerplate(
      "Tỉnh ủy họp phiên thường kỳ\n"
      "Cỡ chữ: A+ A-\n\n"
      "Sáng 3/4, Tỉnh ủy họp phiên thường kỳ tháng 4 năm 2021.\n\n"
      "Trần Minh\n"
      "In tin bàiLưu tin bài\n"
      "CÁC TIN KHÁC\n"
      "Huyện ủy tổng kết năm\n");
  EXPECT_EQ(result.text,
            "Tỉnh ủy họp phiên thường kỳ\n\n"
            "Sáng 3/4, Tỉnh ủy họp phiên thường kỳ tháng 4 năm 2021.\n\n"
            "Trần Minh\n");
  ASSERT_EQ(result.removed.size(), 4u);
  EXPECT_EQ(result.removed[0].line_number, 2);
  EXPECT_EQ(result.removed[0].text, "Cỡ chữ: A+ A-");
  EXPECT_EQ(result.removed[0].rule, "font-size-widget");
  EXPECT_EQ(result.removed[1].line_number, 7);
  EXPECT_EQ(result.removed[1].rule, "print-save-widget");
  EXPECT_EQ(result.removed[2].line_number, 8);
  EXPECT_EQ(result.removed[2].rule, "related-articles");
  EXPECT_EQ(result.removed[3].line_number, 9);
  EXPECT_EQ(result.removed[3].rule, "related-articles");
}

TEST(BoilerplateTest, MatchesIgnoringCaseDiacriticsAndNormalForm) {
  for (const std::string heading :
       {"CÁC TIN KHÁC", "Các tin khác", "cac tin khac", "Các tin khác:", "» Các tin khác",
        "Ca\xCC\x81\x63 tin kha\xCC\x81\x63" /* NFD */, "Các\xC2\xA0tin  khác"}) {
    const BoilerplateResult result = RemoveBoilerplate(heading + "\nHuyện ủy tổng kết năm\n");
    EXPECT_EQ(result.text, "") << heading;
    ASSERT_EQ(result.removed.size(), 2u) << heading;
    EXPECT_EQ(result.removed[0].rule, "related-articles");
  }
  // Both tone-mark styles of a form button: "Hủy" and "Huỷ".
  for (const std::string button : {"Gửi | Hủy", "Gửi | Huỷ", "GỬI - HUỶ"}) {
    const BoilerplateResult result = RemoveBoilerplate(button + "\n");
    ASSERT_EQ(result.removed.size(), 1u) << button;
    EXPECT_EQ(result.removed[0].rule, "form-button");
  }
}

TEST(BoilerplateTest, TrailingBlockEndsAtArticleProse) {
  const std::vector<PageLine> page = {
      Keep("Đoàn công tác của Tỉnh ủy đã làm việc với Huyện ủy Yên Dũng về công tác cán bộ."),
      Drop("Tin liên quan:", "related-articles"),
      Drop("Huyện ủy Lục Nam tổng kết công tác năm 2019", "related-articles"),
      Drop("Vì sao cán bộ ngại nêu gương?", "related-articles"),
      Drop("Chia sẻ", "share-widget"),
      Keep(""),
      Keep("Tại buổi làm việc, đồng chí Trưởng đoàn đề nghị Huyện ủy tiếp tục rà soát quy hoạch "
           "cán bộ."),
      Keep("Thu Trang"),
  };
  ExpectCleaned(page);
}

TEST(BoilerplateTest, CommentSectionKeepsReadersProse) {
  // Readers' comments are prose and are not the outlet's boilerplate; only
  // the form around them goes.
  const std::vector<PageLine> page = {
      Keep("Hội nghị đã thống nhất thông qua nghị quyết về công tác xây dựng Đảng năm 2020."),
      Drop("Ý kiến bạn đọc", "comment-section"),
      Drop("Nguyễn Văn Nam", "comment-section"),
      Keep("Bài viết rất thiết thực, mong các cấp ủy thực hiện nghiêm túc và thường xuyên hơn."),
  };
  ExpectCleaned(page);
}

TEST(BoilerplateTest, FormFieldWithOnlyColonNeedsAFormNeighbour) {
  // Alone, "Nội dung:" may head a list of an official text.
  ExpectCleaned({Keep("Nội dung:"), Keep("- Kiện toàn tổ chức bộ máy;")});
  ExpectCleaned({Keep("Tiêu đề"), Keep("Họ tên")});  // no ':' or marker: never a field
  ExpectCleaned({Drop("Email:", "form-field"), Drop("Nội dung:(*)", "form-field")});
  ExpectCleaned({Drop("Họ và tên:", "form-field"), Keep(""), Drop("Địa chỉ email:", "form-field")});
  ExpectCleaned({Drop("Nội dung:", "form-field"), Drop("Mã bảo mật: 7 3 9 1", "captcha")});
}

TEST(BoilerplateTest, GarbledTextButNotQuestions) {
  ExpectCleaned({Drop("L?y l?i m\xEF\xBF\xBD b?o m?t", "garbled-text")});
  ExpectCleaned({Drop("\xEF\xBF\xBD\xEF\xBF\xBDng k\xEF\xBF\xBD", "garbled-text")});
  ExpectCleaned({Keep("Vì sao? Tại sao?"), Keep("Có nên?Không?")});
  // A long line with a few replacement characters is article text.
  ExpectCleaned(
      {Keep("Hội nghị \xEF\xBF\xBD\xEF\xBF\xBD đã thảo luận và thống nhất nhiều giải "
            "pháp quan trọng cho nhiệm kỳ tới.")});
}

TEST(BoilerplateTest, SiteHeaderDateButNotASentenceAboutToday) {
  ExpectCleaned(
      {Drop("Hôm nay, ngày 18 tháng 1 năm 2019", "site-header-date"),
       Drop("Hôm nay: Thứ Hai, 18/01/2019", "site-header-date"),
       Keep("Hôm nay, Tỉnh ủy tổ chức hội nghị tổng kết."),
       Keep("Hôm nay, ngày 18 tháng 1 năm 2019, tại Hội trường Tỉnh ủy, chúng tôi gồm:")});
}

TEST(BoilerplateTest, BreadcrumbNeedsCapitalsAndASeparator) {
  ExpectCleaned({Drop("TIN TỨC » CHÍNH TRỊ", "breadcrumb"), Keep("PHẦN I. KẾT QUẢ ĐẠT ĐƯỢC"),
                 Keep("Thời gian | Địa điểm | Thành phần")});
}

TEST(BoilerplateTest, WidgetWordsInsideSentencesAreKept) {
  ExpectCleaned({Keep("Chia sẻ tại hội nghị, đồng chí Bí thư nhấn mạnh vai trò nêu gương."),
                 Keep("Xem xét kỷ luật"), Keep("Ứng dụng công nghệ thông tin"),
                 Keep("In ấn tài liệu"), Drop("Chia sẻ: Facebook | Zalo | Email", "share-widget"),
                 Drop("Lượt xem: 1.234", "view-count-widget"),
                 Drop("Về đầu trang", "navigation-widget")});
}

TEST(BoilerplateTest, ToolbarMixingWidgetsIsReportedUnderItsFirstLabel) {
  ExpectCleaned({Drop("Cỡ chữ: A+ A- | In tin bài | Chia sẻ", "font-size-widget"),
                 Drop("Chia sẻ In tin bàiLưu tin bài", "share-widget")});
}

TEST(BoilerplateTest, HugeLinesAreKept) {
  // A broken scrape can put megabytes in one "word"; shapes are not tried on it.
  const std::string word(4 << 20, 'a');
  const std::string glued = "In tin bài" + std::string(1000, '.');
  const BoilerplateResult result = RemoveBoilerplate(word + "\n" + glued + "\n");
  EXPECT_EQ(result.text, word + "\n" + glued + "\n");
  EXPECT_THAT(result.removed, IsEmpty());
}

TEST(BoilerplateTest, FooterLines) {
  ExpectCleaned({Keep("Nguồn Báo Bắc Giang: https://baobacgiang.vn/bai-viet-1"),
                 Drop("© Bản quyền thuộc Báo Bắc Giang", "copyright-footer"),
                 Drop("Ghi rõ nguồn \"Báo Bắc Giang\" khi phát hành lại thông tin từ website này.",
                      "reprint-notice")});
}

TEST(BoilerplateTest, OutputLineEndsAndBlankLines) {
  const BoilerplateResult result = RemoveBoilerplate(
      "\r\n \r\n\xC2\xA0"
      "Dòng một\r\n\r\n\r\n\t\r\nIn tin bài\r\n\r\nDòng hai\rDòng ba\r\n\r\n");
  // Kept lines byte for byte (the leading NBSP too), one blank line at most.
  EXPECT_EQ(result.text,
            "\xC2\xA0"
            "Dòng một\n\nDòng hai\nDòng ba\n");
  ASSERT_EQ(result.removed.size(), 1u);
  EXPECT_EQ(result.removed[0].line_number, 7);
}

TEST(BoilerplateTest, OnlyBoilerplateGivesEmptyText) {
  const BoilerplateResult result = RemoveBoilerplate(".\n\nIn tin bài\n\nAndroid APK\n");
  EXPECT_EQ(result.text, "");
  EXPECT_EQ(result.removed.size(), 3u);
}

// ---------------------------------------------------------------------------
// The table itself.

TEST(BoilerplateRulesTest, NamesAreUniqueAndRowsComplete) {
  std::set<absl::string_view> names;
  for (const BoilerplateRule& rule : BoilerplateRules()) {
    EXPECT_TRUE(names.insert(rule.name).second) << "duplicate rule " << rule.name;
    EXPECT_FALSE(rule.example.empty()) << rule.name;
    EXPECT_FALSE(rule.why.empty()) << rule.name;
    const bool needs_patterns = rule.kind != BoilerplateRuleKind::kNoLetterOrDigit &&
                                rule.kind != BoilerplateRuleKind::kGarbled;
    EXPECT_EQ(!rule.patterns.empty(), needs_patterns) << rule.name;
  }
}

TEST(BoilerplateRulesTest, EachExampleIsRemovedByItsOwnRule) {
  const std::string before =
      "Ban Thường vụ Tỉnh ủy đã ban hành kế hoạch thực hiện nghị quyết trong toàn Đảng bộ.\n\n";
  const std::string after =
      "\n\nCác cấp ủy cần tiếp tục kiểm tra, giám sát việc thực hiện kế hoạch đã đề ra.\n";
  for (const BoilerplateRule& rule : BoilerplateRules()) {
    const BoilerplateResult result = RemoveBoilerplate(before + std::string(rule.example) + after);
    EXPECT_THAT(result.removed.size(), 1u) << rule.name;
    if (result.removed.size() == 1) {
      EXPECT_EQ(result.removed[0].rule, rule.name);
      EXPECT_EQ(result.removed[0].text, rule.example);
    }
    EXPECT_EQ(result.text, before + after.substr(2)) << rule.name;
  }
}

TEST(BoilerplateRulesTest, DocumentationNamesEveryRule) {
  std::ifstream in(VNA_INGEST_DOC, std::ios::binary);
  ASSERT_TRUE(in.good()) << "cannot read " << VNA_INGEST_DOC;
  std::stringstream doc;
  doc << in.rdbuf();
  for (const BoilerplateRule& rule : BoilerplateRules()) {
    EXPECT_NE(doc.str().find("`" + std::string(rule.name) + "`"), std::string::npos)
        << "docs/ingest.md does not describe rule " << rule.name;
  }
}

// ---------------------------------------------------------------------------
// The real scraped seed articles, when present (they are not part of the
// repository; VNA_CORPUS_DIR is a CMake setting).

TEST(BoilerplateSeedsTest, KeepsProseAndRemovesWidgetLines) {
  const std::filesystem::path dir = std::string(VNA_CORPUS_DIR) + "/seeds";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    GTEST_SKIP() << "no seed directory " << dir
                 << " (set the CMake cache variable VNA_CORPUS_DIR to a corpus with seeds/)";
  }
  int files = 0;
  std::set<absl::string_view> rules_used;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".txt") continue;
    ++files;
    SCOPED_TRACE(entry.path().string());
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    const BoilerplateResult result = RemoveBoilerplate(text);
    // Every line that reads as a sentence survives.
    for (const RemovedLine& line : result.removed) {
      rules_used.insert(line.rule);
      const size_t words = std::count(line.text.begin(), line.text.end(), ' ') + 1;
      EXPECT_LT(words, 20u) << "removed a long line: " << line.text;
      std::cout << "[ INFO     ] " << entry.path().filename().string() << ":" << line.line_number
                << " " << line.rule << " <- " << line.text << "\n";
    }
    // Metadata is found the same with or without the boilerplate, so ingest
    // may run the two in either order.
    const DocumentMetadata raw = ExtractMetadata(text);
    const DocumentMetadata cleaned = ExtractMetadata(result.text);
    auto value = [](const std::optional<ExtractedField>& f) { return f ? f->value : "-"; };
    EXPECT_EQ(value(cleaned.title), value(raw.title));
    EXPECT_EQ(value(cleaned.dateline), value(raw.dateline));
    EXPECT_EQ(value(cleaned.author), value(raw.author));
    EXPECT_EQ(value(cleaned.source_url), value(raw.source_url));
    // No widget, form or separator line is left.
    for (absl::string_view line : absl::StrSplit(result.text, '\n')) {
      EXPECT_NE(line, ".");
      EXPECT_NE(line, ",");
      EXPECT_EQ(line.find("(*)"), absl::string_view::npos) << line;
      EXPECT_EQ(line.find("In tin b"), absl::string_view::npos) << line;
      EXPECT_EQ(line.find("\xEF\xBF\xBD"), absl::string_view::npos) << line;
    }
  }
  EXPECT_GT(files, 0);
  // The widgets the seeds are known for.
  for (absl::string_view rule : {"punctuation-only", "related-articles", "print-save-widget",
                                 "font-size-widget", "app-store-link", "captcha"}) {
    EXPECT_TRUE(rules_used.count(rule)) << "rule never fired on the seeds: " << rule;
  }
}

}  // namespace
}  // namespace ingest
}  // namespace vnarchive
