#include "services/ingest/core/boilerplate.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"
#include "common/text/segment.h"
#include "common/text/utf8.h"
#include "services/ingest/core/text_lines.h"
#include "unicode/uchar.h"

namespace vnarchive {
namespace ingest {
namespace {

using internal::IsSpaceCodePoint;
using internal::TrimSpaces;
using Kind = BoilerplateRuleKind;

// ---------------------------------------------------------------------------
// The rules table.
//
// Each row: name, kind (how the patterns match; see BoilerplateRuleKind),
// patterns, the longest line (in words) the rule may remove, an example
// line, and where such lines come from. Rows are tried top to bottom; the
// first match removes the line. docs/ingest.md describes every row; the unit
// test checks that each example is removed by its own row and that the
// document names every row.
//
// Guarding the article: kinds that could meet prose either need the whole
// line to be widget labels or a date/label shape, or are capped by
// max_words; trailing blocks end at the first line that looks like prose.
// Diacritics are ignored when matching, so a pattern's spelling (hoà/hòa)
// does not matter.

constexpr absl::string_view kRelatedArticleHeadings[] = {
    "Các bài mới đăng", "Các bài đã đăng", "Các tin khác", "Tin khác", "Các bài khác",
    "Tin liên quan", "Bài liên quan", "Tin bài liên quan", "Bài viết liên quan",
    "Các tin bài khác", "Tin cùng chuyên mục", "Bài cùng chuyên mục", "Tin đã đưa",
    "Các tin đã đưa", "Các tin mới", "Tin mới", "Tin mới hơn", "Tin cũ hơn", "Các tin cũ hơn",
    "Xem thêm", "Đọc thêm", "Đọc nhiều", "Đọc nhiều nhất", "Xem nhiều", "Xem nhiều nhất",
    "Tin nổi bật", "Tin đọc nhiều", "Tin mới nhất", "Bài mới nhất"};

constexpr absl::string_view kCommentSectionHeadings[] = {
    "Viết bình luận", "Gửi bình luận", "Bình luận", "Ý kiến bạn đọc", "Gửi ý kiến",
    "Ý kiến của bạn", "Ý kiến phản hồi", "Gửi phản hồi", "Bình luận của bạn"};

constexpr absl::string_view kCaptchaPrefixes[] = {
    "Mã xác nhận:", "Mã bảo mật:", "Mã an toàn:", "Mã kiểm tra:", "Nhập mã xác nhận:",
    "Nhập mã bảo mật:"};

constexpr absl::string_view kCaptchaWidgets[] = {
    "Lấy lại mã bảo mật", "Lấy lại mã", "Lấy mã khác", "Đổi mã khác", "Làm mới mã",
    "Nhập mã xác nhận", "Nhập mã bảo mật", "Mã xác nhận", "Mã bảo mật"};

constexpr absl::string_view kFormFieldLabels[] = {
    "Họ tên", "Họ và tên", "Tên", "Tên của bạn", "Số điện thoại", "Điện thoại", "Email",
    "E-mail", "Địa chỉ", "Địa chỉ email", "Tiêu đề", "Nội dung", "Ý kiến", "Bình luận"};

constexpr absl::string_view kFormButtons[] = {"Gửi", "Gửi đi", "Hủy", "Nhập lại", "Làm lại",
                                              "Xóa", "Đồng ý"};

constexpr absl::string_view kPrintSaveWidgets[] = {
    "In tin bài", "Lưu tin bài", "In bài viết", "Lưu bài viết", "In bài", "Lưu bài", "Bản in",
    "In trang"};

constexpr absl::string_view kFontSizeWidgets[] = {"Cỡ chữ", "A+", "A-", "Aa", "Phóng to",
                                                  "Thu nhỏ"};

constexpr absl::string_view kShareWidgets[] = {
    "Chia sẻ", "Chia sẻ bài viết", "Share", "Tweet", "Facebook", "Twitter", "Zalo", "Email",
    "E-mail", "Gửi email", "Gửi bài viết", "Gửi cho bạn bè", "Gửi tin bài", "Like", "Thích",
    "Google+", "LinkedIn", "Copy link", "Sao chép liên kết"};

constexpr absl::string_view kViewCountWidgets[] = {"Lượt xem", "Lượt đọc", "Lượt thích",
                                                   "Bài viết", "Xem", "Bình luận"};

constexpr absl::string_view kNavigationWidgets[] = {
    "Trang chủ", "Về trang chủ", "Quay lại", "Trở về", "Trở lại", "Đầu trang", "Lên đầu trang",
    "Về đầu trang", "Trang trước", "Trang sau", "Tiếp theo", "Xem tiếp", "Đóng", "Close", "Top",
    "Back", "Home", "RSS"};

constexpr absl::string_view kAppStoreLinks[] = {
    "Android APK", "Android", "APK", "iOS", "iPhone", "App Store", "Google Play", "CH Play",
    "Tải ứng dụng", "Tải app", "Tải về"};

constexpr absl::string_view kSiteHeaderDates[] = {"Hôm nay* # tháng # năm #", "Hôm nay* #/#/#",
                                                  "Hôm nay* #-#-#"};

constexpr absl::string_view kBreadcrumbSeparators[] = {" | ", " » ", " > ", " >> ", " › "};

constexpr absl::string_view kCopyrightPrefixes[] = {"©", "(c) ", "Copyright", "Bản quyền thuộc",
                                                    "Bản quyền ©", "Bản quyền:"};

constexpr absl::string_view kReprintNotices[] = {
    "phát hành lại thông tin từ website", "phát hành lại thông tin từ trang",
    "phát hành lại thông tin từ cổng"};

constexpr BoilerplateRule kRules[] = {
    {"punctuation-only", Kind::kNoLetterOrDigit, {}, 0, ". . . .",
     "separator lines, stray dots and commas left by removed widgets, broken captcha images"},
    {"related-articles", Kind::kTrailingBlock, kRelatedArticleHeadings, 0, "CÁC TIN KHÁC",
     "the list of other articles under the article"},
    {"comment-section", Kind::kTrailingBlock, kCommentSectionHeadings, 0, "Viết bình luận",
     "the reader-comment box under the article"},
    {"captcha", Kind::kLinePrefix, kCaptchaPrefixes, 15,
     "Mã xác nhận:   L?y l?i m\xEF\xBF\xBD b?o m?t", "the captcha of a comment form"},
    {"garbled-text", Kind::kGarbled, {}, 12, "L?y l?i m\xEF\xBF\xBD b?o m?t",
     "widget text whose encoding was lost while scraping"},
    {"form-field", Kind::kFormField, kFormFieldLabels, 0, "Họ tên:(*)",
     "the field labels of a comment form"},
    {"captcha-widget", Kind::kWidgetLine, kCaptchaWidgets, 20, "Lấy lại mã bảo mật",
     "the captcha's refresh link"},
    {"form-button", Kind::kWidgetLine, kFormButtons, 20, "Gửi | Nhập lại",
     "the buttons of a comment form"},
    {"print-save-widget", Kind::kWidgetLine, kPrintSaveWidgets, 20, "In tin bàiLưu tin bài",
     "print and save links"},
    {"font-size-widget", Kind::kWidgetLine, kFontSizeWidgets, 20, "Cỡ chữ: A+ A-",
     "text size buttons"},
    {"share-widget", Kind::kWidgetLine, kShareWidgets, 20, "Chia sẻ: Facebook | Zalo | Email",
     "social sharing buttons"},
    {"view-count-widget", Kind::kWidgetLine, kViewCountWidgets, 20, "Bài viết Xem",
     "view, like and comment counters"},
    {"navigation-widget", Kind::kWidgetLine, kNavigationWidgets, 20, "Về đầu trang",
     "back, home and top-of-page links"},
    {"app-store-link", Kind::kWidgetLine, kAppStoreLinks, 20, "Android APK",
     "links to the outlet's mobile apps"},
    {"site-header-date", Kind::kExactLine, kSiteHeaderDates, 12,
     "Hôm nay, ngày 18 tháng 1 năm 2019", "today's date in the site header (not the dateline)"},
    {"breadcrumb", Kind::kBreadcrumb, kBreadcrumbSeparators, 20,
     "ĐẢNG UỶ KHỐI | XÂY DỰNG ĐẢNG - TUYÊN TRUYỀN", "the section path above the title"},
    {"copyright-footer", Kind::kLinePrefix, kCopyrightPrefixes, 40,
     "© Bản quyền thuộc Báo Quảng Ninh", "the site footer"},
    {"reprint-notice", Kind::kLineContains, kReprintNotices, 40,
     "Ghi rõ nguồn khi phát hành lại thông tin từ website này.", "the site footer"},
};

// ---------------------------------------------------------------------------
// Match forms.

// Spaces collapsed, trimmed, folded (lower case, no diacritics, đ -> d).
std::string MatchForm(absl::string_view line) {
  std::string collapsed;
  bool pending_space = false;
  size_t pos = 0;
  while (pos < line.size()) {
    size_t start = pos;
    char32_t cp = text::DecodeUtf8(line, &pos);
    if (IsSpaceCodePoint(cp)) {
      pending_space = !collapsed.empty();
      continue;
    }
    if (pending_space) collapsed.push_back(' ');
    pending_space = false;
    collapsed.append(line.data() + start, pos - start);
  }
  return text::Fold(collapsed);
}

// Characters a heading may trail or lead with ("Tin liên quan:", "» Xem thêm").
bool IsHeadingDecoration(char32_t cp) {
  return cp == ' ' || cp == ':' || cp == '.' || cp == '>' || cp == '-' || cp == '*' ||
         cp == 0x00BB /* » */ || cp == 0x203A /* › */ || cp == 0x2026 /* … */ ||
         cp == 0x2022 /* • */ || cp == 0x00B7 /* · */ || cp == 0x2013 || cp == 0x2014;
}

absl::string_view StripHeadingDecoration(absl::string_view s) {
  return internal::TrimCodePoints(s, IsHeadingDecoration);
}

bool IsLetter(char32_t cp) {
  return u_isalpha(static_cast<UChar32>(cp)) ||
         u_charType(static_cast<UChar32>(cp)) == U_NON_SPACING_MARK;
}

// Glob match of a folded pattern against a folded line: '#' is one or more
// ASCII digits, '*' any run of characters, anything else itself.
bool GlobMatches(absl::string_view pattern, absl::string_view line) {
  const size_t m = pattern.size();
  const size_t n = line.size();
  // matches[i][j]: pattern[i..] matches line[j..]; filled from the ends.
  std::vector<std::vector<char>> matches(m + 1, std::vector<char>(n + 1, 0));
  matches[m][n] = 1;
  for (size_t i = m; i-- > 0;) {
    for (size_t j = n + 1; j-- > 0;) {
      const char p = pattern[i];
      bool result = false;
      if (p == '*') {
        result = matches[i + 1][j] || (j < n && matches[i][j + 1]);
      } else if (p == '#') {
        result = j < n && absl::ascii_isdigit(static_cast<unsigned char>(line[j])) &&
                 (matches[i + 1][j + 1] || matches[i][j + 1]);
      } else {
        result = j < n && line[j] == p && matches[i + 1][j + 1];
      }
      matches[i][j] = result;
    }
  }
  return matches[0][0];
}

// Whole-line shapes (widget toolbars, glob patterns) are only tried on lines
// up to this many bytes: matching them costs memory proportional to the line,
// and one "word" can be megabytes long in a broken scrape.
constexpr size_t kMaxShapeLineBytes = 400;

// Lines with more words than this are article text to every rule: the word
// limits of the rules are at most 40, and the rules without one compare the
// line with a heading or a form label of a few words. For such lines only
// the word count and whether there is a letter or digit are read — most of
// an article's bytes are in them, and the match form is the costly part.
// (A heading decorated with over fifty separators, "» » … Tin khác", would
// be missed: no page does that.)
constexpr size_t kLongLineWords = 60;

// A line read once: its forms and the facts the rules ask about.
struct LineFacts {
  absl::string_view trimmed;
  bool long_line = false;  // over kLongLineWords: match_form and the counts are not read
  std::string match_form;
  size_t words = 0;
  bool has_letter_or_digit = false;
  bool has_letter = false;
  bool has_lowercase = false;
  size_t non_space_chars = 0;
  size_t garbled_chars = 0;  // U+FFFD, and '?' directly before a letter
};

LineFacts ReadLine(absl::string_view raw) {
  LineFacts facts;
  facts.trimmed = TrimSpaces(raw);
  facts.words = internal::CountWords(facts.trimmed);
  if (facts.words > kLongLineWords) {
    facts.long_line = true;
    size_t pos = 0;
    while (pos < facts.trimmed.size() && !facts.has_letter_or_digit) {
      const unsigned char c = static_cast<unsigned char>(facts.trimmed[pos]);
      if (c < 0x80) {
        facts.has_letter_or_digit = absl::ascii_isalnum(c);
        ++pos;
      } else {
        facts.has_letter_or_digit =
            u_isalnum(static_cast<UChar32>(text::DecodeUtf8(facts.trimmed, &pos)));
      }
    }
    return facts;
  }
  facts.match_form = MatchForm(facts.trimmed);
  size_t pos = 0;
  char32_t previous = 0;
  while (pos < facts.trimmed.size()) {
    char32_t cp = text::DecodeUtf8(facts.trimmed, &pos);
    const UChar32 c = static_cast<UChar32>(cp);
    if (u_isalnum(c)) facts.has_letter_or_digit = true;
    if (IsLetter(cp)) facts.has_letter = true;
    if (u_islower(c)) facts.has_lowercase = true;
    if (!IsSpaceCodePoint(cp)) ++facts.non_space_chars;
    if (cp == 0xFFFD) ++facts.garbled_chars;
    if (previous == '?' && IsLetter(cp)) ++facts.garbled_chars;
    previous = cp;
  }
  return facts;
}

// Looks like a sentence of the article (ends a trailing block).
bool LooksLikeProse(const LineFacts& line) {
  if (line.words > 30) return true;
  if (line.words < 8) return false;
  absl::string_view s = line.trimmed;
  // Look past closing quotes and brackets: `... "Nêu gương".` or `(...).)`
  while (!s.empty()) {
    size_t start = text::PreviousCodePointStart(s, s.size());
    size_t pos = start;
    char32_t cp = text::DecodeUtf8(s, &pos);
    if (cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x201D || cp == 0x2019 ||
        cp == 0x00BB) {
      s = s.substr(0, start);
      continue;
    }
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026;
  }
  return false;
}

// A widget label and the row it belongs to.
struct WidgetLabel {
  std::string folded;
  size_t rule;
};

// The folded patterns of every rule, built once.
struct FoldedRules {
  std::vector<std::vector<std::string>> patterns;  // parallel to kRules
  std::vector<WidgetLabel> widget_labels;          // of all kWidgetLine rows
};

const FoldedRules& Folded() {
  static const FoldedRules* folded = [] {
    auto* rules = new FoldedRules;
    for (const BoilerplateRule& rule : kRules) {
      std::vector<std::string> patterns;
      for (absl::string_view pattern : rule.patterns) {
        // Separators are matched as written; everything else in match form.
        patterns.push_back(rule.kind == Kind::kBreadcrumb ? std::string(pattern)
                                                          : MatchForm(pattern));
      }
      if (rule.kind == Kind::kWidgetLine) {
        for (const std::string& label : patterns) {
          rules->widget_labels.push_back({label, rules->patterns.size()});
        }
      }
      rules->patterns.push_back(std::move(patterns));
    }
    return rules;
  }();
  return *folded;
}

// If `line` can be cut into widget labels and non-letters, using at least one
// label, returns the rule of the first label in the line.
std::optional<size_t> WidgetLineRule(absl::string_view line,
                                     const std::vector<WidgetLabel>& labels) {
  constexpr size_t kNone = static_cast<size_t>(-1);
  // reachable[i]: line[0, i) can be cut so; first_rule[i]: the rule of the
  // first label on such a cut, kNone while only non-letters were used.
  std::vector<char> reachable(line.size() + 1, 0);
  std::vector<size_t> first_rule(line.size() + 1, kNone);
  reachable[0] = 1;
  size_t furthest = 0;  // cuts only grow from the left: past this, give up
  auto reach = [&](size_t from, size_t to, size_t rule) {
    const size_t first = first_rule[from] != kNone ? first_rule[from] : rule;
    if (!reachable[to] || (first_rule[to] == kNone && first != kNone)) first_rule[to] = first;
    reachable[to] = 1;
    furthest = std::max(furthest, to);
  };
  for (size_t i = 0; i < line.size() && i <= furthest; ++i) {
    if (!reachable[i]) continue;
    for (const WidgetLabel& label : labels) {
      if (!label.folded.empty() && absl::StartsWith(line.substr(i), label.folded)) {
        reach(i, i + label.folded.size(), label.rule);
      }
    }
    size_t next = i;
    if (!IsLetter(text::DecodeUtf8(line, &next))) reach(i, next, kNone);
  }
  if (!reachable[line.size()] || first_rule[line.size()] == kNone) return std::nullopt;
  return first_rule[line.size()];
}

enum class FormShape { kNone, kColon, kMarked };

// Whether the line is a form label followed by ':' and/or "(*)" / "*".
FormShape FormFieldShape(absl::string_view match_form, const std::vector<std::string>& labels) {
  absl::string_view s = match_form;
  bool colon = false;
  bool marked = false;
  while (!s.empty()) {
    if (absl::ConsumeSuffix(&s, "(*)") || absl::ConsumeSuffix(&s, "*")) {
      marked = true;
    } else if (absl::ConsumeSuffix(&s, ":")) {
      colon = true;
    } else if (!absl::ConsumeSuffix(&s, " ")) {
      break;
    }
  }
  if (!colon && !marked) return FormShape::kNone;
  for (const std::string& label : labels) {
    if (s == label) return marked ? FormShape::kMarked : FormShape::kColon;
  }
  return FormShape::kNone;
}

size_t RuleIndex(absl::string_view name) {
  for (size_t i = 0; i < std::size(kRules); ++i) {
    if (kRules[i].name == name) return i;
  }
  return 0;
}

// The rule (other than a form field's neighbour test) that matches `line`.
std::optional<size_t> MatchingRule(const LineFacts& line, bool form_neighbour) {
  if (line.long_line) {
    static const size_t kPunctuationOnly = RuleIndex("punctuation-only");
    if (line.has_letter_or_digit) return std::nullopt;
    return kPunctuationOnly;
  }
  const FoldedRules& folded = Folded();
  bool widgets_tried = false;
  for (size_t r = 0; r < std::size(kRules); ++r) {
    const BoilerplateRule& rule = kRules[r];
    if (rule.max_words != 0 && line.words > rule.max_words) continue;
    const std::vector<std::string>& patterns = folded.patterns[r];
    const std::string& form = line.match_form;
    bool match = false;
    switch (rule.kind) {
      case Kind::kNoLetterOrDigit:
        match = !line.has_letter_or_digit;
        break;
      case Kind::kGarbled:
        match = line.garbled_chars >= 2 && line.garbled_chars * 5 >= line.non_space_chars;
        break;
      case Kind::kExactLine:
        if (form.size() > kMaxShapeLineBytes) break;
        for (const std::string& p : patterns) match = match || GlobMatches(p, form);
        break;
      case Kind::kLinePrefix:
        for (const std::string& p : patterns) match = match || absl::StartsWith(form, p);
        break;
      case Kind::kLineContains:
        for (const std::string& p : patterns) match = match || absl::StrContains(form, p);
        break;
      case Kind::kWidgetLine:
        // All widget rows at once: one toolbar line often mixes them.
        if (widgets_tried || form.size() > kMaxShapeLineBytes) break;
        widgets_tried = true;
        if (std::optional<size_t> widget = WidgetLineRule(form, folded.widget_labels)) {
          return *widget;
        }
        break;
      case Kind::kFormField: {
        FormShape shape = FormFieldShape(form, patterns);
        match = shape == FormShape::kMarked || (shape == FormShape::kColon && form_neighbour);
        break;
      }
      case Kind::kBreadcrumb:
        if (line.has_letter && !line.has_lowercase) {
          for (const std::string& p : patterns) {
            match = match || absl::StrContains(line.trimmed, p);
          }
        }
        break;
      case Kind::kTrailingBlock: {
        absl::string_view heading = StripHeadingDecoration(form);
        for (const std::string& p : patterns) match = match || heading == p;
        break;
      }
    }
    if (match) return r;
  }
  return std::nullopt;
}

bool IsFormOrCaptchaLine(const LineFacts& line) {
  if (line.long_line) return false;
  const FoldedRules& folded = Folded();
  static const size_t kFormField = RuleIndex("form-field");
  static const size_t kCaptcha = RuleIndex("captcha");
  static const size_t kCaptchaWidget = RuleIndex("captcha-widget");
  if (FormFieldShape(line.match_form, folded.patterns[kFormField]) != FormShape::kNone) {
    return true;
  }
  for (const std::string& p : folded.patterns[kCaptcha]) {
    if (absl::StartsWith(line.match_form, p)) return true;
  }
  if (line.words > kRules[kCaptchaWidget].max_words ||
      line.match_form.size() > kMaxShapeLineBytes) {
    return false;
  }
  std::optional<size_t> widget = WidgetLineRule(line.match_form, folded.widget_labels);
  return widget.has_value() && *widget == kCaptchaWidget;
}

}  // namespace

absl::Span<const BoilerplateRule> BoilerplateRules() { return kRules; }

BoilerplateResult RemoveBoilerplate(absl::string_view text) {
  const std::vector<internal::TextLine> lines = internal::SplitLines(text);
  std::vector<LineFacts> facts;
  facts.reserve(lines.size());
  for (const internal::TextLine& line : lines) facts.push_back(ReadLine(line.text));

  // For each line, is the nearest non-blank line before or after it a form
  // field or captcha line?
  std::vector<char> form_neighbour(lines.size(), 0);
  {
    std::vector<char> is_form(lines.size(), 0);
    for (size_t i = 0; i < lines.size(); ++i) {
      is_form[i] = !facts[i].trimmed.empty() && IsFormOrCaptchaLine(facts[i]);
    }
    std::optional<size_t> previous;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (facts[i].trimmed.empty()) continue;
      if (previous.has_value() && is_form[*previous]) form_neighbour[i] = 1;
      if (previous.has_value() && is_form[i]) form_neighbour[*previous] = 1;
      previous = i;
    }
  }

  BoilerplateResult result;
  std::optional<size_t> block_rule;  // the trailing block we are in, if any
  bool pending_blank = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const LineFacts& line = facts[i];
    if (line.trimmed.empty()) {
      pending_blank = !result.text.empty();
      continue;
    }
    if (block_rule.has_value() && LooksLikeProse(line)) block_rule.reset();
    std::optional<size_t> rule = MatchingRule(line, form_neighbour[i]);
    if (!rule.has_value()) rule = block_rule;
    if (rule.has_value()) {
      if (kRules[*rule].kind == Kind::kTrailingBlock && !block_rule.has_value()) {
        block_rule = rule;
      }
      result.removed.push_back({lines[i].number, std::string(lines[i].text), kRules[*rule].name});
      continue;
    }
    if (pending_blank) result.text += "\n";
    pending_blank = false;
    result.text.append(lines[i].text.data(), lines[i].text.size());
    result.text += "\n";
  }
  return result;
}

}  // namespace ingest
}  // namespace vnarchive
