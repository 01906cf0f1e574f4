#include "services/ingest/core/metadata.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/text/utf8.h"
#include "services/ingest/core/text_lines.h"
#include "unicode/uchar.h"

namespace vnarchive {
namespace ingest {
namespace {

// How far from each end of the document the heuristics look. Datelines and
// titles sit right under the site header; bylines and "Nguồn" lines right
// above the footer. Looking further only finds dates and names in the body.
constexpr size_t kHeadLines = 8;
constexpr size_t kOutletLines = 12;
constexpr size_t kTailLinesForAuthor = 20;
constexpr size_t kTailLinesForSource = 10;
constexpr size_t kMaxTitleWords = 60;
constexpr size_t kMaxTrailingChromeWords = 12;

using internal::IsSpaceCodePoint;
using internal::TrimSpaces;

std::vector<char32_t> CodePoints(absl::string_view s) {
  std::vector<char32_t> out;
  size_t pos = 0;
  while (pos < s.size()) out.push_back(text::DecodeUtf8(s, &pos));
  return out;
}

// Lower-cases `s`, turns every Unicode space into ' ' and en/em dashes into
// '-': the form all the shape matching below works on.
std::string MatchForm(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c < 0x80) {
      // ASCII without ICU: its spaces are ' ', \t, \f and \v.
      out.push_back(c == '\t' || c == '\f' || c == '\v'
                        ? ' '
                        : static_cast<char>(absl::ascii_tolower(c)));
      ++pos;
      continue;
    }
    const char32_t cp = text::DecodeUtf8(s, &pos);
    if (IsSpaceCodePoint(cp)) {
      out.push_back(' ');
    } else if (cp == 0x2013 || cp == 0x2014) {
      out.push_back('-');
    } else {
      text::AppendUtf8(static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))), &out);
    }
  }
  return out;
}

// MatchForm of the first 32 bytes of `s`: enough for prefix tests of up to
// seven code points (32 bytes hold at least eight), without reading a whole
// paragraph.
std::string MatchFormPrefix(absl::string_view s) { return MatchForm(s.substr(0, 32)); }

bool IsUpper(char32_t cp) { return u_isupper(static_cast<UChar32>(cp)); }
bool IsLower(char32_t cp) { return u_islower(static_cast<UChar32>(cp)); }
bool IsMark(char32_t cp) { return u_charType(static_cast<UChar32>(cp)) == U_NON_SPACING_MARK; }
bool IsAlnum(char32_t cp) { return u_isalnum(static_cast<UChar32>(cp)); }

bool HasLetterOrDigit(absl::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c < 0x80) {  // ASCII without ICU
      if (absl::ascii_isalnum(c)) return true;
      ++pos;
    } else if (IsAlnum(text::DecodeUtf8(s, &pos))) {
      return true;
    }
  }
  return false;
}

bool HasLowercase(absl::string_view s) {
  for (char32_t cp : CodePoints(s)) {
    if (IsLower(cp)) return true;
  }
  return false;
}

std::vector<absl::string_view> Words(absl::string_view s) {
  std::vector<absl::string_view> words;
  size_t pos = 0;
  size_t word_begin = std::string::npos;
  while (pos < s.size()) {
    size_t start = pos;
    bool space = IsSpaceCodePoint(text::DecodeUtf8(s, &pos));
    if (space && word_begin != std::string::npos) {
      words.push_back(s.substr(word_begin, start - word_begin));
      word_begin = std::string::npos;
    } else if (!space && word_begin == std::string::npos) {
      word_begin = start;
    }
  }
  if (word_begin != std::string::npos) words.push_back(s.substr(word_begin));
  return words;
}

struct Line {
  int number;              // 1-based physical line number
  absl::string_view text;  // trimmed, non-empty
};

std::vector<Line> NonEmptyLines(absl::string_view text) {
  std::vector<Line> lines;
  int number = 1;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find_first_of("\r\n", begin);
    if (end == absl::string_view::npos) end = text.size();
    absl::string_view line = TrimSpaces(text.substr(begin, end - begin));
    if (!line.empty()) lines.push_back({number, line});
    if (end == text.size()) break;
    begin = end + ((text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') ? 2 : 1);
    ++number;
  }
  return lines;
}

// ---------------------------------------------------------------------------
// Datelines.

struct ParsedDateline {
  absl::CivilSecond local;
  int utc_offset_seconds = kVietnamUtcOffsetSeconds;
};

// A cursor over the MatchForm of a line.
class Scanner {
 public:
  explicit Scanner(absl::string_view s) : s_(s) {}

  bool AtEnd() const { return pos_ >= s_.size(); }
  size_t pos() const { return pos_; }
  void set_pos(size_t pos) { pos_ = pos; }
  absl::string_view rest() const { return s_.substr(pos_); }

  void SkipSpaces() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }
  bool Consume(absl::string_view literal) {
    if (!absl::StartsWith(rest(), literal)) return false;
    pos_ += literal.size();
    return true;
  }
  // Consumes `word` only if no letter or digit follows it.
  bool ConsumeWord(absl::string_view word) {
    if (!absl::StartsWith(rest(), word)) return false;
    size_t after = pos_ + word.size();
    if (after < s_.size()) {
      size_t p = after;
      if (IsAlnum(text::DecodeUtf8(s_, &p))) return false;
    }
    pos_ = after;
    return true;
  }
  // Reads a run of ASCII digits whose length is in [min_digits, max_digits];
  // consumes nothing otherwise.
  bool Number(size_t min_digits, size_t max_digits, int* out) {
    size_t end = pos_;
    while (end < s_.size() && s_[end] >= '0' && s_[end] <= '9') ++end;
    size_t n = end - pos_;
    if (n < min_digits || n > max_digits) return false;
    int value = 0;
    for (size_t i = pos_; i < end; ++i) value = value * 10 + (s_[i] - '0');
    *out = value;
    pos_ = end;
    return true;
  }

 private:
  absl::string_view s_;
  size_t pos_ = 0;
};

// Separators between the parts of a dateline: spaces, ',', '-', '|', "lúc".
bool SkipSeparators(Scanner& sc) {
  size_t start = sc.pos();
  while (true) {
    sc.SkipSpaces();
    if (sc.Consume(",") || sc.Consume("-") || sc.Consume("|") || sc.ConsumeWord("vào lúc") ||
        sc.ConsumeWord("lúc")) {
      continue;
    }
    break;
  }
  return sc.pos() != start;
}

bool SkipWeekday(Scanner& sc) {
  size_t start = sc.pos();
  if (sc.ConsumeWord("chủ nhật") || sc.ConsumeWord("cn")) return true;
  if (sc.Consume("thứ")) {
    sc.SkipSpaces();
    for (absl::string_view day :
         {"hai", "ba", "tư", "tu", "năm", "sáu", "bảy", "bẩy", "2", "3", "4", "5", "6", "7"}) {
      if (sc.ConsumeWord(day)) return true;
    }
  }
  sc.set_pos(start);
  return false;
}

bool ParseTime(Scanner& sc, int* hour, int* minute, int* second) {
  size_t start = sc.pos();
  int h = 0, m = 0, s = 0;
  if (sc.Number(1, 2, &h) && (sc.Consume(":") || sc.Consume("h")) && sc.Number(2, 2, &m)) {
    size_t before_seconds = sc.pos();
    if (!(sc.Consume(":") && sc.Number(2, 2, &s))) {
      sc.set_pos(before_seconds);
      s = 0;
    }
    if (h <= 23 && m <= 59 && s <= 59) {
      *hour = h;
      *minute = m;
      *second = s;
      return true;
    }
  }
  sc.set_pos(start);
  return false;
}

bool ValidDate(int year, int month, int day) {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  absl::CivilDay d(year, month, day);  // normalises 31/02 to 03/03
  return d.year() == year && d.month() == month && d.day() == day;
}

bool ParseDate(Scanner& sc, int* year, int* month, int* day, bool* iso) {
  size_t start = sc.pos();
  int y = 0, m = 0, d = 0;
  *iso = false;
  // yyyy-mm-dd
  if (sc.Number(4, 4, &y) && sc.Consume("-") && sc.Number(1, 2, &m) && sc.Consume("-") &&
      sc.Number(1, 2, &d) && ValidDate(y, m, d)) {
    *year = y, *month = m, *day = d, *iso = true;
    return true;
  }
  sc.set_pos(start);
  if (sc.ConsumeWord("ngày")) sc.SkipSpaces();
  size_t after_ngay = sc.pos();
  // d/m/yyyy, d.m.yyyy, d-m-yyyy (one separator throughout)
  for (absl::string_view sep : {"/", ".", "-"}) {
    sc.set_pos(after_ngay);
    if (sc.Number(1, 2, &d) && sc.Consume(sep) && sc.Number(1, 2, &m) && sc.Consume(sep) &&
        sc.Number(4, 4, &y) && ValidDate(y, m, d)) {
      *year = y, *month = m, *day = d;
      return true;
    }
  }
  // [ngày] d tháng m năm yyyy
  sc.set_pos(after_ngay);
  if (sc.Number(1, 2, &d)) {
    sc.SkipSpaces();
    if (sc.ConsumeWord("tháng")) {
      sc.SkipSpaces();
      if (sc.Number(1, 2, &m)) {
        sc.SkipSpaces();
        if (sc.ConsumeWord("năm")) {
          sc.SkipSpaces();
          if (sc.Number(4, 4, &y) && ValidDate(y, m, d)) {
            *year = y, *month = m, *day = d;
            return true;
          }
        }
      }
    }
  }
  sc.set_pos(start);
  return false;
}

// "gmt+7", "(gmt+7)", "[utc+07:00]", "+07:00", "z".
bool ParseZone(Scanner& sc, int* offset_seconds) {
  size_t start = sc.pos();
  if (sc.ConsumeWord("z")) {
    *offset_seconds = 0;
    return true;
  }
  char close = 0;
  if (sc.Consume("("))
    close = ')';
  else if (sc.Consume("["))
    close = ']';
  sc.SkipSpaces();
  bool named = sc.Consume("gmt") || sc.Consume("utc");
  int sign = 0;
  if (sc.Consume("+"))
    sign = 1;
  else if (sc.Consume("-"))
    sign = -1;
  int hours = 0, minutes = 0;
  bool ok = false;
  if (sign != 0 && sc.Number(1, 2, &hours)) {
    size_t before_minutes = sc.pos();
    if (!(sc.Consume(":") && sc.Number(2, 2, &minutes))) {
      sc.set_pos(before_minutes);
      minutes = 0;
    }
    ok = hours <= 14 && minutes <= 59;
  } else if (named && sign == 0) {
    ok = true;  // plain "GMT"
  }
  if (ok && close != 0) {
    sc.SkipSpaces();
    ok = sc.Consume(absl::string_view(&close, 1));
  }
  if (ok && close == 0 && !named && sign == 0) ok = false;
  if (!ok) {
    sc.set_pos(start);
    return false;
  }
  *offset_seconds = sign * (hours * 3600 + minutes * 60);
  return true;
}

// Skips "Hà Nội, " before "ngày ...": a short place name of letters only.
void SkipPlacePrefix(Scanner& sc) {
  absl::string_view rest = sc.rest();
  size_t comma = rest.find(", ngày ");
  if (comma == absl::string_view::npos || comma == 0) return;
  absl::string_view place = rest.substr(0, comma);
  for (char32_t cp : CodePoints(place)) {
    if (!(IsAlnum(cp) || IsMark(cp) || cp == ' ' || cp == '.') || (cp >= '0' && cp <= '9')) {
      return;
    }
  }
  if (Words(place).size() > 6) return;
  sc.set_pos(sc.pos() + comma + 1);
}

// Parses a whole line (or a title's parenthesised suffix) as a dateline.
std::optional<ParsedDateline> ParseDateline(absl::string_view raw) {
  if (raw.size() > 120) return std::nullopt;  // datelines are short
  const std::string s = MatchForm(TrimSpaces(raw));
  // The site header's "today" is not the article's date.
  if (absl::StartsWith(s, "hôm nay") || absl::StartsWith(s, "ngày hôm nay")) {
    return std::nullopt;
  }
  Scanner sc(s);
  for (absl::string_view prefix : {"ngày cập nhật", "cập nhật lúc", "cập nhật", "ngày đăng",
                                   "đăng ngày", "đăng lúc", "thời gian", "ngày:"}) {
    if (sc.Consume(prefix)) {
      sc.SkipSpaces();
      sc.Consume(":");
      sc.SkipSpaces();
      break;
    }
  }
  bool open_paren = sc.Consume("(");
  sc.SkipSpaces();
  SkipPlacePrefix(sc);
  sc.SkipSpaces();
  if (SkipWeekday(sc)) SkipSeparators(sc);

  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool iso = false;
  if (ParseTime(sc, &hour, &minute, &second)) {
    SkipSeparators(sc);
    if (SkipWeekday(sc)) SkipSeparators(sc);
    if (!ParseDate(sc, &year, &month, &day, &iso)) return std::nullopt;
  } else {
    if (!ParseDate(sc, &year, &month, &day, &iso)) return std::nullopt;
    size_t after_date = sc.pos();
    bool separated = iso ? (sc.Consume("t") || SkipSeparators(sc)) : SkipSeparators(sc);
    if (!separated || !ParseTime(sc, &hour, &minute, &second)) sc.set_pos(after_date);
  }

  ParsedDateline parsed;
  sc.SkipSpaces();
  if (open_paren && sc.Consume(")")) open_paren = false;
  sc.SkipSpaces();
  int offset = 0;
  if (ParseZone(sc, &offset)) parsed.utc_offset_seconds = offset;
  sc.SkipSpaces();
  if (open_paren && !sc.Consume(")")) return std::nullopt;
  sc.SkipSpaces();
  if (!sc.AtEnd()) return std::nullopt;
  parsed.local = absl::CivilSecond(year, month, day, hour, minute, second);
  return parsed;
}

// ---------------------------------------------------------------------------
// Site chrome, outlet codes, bylines.

bool IsChrome(absl::string_view line) {
  if (!HasLetterOrDigit(line)) return true;
  const std::string s = MatchForm(line);
  for (absl::string_view prefix : {"hôm nay", "ngày hôm nay", "cỡ chữ", "font size"}) {
    if (absl::StartsWith(s, prefix)) return true;
  }
  for (absl::string_view phrase :
       {"trang chủ", "đăng nhập", "đăng ký", "tìm kiếm", "liên hệ", "in bài", "in tin bài",
        "gửi bài", "chia sẻ", "bình luận", "viết bình luận", "xem thêm", "tin liên quan",
        "các tin khác", "tin khác", "bài viết liên quan"}) {
    if (s == phrase) return true;
  }
  bool separated =
      absl::StrContains(s, " | ") || absl::StrContains(s, " > ") || absl::StrContains(s, " » ");
  if (separated && !HasLowercase(line)) return true;  // breadcrumb
  size_t bars = 0;
  for (size_t p = s.find(" | "); p != std::string::npos; p = s.find(" | ", p + 1)) ++bars;
  return bars >= 2;  // menu
}

// "HNP - ..." or "(QBĐT) - ...": returns the code.
std::optional<std::string> OutletCode(absl::string_view line) {
  size_t pos = 0;
  bool paren = !line.empty() && line[0] == '(';
  if (paren) pos = 1;
  size_t code_begin = pos;
  int letters = 0;
  while (pos < line.size()) {
    size_t next = pos;
    if (!IsUpper(text::DecodeUtf8(line, &next))) break;
    pos = next;
    ++letters;
  }
  if (letters < 2 || letters > 6) return std::nullopt;
  std::string code(line.substr(code_begin, pos - code_begin));
  if (paren) {
    if (pos >= line.size() || line[pos] != ')') return std::nullopt;
    ++pos;
  }
  // Then spaces, a dash (or en/em dash), at least one space and more text:
  // read code point by code point, so a long paragraph is not copied.
  // Skips space code points; returns false at the end of the line.
  auto skip_spaces = [&line, &pos]() {
    while (pos < line.size()) {
      size_t next = pos;
      if (!IsSpaceCodePoint(text::DecodeUtf8(line, &next))) return true;
      pos = next;
    }
    return false;
  };
  if (!skip_spaces()) return std::nullopt;
  const char32_t dash = text::DecodeUtf8(line, &pos);
  if (dash != '-' && dash != 0x2013 && dash != 0x2014) return std::nullopt;
  const size_t after_dash = pos;
  if (!skip_spaces() || pos == after_dash) return std::nullopt;
  return code;
}

// A capitalised word shaped like a Vietnamese syllable: "Nguyễn", "Kiên",
// "A"; not "Android", "APK", "John".
bool IsNameWord(absl::string_view word) {
  std::vector<char32_t> letters;
  for (char32_t cp : CodePoints(word)) {
    if (IsMark(cp)) continue;  // NFD tone marks
    letters.push_back(static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))));
    if (letters.size() == 1 ? !IsUpper(cp) : !IsLower(cp)) return false;
  }
  if (letters.empty() || letters.size() > 7) return false;
  if (letters.size() == 1) return true;  // "Nguyễn Văn A"
  for (char32_t c : letters) {
    if (c == 'f' || c == 'j' || c == 'w' || c == 'z') return false;
  }
  const char32_t last = letters.back();
  const char32_t before = letters[letters.size() - 2];
  if (last >= 0x80) return last != 0x0111;  // accented vowel; not a final đ
  switch (last) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
    case 'y':
    case 'c':
    case 'm':
    case 'n':
    case 'p':
    case 't':
      return true;
    case 'h':
      return before == 'c' || before == 'n';
    case 'g':
      return before == 'n';
    default:
      return false;
  }
}

// Dotted initials: "T.S", "N.V.A."; one or two capitals between dots.
bool IsInitials(absl::string_view word) {
  int dots = 0, run = 0, letters = 0;
  for (char32_t cp : CodePoints(word)) {
    if (cp == '.') {
      if (run == 0) return false;
      ++dots;
      run = 0;
    } else if (IsUpper(cp)) {
      if (++run > 2) return false;
      ++letters;
    } else {
      return false;
    }
  }
  return dots >= 1 && letters >= 2;
}

bool IsName(absl::string_view name) {
  std::vector<absl::string_view> words = Words(name);
  if (words.empty() || words.size() > 5) return false;
  for (absl::string_view w : words) {
    if (!IsNameWord(w) && !IsInitials(w)) return false;
  }
  return true;
}

bool IsOrganisation(absl::string_view org) {
  org = TrimSpaces(org);
  std::vector<absl::string_view> words = Words(org);
  if (words.empty() || words.size() > 10) return false;
  if (absl::StrContains(org, ":") || absl::EndsWith(org, ".")) return false;
  size_t pos = 0;
  return IsUpper(text::DecodeUtf8(org, &pos));
}

bool IsByline(absl::string_view line) {
  if (absl::StrContains(line, ":")) return false;  // "Ảnh: ...", form labels
  if (absl::EndsWith(line, ".")) return internal::CountWords(line) == 1 && IsInitials(line);
  for (absl::string_view dash : {" - ", " \xE2\x80\x93 ", " \xE2\x80\x94 "}) {
    size_t p = line.find(dash);
    if (p != absl::string_view::npos) {
      return IsName(line.substr(0, p)) && IsOrganisation(line.substr(p + dash.size()));
    }
  }
  if (absl::EndsWith(line, ")")) {
    size_t open = line.find('(');
    if (open == absl::string_view::npos || open == 0) return false;
    return IsName(line.substr(0, open)) &&
           IsOrganisation(line.substr(open + 1, line.size() - open - 2));
  }
  return IsName(line);
}

// "(Đảng ủy Khối ...)" alone on a line: the organisation of the byline above.
bool IsParenthesisedOrganisation(absl::string_view line) {
  return line.size() > 2 && line.front() == '(' && line.back() == ')' &&
         line.find('(', 1) == absl::string_view::npos &&
         IsOrganisation(line.substr(1, line.size() - 2));
}

// The last paragraph of the article rather than footer chrome.
bool LooksLikeBodyText(absl::string_view line) {
  if (internal::CountWords(line) > kMaxTrailingChromeWords) return true;
  std::vector<char32_t> cps = CodePoints(line);
  while (!cps.empty()) {
    char32_t c = cps.back();
    if (c == '"' || c == '\'' || c == 0x201D || c == 0x2019 || c == 0x00BB || c == ')' ||
        c == ']') {
      cps.pop_back();
      continue;
    }
    return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == ';';
  }
  return false;
}

std::string LineOrigin(const Line& line) {
  return line.number == 1 ? "first line" : absl::StrCat("line ", line.number);
}

}  // namespace

DocumentMetadata ExtractMetadata(absl::string_view text) {
  DocumentMetadata meta;
  const std::vector<Line> lines = NonEmptyLines(text);
  const size_t head = std::min(kHeadLines, lines.size());

  // Title, possibly carrying the dateline as a parenthesised suffix.
  std::optional<size_t> title_index;
  std::optional<ParsedDateline> title_suffix_date;
  absl::string_view title_suffix;
  for (size_t i = 0; i < head; ++i) {
    absl::string_view line = lines[i].text;
    if (IsChrome(line) || ParseDateline(line).has_value()) continue;
    if (OutletCode(line).has_value() || internal::CountWords(line) > kMaxTitleWords) break;
    title_index = i;
    absl::string_view title = line;
    size_t open = line.rfind('(');
    if (absl::EndsWith(line, ")") && open != absl::string_view::npos && open > 0) {
      title_suffix_date = ParseDateline(line.substr(open));
      if (title_suffix_date.has_value()) {
        title_suffix = line.substr(open);
        title = TrimSpaces(line.substr(0, open));
      }
    }
    meta.title = ExtractedField{std::string(title), LineOrigin(lines[i])};
    break;
  }

  // Dateline: the first at or after the title, else the first at all.
  struct Candidate {
    size_t index;
    absl::string_view text;
    ParsedDateline parsed;
    std::string origin;
  };
  std::optional<Candidate> chosen;
  for (size_t i = 0; i < head; ++i) {
    std::optional<Candidate> c;
    if (title_index == i && title_suffix_date.has_value()) {
      c = Candidate{i, title_suffix, *title_suffix_date,
                    absl::StrCat("title suffix, line ", lines[i].number)};
    } else if (std::optional<ParsedDateline> p = ParseDateline(lines[i].text)) {
      c = Candidate{i, lines[i].text, *p, absl::StrCat("dateline line ", lines[i].number)};
    }
    if (!c.has_value()) continue;
    if (!chosen.has_value()) chosen = c;
    if (!title_index.has_value() || i >= *title_index) {
      chosen = c;
      break;
    }
  }
  std::optional<size_t> dateline_index;
  if (chosen.has_value()) {
    dateline_index = chosen->index;
    meta.dateline = ExtractedField{std::string(chosen->text), chosen->origin};
    meta.published_at = absl::FromCivil(chosen->parsed.local,
                                        absl::FixedTimeZone(chosen->parsed.utc_offset_seconds));
  }

  // Outlet code at the start of the body.
  for (size_t i = 0; i < std::min(kOutletLines, lines.size()); ++i) {
    if (i == title_index || i == dateline_index) continue;
    if (std::optional<std::string> code = OutletCode(lines[i].text)) {
      meta.outlet_code =
          ExtractedField{*code, absl::StrCat("outlet prefix line ", lines[i].number)};
      break;
    }
  }

  // Source URL from a "Nguồn ...: http..." line near the end.
  for (size_t k = 0; k < std::min(kTailLinesForSource, lines.size()); ++k) {
    const Line& line = lines[lines.size() - 1 - k];
    const std::string s = MatchFormPrefix(line.text);
    if (!absl::StartsWith(s, "nguồn") && !absl::StartsWith(s, "(nguồn")) continue;
    size_t begin = line.text.find("http://");
    if (begin == absl::string_view::npos) begin = line.text.find("https://");
    if (begin == absl::string_view::npos) continue;
    size_t end = begin;
    while (
        end < line.text.size() && line.text[end] != ' ' && line.text[end] != '\t' &&
        line.text[end] != '"' && line.text[end] != '<' && line.text[end] != '>' &&
        !(line.text[end] == '\xC2' && end + 1 < line.text.size() && line.text[end + 1] == '\xA0')) {
      ++end;
    }
    absl::string_view url = line.text.substr(begin, end - begin);
    while (!url.empty()) {
      char c = url.back();
      bool unbalanced_paren = c == ')' && url.find('(') == absl::string_view::npos;
      if (c != '.' && c != ',' && c != ';' && !unbalanced_paren) break;
      url.remove_suffix(1);
    }
    if (url.size() <= 8) continue;  // nothing after the scheme
    meta.source_url = ExtractedField{std::string(url), absl::StrCat("Nguồn line ", line.number)};
    break;
  }

  // Byline: scanning up from the end over footer chrome.
  for (size_t k = 0; k < std::min(kTailLinesForAuthor, lines.size()); ++k) {
    const size_t i = lines.size() - 1 - k;
    absl::string_view line = lines[i].text;
    if (!HasLetterOrDigit(line)) continue;
    const std::string s = MatchFormPrefix(line);
    if (absl::StartsWith(s, "nguồn") || absl::StartsWith(s, "(nguồn")) continue;
    if (i > 0 && IsParenthesisedOrganisation(line) && IsName(lines[i - 1].text)) {
      meta.author =
          ExtractedField{absl::StrCat(lines[i - 1].text, " ", line),
                         absl::StrCat("lines ", lines[i - 1].number, "-", lines[i].number)};
      break;
    }
    if (IsByline(line)) {
      meta.author = ExtractedField{
          std::string(line),
          k == 0 ? "last line"
                 : absl::StrCat("line ", lines[i].number, ", above trailing non-body lines")};
      break;
    }
    if (LooksLikeBodyText(line)) break;
  }
  return meta;
}

}  // namespace ingest
}  // namespace vnarchive
