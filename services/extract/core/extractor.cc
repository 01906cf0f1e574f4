#include "services/extract/core/extractor.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/base/status_macros.h"
#include "common/text/nfc.h"
#include "common/text/segment.h"
#include "common/text/utf8.h"
#include "services/extract/core/entity_rules.h"
#include "unicode/uchar.h"

namespace vnarchive {
namespace extract {
namespace {

// Kind codes as written inside document numbers, with their names
// (Decree 30/2020/NĐ-CP on state documents; party rules on party documents).
struct KindCode {
  absl::string_view code;
  absl::string_view kind;
};
constexpr KindCode kKindCodes[] = {
    {"CT", "chỉ thị"},       {"NQ", "nghị quyết"},         {"QĐ", "quyết định"},
    {"QĐi", "quy định"},     {"KH", "kế hoạch"},           {"NĐ", "nghị định"},
    {"TT", "thông tư"},      {"KL", "kết luận"},           {"HD", "hướng dẫn"},
    {"TB", "thông báo"},     {"CV", "công văn"},           {"BC", "báo cáo"},
    {"TTr", "tờ trình"},     {"QC", "quy chế"},            {"CTr", "chương trình"},
    {"ĐA", "đề án"},         {"TTLT", "thông tư liên tịch"}, {"NQLT", "nghị quyết liên tịch"},
    {"PL", "pháp lệnh"},
};

// Words that introduce a document number ("Chỉ thị số 05-CT/TW"); longest
// first so "thông tư liên tịch" wins over "thông tư". Lower case.
constexpr absl::string_view kKindWords[] = {
    "nghị quyết liên tịch", "thông tư liên tịch", "chương trình", "nghị quyết", "quyết định",
    "nghị định", "hướng dẫn", "thông báo", "pháp lệnh", "công văn", "chỉ thị", "quy định",
    "kế hoạch", "thông tư", "kết luận", "báo cáo", "tờ trình", "quy chế", "đề án", "luật",
};

absl::string_view KindOfCode(absl::string_view code) {
  for (const KindCode& k : kKindCodes) {
    if (k.code == code) return k.kind;
  }
  return {};
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// The code point ending just before `pos` (U+0000 at the start of text).
char32_t PrevCodePoint(absl::string_view text, size_t pos) {
  if (pos == 0) return 0;
  size_t start = pos - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  return text::DecodeUtf8(text, &start);
}

char32_t CodePointAt(absl::string_view text, size_t pos) {
  if (pos >= text.size()) return 0;
  return text::DecodeUtf8(text, &pos);
}

bool IsAlnum(char32_t cp) { return cp != 0 && u_isalnum(static_cast<UChar32>(cp)); }

// Scans digits from `pos`; returns the end (== pos if none).
size_t ScanDigits(absl::string_view text, size_t pos) {
  while (pos < text.size() && IsAsciiDigit(text[pos])) ++pos;
  return pos;
}

// Scans a word starting with an upper-case letter followed by letters (and
// digits when `digits` is set: "QH14"); returns its end (== pos if none).
size_t ScanCodeWord(absl::string_view text, size_t pos, bool digits) {
  size_t p = pos;
  bool first = true;
  while (p < text.size()) {
    size_t next = p;
    const auto c = static_cast<UChar32>(text::DecodeUtf8(text, &next));
    const bool ok = first ? u_isupper(c) : (u_isalpha(c) || (digits && u_isdigit(c)));
    if (!ok) break;
    first = false;
    p = next;
  }
  return p;
}

// Scans an issuer: code words joined by '-' ("TW", "UBND-VX", "QH14").
size_t ScanIssuer(absl::string_view text, size_t pos) {
  size_t end = ScanCodeWord(text, pos, /*digits=*/true);
  if (end == pos) return pos;
  while (end < text.size() && text[end] == '-') {
    const size_t more = ScanCodeWord(text, end + 1, /*digits=*/true);
    if (more == end + 1) break;
    end = more;
  }
  return end;
}

// The code ends at a real boundary: not followed by a letter or digit, nor by
// '/', '-' or '.' + letter/digit (a longer code or number we do not parse).
bool EndsCleanly(absl::string_view text, size_t end) {
  if (end >= text.size()) return true;
  const char c = text[end];
  if (c == '/' || c == '-' || c == '.') return !IsAlnum(CodePointAt(text, end + 1));
  return !IsAlnum(CodePointAt(text, end));
}

// A candidate starts at a digit not preceded by a letter, digit or a joiner
// that would make it the tail of a longer token ("v1.2", "a/12", "x-05").
bool StartsCleanly(absl::string_view text, size_t pos) {
  if (pos == 0) return true;
  const char c = text[pos - 1];
  if (c == '/' || c == '-' || c == '.' || c == ',' || c == '_') return false;
  return !IsAlnum(PrevCodePoint(text, pos));
}

// The kind named by the words before `begin` ("Chỉ thị số ", "Nghị định "),
// or empty.
absl::string_view KindWordBefore(absl::string_view text, size_t begin) {
  if (begin == 0 || text[begin - 1] != ' ') return {};
  size_t p = begin - 1;
  for (absl::string_view so : {"số", "Số"}) {
    if (p >= so.size() + 1 && text.substr(p - so.size(), so.size()) == so &&
        text[p - so.size() - 1] == ' ') {
      p -= so.size() + 1;
      break;
    }
  }
  size_t window = p > 48 ? p - 48 : 0;
  while (window < p && (static_cast<unsigned char>(text[window]) & 0xC0) == 0x80) ++window;
  const std::string lower = text::ToLower(text.substr(window, p - window));
  for (absl::string_view kind : kKindWords) {
    if (lower.size() < kind.size() || lower.compare(lower.size() - kind.size(), kind.size(),
                                                    kind.data(), kind.size()) != 0) {
      continue;
    }
    // The kind word must start a word: "Luật" but not "...luật" inside one.
    const size_t kind_begin = p - kind.size();
    if (kind_begin > 0 && IsAlnum(PrevCodePoint(text, kind_begin))) continue;
    return kind;
  }
  return {};
}

// Tries to parse a document code at `pos` (a digit). On success fills *e.
bool ParseDocRef(absl::string_view text, size_t pos, Entity* e) {
  const size_t num_end = ScanDigits(text, pos);
  if (num_end == pos || num_end - pos > 5 || num_end >= text.size()) return false;
  const absl::string_view number = text.substr(pos, num_end - pos);
  absl::string_view kind_code, year, issuer;
  size_t year_len = 0;  // digits between the first two slashes, if any
  size_t end = 0;
  // Party codes are sometimes typed with a space around the dash
  // ("05- CT/TW", "05 - CT/TW"); the canonical id drops it.
  size_t dash = num_end;
  if (text[dash] == ' ' && dash + 1 < text.size() && text[dash + 1] == '-') ++dash;
  if (text[dash] == '-') {
    // Party style: NUMBER-KIND/ISSUER ("05-CT/TW", "08-QĐi/TW").
    size_t kind_begin = dash + 1;
    if (kind_begin < text.size() && text[kind_begin] == ' ') ++kind_begin;
    const size_t kind_end = ScanCodeWord(text, kind_begin, /*digits=*/false);
    if (kind_end == kind_begin || kind_end >= text.size() || text[kind_end] != '/') return false;
    const size_t issuer_end = ScanIssuer(text, kind_end + 1);
    if (issuer_end == kind_end + 1) return false;
    kind_code = text.substr(kind_begin, kind_end - kind_begin);
    issuer = text.substr(kind_end + 1, issuer_end - kind_end - 1);
    end = issuer_end;
  } else if (text[num_end] == '/') {
    // State style: NUMBER[/YEAR]/KIND-ISSUER ("157/2007/NĐ-CP", "123/QĐ-UBND")
    // or NUMBER/YEAR/ISSUER ("23/2018/QH14").
    size_t p = num_end + 1;
    const size_t year_end = ScanDigits(text, p);
    if (year_end != p) {
      // Four digits are a year; 2..5 digits are kept as written without a
      // year attribute (typos such as "157/20007/NĐ-CP" occur in real text).
      year_len = year_end - p;
      if (year_len < 2 || year_len > 5 || year_end >= text.size() || text[year_end] != '/') {
        return false;
      }
      if (year_len == 4) year = text.substr(p, 4);
      p = year_end + 1;
    }
    const size_t word_end = ScanCodeWord(text, p, /*digits=*/true);
    if (word_end == p) return false;
    if (word_end < text.size() && text[word_end] == '-') {
      const size_t issuer_end = ScanIssuer(text, word_end + 1);
      if (issuer_end == word_end + 1) return false;
      kind_code = text.substr(p, word_end - p);
      issuer = text.substr(word_end + 1, issuer_end - word_end - 1);
      end = issuer_end;
    } else {
      if (year_len == 0) return false;  // "12/ABC" alone is too weak
      issuer = text.substr(p, word_end - p);
      end = word_end;
    }
  } else {
    return false;
  }
  if (!EndsCleanly(text, end)) return false;
  // The word before the code names the kind when there is one: party
  // regulations are coded QĐ as well as QĐi ("Quy định số 80-QĐ/TW").
  const absl::string_view word_kind = KindWordBefore(text, pos);
  absl::string_view kind = KindOfCode(kind_code);
  if (!kind.empty() && !word_kind.empty() && word_kind != "luật") kind = word_kind;
  if (kind.empty()) {
    // An unknown code ("456/UBND-VX", "23/2018/QH14") counts only when a
    // kind word introduces it; the whole tail is then the issuer.
    kind = word_kind;
    if (kind.empty()) return false;
    if (!kind_code.empty()) {
      const size_t tail = num_end + 1 + (year_len == 0 ? 0 : year_len + 1);
      issuer = text.substr(tail, end - tail);
    }
  }
  e->type = EntityType::kDocRef;
  e->begin = pos;
  e->end = end;
  e->surface = std::string(text.substr(pos, end - pos));
  e->canonical = text::ToNfc(absl::StrReplaceAll(e->surface, {{" ", ""}}));
  e->rule = "doc_ref.code";
  e->attributes.clear();
  e->attributes.emplace_back("kind", std::string(kind));
  e->attributes.emplace_back("number", std::string(number));
  if (!year.empty()) e->attributes.emplace_back("year", std::string(year));
  e->attributes.emplace_back("issuer", std::string(issuer));
  return true;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool IsValidDate(int y, int m, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= kDays[m - 1] + (m == 2 && IsLeapYear(y) ? 1 : 0);
}

int ToInt(absl::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// Matches `word` or its capitalised form at text[pos]; returns the end or pos.
size_t MatchWord(absl::string_view text, size_t pos, absl::string_view lower,
                 absl::string_view capitalised) {
  if (text.substr(pos, lower.size()) == lower) return pos + lower.size();
  if (text.substr(pos, capitalised.size()) == capitalised) return pos + capitalised.size();
  return pos;
}

// Tries to parse a full date at `pos` (a digit). On success fills *e.
bool ParseDate(absl::string_view text, size_t pos, const ExtractorOptions& options, Entity* e) {
  const size_t a_end = ScanDigits(text, pos);
  const size_t a_len = a_end - pos;
  int y = 0, m = 0, d = 0;
  size_t end = 0;
  if (a_len == 4 && a_end < text.size() && text[a_end] == '-') {
    // ISO: YYYY-MM-DD.
    const size_t m_end = ScanDigits(text, a_end + 1);
    if (m_end - a_end - 1 != 2 || m_end >= text.size() || text[m_end] != '-') return false;
    const size_t d_end = ScanDigits(text, m_end + 1);
    if (d_end - m_end - 1 != 2) return false;
    y = ToInt(text.substr(pos, 4));
    m = ToInt(text.substr(a_end + 1, 2));
    d = ToInt(text.substr(m_end + 1, 2));
    end = d_end;
  } else if (a_len == 1 || a_len == 2) {
    d = ToInt(text.substr(pos, a_len));
    if (a_end >= text.size()) return false;
    const char sep = text[a_end];
    if (sep == '/' || sep == '-' || sep == '.') {
      // D/M/YYYY, D-M-YYYY, D.M.YYYY (one separator throughout).
      const size_t m_end = ScanDigits(text, a_end + 1);
      const size_t m_len = m_end - a_end - 1;
      if (m_len < 1 || m_len > 2 || m_end >= text.size() || text[m_end] != sep) return false;
      const size_t y_end = ScanDigits(text, m_end + 1);
      if (y_end - m_end - 1 != 4) return false;
      m = ToInt(text.substr(a_end + 1, m_len));
      y = ToInt(text.substr(m_end + 1, 4));
      end = y_end;
    } else if (sep == ' ') {
      // "12 tháng 3 năm 2019".
      size_t p = MatchWord(text, a_end + 1, "tháng ", "Tháng ");
      if (p == a_end + 1) return false;
      const size_t m_end = ScanDigits(text, p);
      const size_t m_len = m_end - p;
      if (m_len < 1 || m_len > 2) return false;
      m = ToInt(text.substr(p, m_len));
      const size_t q = MatchWord(text, m_end, " năm ", " Năm ");
      if (q == m_end) return false;
      const size_t y_end = ScanDigits(text, q);
      if (y_end - q != 4) return false;
      y = ToInt(text.substr(q, 4));
      end = y_end;
    } else {
      return false;
    }
  } else {
    return false;
  }
  if (!EndsCleanly(text, end)) return false;
  if (y < options.min_year || y > options.max_year || !IsValidDate(y, m, d)) return false;
  e->type = EntityType::kDate;
  e->begin = pos;
  e->end = end;
  e->surface = std::string(text.substr(pos, end - pos));
  e->canonical = absl::StrFormat("%04d-%02d-%02d", y, m, d);
  e->attributes = {{"year", absl::StrCat(y)}, {"month", absl::StrCat(m)}, {"day", absl::StrCat(d)}};
  e->rule = "date.full";
  return true;
}

// A date without its year ("Sáng 20/7", "ngày 20 tháng 7"), resolved once
// the dateline year is known; `year` is set when a list gives it ("ngày 20
// và 21/7/2019").
struct PartialDate {
  size_t begin = 0;
  size_t end = 0;
  int day = 0;
  int month = 0;
  int year = 0;
};

// Words that, just before a day number, make "20/7" a date rather than a
// fraction or a score: "ngày", the parts of the day, "từ ... đến".
constexpr absl::string_view kDateCues[] = {"ngày", "sáng", "chiều", "tối", "trưa", "đêm",
                                           "hôm",  "rạng", "từ",    "đến", "và",   "mai"};

// True if the word one space before `pos` is a date cue, in lower case or
// capitalised ("Sáng 20/7"); compared in place, without allocating, since
// every number of the text passes here.
bool HasDateCue(absl::string_view text, size_t pos) {
  if (pos < 3 || text[pos - 1] != ' ') return false;
  const absl::string_view before = text.substr(0, pos - 1);
  for (const absl::string_view cue : kDateCues) {
    if (before.size() < cue.size()) continue;
    const size_t start = before.size() - cue.size();
    if (start > 0) {
      const char prev = before[start - 1];
      if (prev != ' ' && prev != '\n' && prev != '(' && prev != ',') continue;
    }
    const absl::string_view word = before.substr(start);
    if (word == cue) return true;
    // Capitalised: the first letter differs, the rest is equal.
    size_t first = 0;
    text::DecodeUtf8(cue, &first);
    if (word.substr(0, word.size()).size() == cue.size() && word.substr(first) == cue.substr(first) &&
        text::ToLower(word.substr(0, first)) == cue.substr(0, first)) {
      return true;
    }
  }
  return false;
}

// Parses "D/M", "D-M", "D.M" or "D tháng M" at `pos` (not followed by a
// year: full dates are ParseDate's). Returns the end, or pos.
size_t ParseDayMonth(absl::string_view text, size_t pos, int* d, int* m) {
  const size_t a_end = ScanDigits(text, pos);
  if (a_end - pos < 1 || a_end - pos > 2 || a_end >= text.size()) return pos;
  *d = ToInt(text.substr(pos, a_end - pos));
  const char sep = text[a_end];
  size_t m_begin = 0;
  if (sep == '/' || sep == '-' || sep == '.') {
    m_begin = a_end + 1;
  } else if (sep == ' ') {
    m_begin = MatchWord(text, a_end + 1, "tháng ", "Tháng ");
    if (m_begin == a_end + 1) return pos;
  } else {
    return pos;
  }
  const size_t m_end = ScanDigits(text, m_begin);
  if (m_end - m_begin < 1 || m_end - m_begin > 2) return pos;
  *m = ToInt(text.substr(m_begin, m_end - m_begin));
  // "20/7/2019" and "7/2019" are not partial; "20/7." and "20/7," are.
  if (m_end < text.size()) {
    const char c = text[m_end];
    if ((c == '/' || c == '-' || c == '.') && m_end + 1 < text.size() &&
        IsAsciiDigit(text[m_end + 1])) {
      return pos;
    }
    if (IsAlnum(CodePointAt(text, m_end))) return pos;
    if (sep == ' ' && MatchWord(text, m_end, " năm ", " Năm ") != m_end) return pos;
  }
  if (*m < 1 || *m > 12 || *d < 1 || *d > 31) return pos;
  return m_end;
}

// Partial dates at `pos` after a cue word, including lists that share the
// month ("ngày 20 và 21/7", "20-22/7"). Appends to *out; returns the end of
// what was read, or pos.
size_t ParsePartialDates(absl::string_view text, size_t pos, std::vector<PartialDate>* out) {
  if (!HasDateCue(text, pos)) return pos;
  int d = 0, m = 0;
  if (const size_t end = ParseDayMonth(text, pos, &d, &m); end > pos) {
    out->push_back(PartialDate{pos, end, d, m, 0});
    return end;
  }
  // A list: "20 và 21/7", "20, 21/7", "20-21/7", "20 - 22/7".
  const size_t a_end = ScanDigits(text, pos);
  if (a_end - pos < 1 || a_end - pos > 2) return pos;
  d = ToInt(text.substr(pos, a_end - pos));
  size_t next = a_end;
  for (absl::string_view joiner : {" và ", ", ", " - ", "-", " đến "}) {
    if (text.substr(a_end, joiner.size()) == joiner) {
      next = a_end + joiner.size();
      break;
    }
  }
  if (next == a_end || next >= text.size() || !IsAsciiDigit(text[next])) return pos;
  int d2 = 0, m2 = 0;
  size_t end2 = ParseDayMonth(text, next, &d2, &m2);
  int year = 0;
  if (end2 == next) {
    // The second one may be a full date: "20 và 21/7/2019".
    Entity full;
    if (!ParseDate(text, next, ExtractorOptions(), &full)) return pos;
    m2 = std::stoi(full.attributes[1].second);
    year = std::stoi(full.attributes[0].second);
    out->push_back(PartialDate{pos, a_end, d, m2, year});
    return a_end;  // the scan reads the full date itself
  }
  if (d >= d2) return pos;
  out->push_back(PartialDate{pos, a_end, d, m2, 0});
  out->push_back(PartialDate{next, end2, d2, m2, 0});
  return end2;
}

// The document's dateline year: the first full date written next to a time
// of day ("(15:25 20/07/2019)", "08:28, Thứ Tư, 22/05/2019", "28.2.2018 -
// 7:25"), else the first full date in the first lines. 0 if none.
int DatelineYear(absl::string_view text, const std::vector<Entity>& dates) {
  auto has_time_near = [&](const Entity& e) {
    const size_t from = e.begin > 40 ? e.begin - 40 : 0;
    const size_t to = std::min(text.size(), e.end + 40);
    for (size_t p = from; p + 2 < to; ++p) {
      if (text[p] == '\n' && p >= e.end) break;
      if (text[p] == '\n') continue;
      if (text[p] == ':' && p > 0 && IsAsciiDigit(text[p - 1]) && IsAsciiDigit(text[p + 1]) &&
          IsAsciiDigit(text[p + 2]) && text.substr(e.begin, e.end - e.begin).find(':') ==
                                           absl::string_view::npos) {
        // The time must be on the date's own line.
        const size_t nl = text.substr(std::min(p, e.begin), std::max(p, e.begin) -
                                                                std::min(p, e.begin))
                              .find('\n');
        if (nl == absl::string_view::npos) return true;
      }
    }
    return false;
  };
  for (const Entity& e : dates) {
    if (e.begin > 2000) break;
    if (has_time_near(e)) return std::stoi(e.attributes[0].second);
  }
  for (const Entity& e : dates) {
    if (e.begin > 600) break;
    return std::stoi(e.attributes[0].second);
  }
  return 0;
}

// text::TokenizeSyllables, in one pass over the text with room reserved up
// front: the token vector is the largest allocation of an extraction.
std::vector<text::Token> Tokenize(absl::string_view text) {
  std::string forms;
  std::vector<text::internal::TokenWithForms> spans;
  spans.reserve(text.size() / 5 + 16);
  forms.reserve(text.size() * 2 + 16);
  text::internal::TokenizeWithForms(text, &forms, &spans);
  std::vector<text::Token> tokens(spans.size());
  const absl::string_view f = forms;
  for (size_t i = 0; i < spans.size(); ++i) {
    const text::internal::TokenWithForms& s = spans[i];
    text::Token& t = tokens[i];
    t.begin = s.begin;
    t.end = s.end;
    t.text.assign(text.data() + s.begin, s.end - s.begin);
    t.lower.assign(f.data() + s.lower_begin, s.lower_end - s.lower_begin);
    t.folded.assign(f.data() + s.folded_begin, s.folded_end - s.folded_begin);
  }
  return tokens;
}

// Links numbered references without a code ("Quy định 08") to the coded
// reference of the same kind and number in the same text ("08-QĐi/TW"):
// ANNOTATION.md lists only the coded id then.
void LinkNumberedRefs(std::vector<Entity>* entities) {
  auto attr = [](const Entity& e, absl::string_view key) -> absl::string_view {
    for (const auto& [k, v] : e.attributes) {
      if (k == key) return v;
    }
    return {};
  };
  auto number = [](absl::string_view digits) {
    const size_t nz = digits.find_first_not_of('0');
    return nz == absl::string_view::npos ? absl::string_view("0") : digits.substr(nz);
  };
  for (Entity& e : *entities) {
    if (e.type != EntityType::kDocRef || e.rule != "doc_ref.numbered") continue;
    for (const Entity& c : *entities) {
      if (c.type != EntityType::kDocRef || c.rule != "doc_ref.code") continue;
      if (attr(c, "kind") != attr(e, "kind") ||
          number(attr(c, "number")) != number(attr(e, "number"))) {
        continue;
      }
      e.canonical = c.canonical;
      e.rule = "doc_ref.numbered_linked";
      break;
    }
  }
}

}  // namespace

const char* EntityTypeName(EntityType type) {
  switch (type) {
    case EntityType::kPerson:
      return "PERSON";
    case EntityType::kOrg:
      return "ORG";
    case EntityType::kLoc:
      return "LOC";
    case EntityType::kDate:
      return "DATE";
    case EntityType::kDocRef:
      return "DOC_REF";
  }
  return "UNKNOWN";
}

Extractor::Extractor(ExtractorOptions options)
    : options_(std::move(options)),
      gazetteer_(options_.gazetteer != nullptr ? options_.gazetteer : Gazetteer::Default()) {}

absl::StatusOr<ExtractResult> Extractor::Extract(absl::string_view normalized_text) const {
  if (normalized_text.size() > options_.max_input_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("text of ", normalized_text.size(), " bytes exceeds max_input_bytes ",
                     options_.max_input_bytes));
  }
  VNA_RETURN_IF_ERROR(text::ValidateUtf8(normalized_text));
  ExtractResult result;
  const absl::string_view text = normalized_text;
  std::vector<Entity> dates;
  std::vector<PartialDate> partial;
  size_t pos = 0;
  // One pass over candidate starts. A DOC_REF is tried before a DATE at the
  // same position and the scan resumes after any match, so a date can never
  // fire inside a document code ("157/2007/NĐ-CP").
  while (pos < text.size()) {
    if (!IsAsciiDigit(text[pos]) || !StartsCleanly(text, pos)) {
      ++pos;
      continue;
    }
    Entity e;
    if (options_.doc_refs && ParseDocRef(text, pos, &e)) {
      pos = e.end;
      result.entities.push_back(std::move(e));
      continue;
    }
    if (options_.dates && ParseDate(text, pos, options_, &e)) {
      pos = e.end;
      dates.push_back(std::move(e));
      continue;
    }
    if (options_.dates) {
      const size_t end = ParsePartialDates(text, pos, &partial);
      if (end > pos) {
        pos = end;
        continue;
      }
    }
    pos = ScanDigits(text, pos);  // skip the rest of this number
  }
  // Partial dates take the dateline's year (or the caller's).
  if (!partial.empty()) {
    const bool from_option = options_.reference_year > 0;
    const int year = from_option ? options_.reference_year : DatelineYear(text, dates);
    for (const PartialDate& p : partial) {
      const int y = p.year > 0 ? p.year : year;
      if (y < options_.min_year || y > options_.max_year || !IsValidDate(y, p.month, p.day)) {
        continue;
      }
      Entity e;
      e.type = EntityType::kDate;
      e.begin = p.begin;
      e.end = p.end;
      e.surface = std::string(text.substr(p.begin, p.end - p.begin));
      e.canonical = absl::StrFormat("%04d-%02d-%02d", y, p.month, p.day);
      e.attributes = {{"year", absl::StrCat(y)},
                      {"month", absl::StrCat(p.month)},
                      {"day", absl::StrCat(p.day)}};
      if (p.year == 0) e.attributes.emplace_back("year_from", from_option ? "option" : "dateline");
      e.rule = p.year > 0 ? "date.list" : "date.partial";
      dates.push_back(std::move(e));
    }
  }
  for (Entity& d : dates) result.entities.push_back(std::move(d));

  // Token rules: names, organisations, places, roles, worded references.
  if (options_.persons || options_.orgs || options_.locs || options_.roles || options_.doc_refs) {
    const std::vector<text::Token> tokens = Tokenize(text);
    std::vector<char> blocked(tokens.size(), 0);
    // Tokens inside a code or a date belong to it ("CP" in "157/2007/NĐ-CP").
    std::vector<std::pair<size_t, size_t>> spans;
    for (const Entity& e : result.entities) spans.emplace_back(e.begin, e.end);
    std::sort(spans.begin(), spans.end());
    size_t s = 0;
    for (size_t i = 0; i < tokens.size(); ++i) {
      while (s < spans.size() && spans[s].second <= tokens[i].begin) ++s;
      if (s < spans.size() && spans[s].first < tokens[i].end) blocked[i] = 1;
    }
    internal::ApplyTokenRules(*gazetteer_, text, tokens, blocked, options_, &result);
  }
  LinkNumberedRefs(&result.entities);

  // A reference followed by "ngày <date>" carries that date.
  std::sort(result.entities.begin(), result.entities.end(), [](const Entity& a, const Entity& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    return a.end > b.end;
  });
  for (size_t i = 0; i < result.entities.size(); ++i) {
    Entity& e = result.entities[i];
    if (e.type != EntityType::kDocRef) continue;
    for (size_t k = i + 1; k < result.entities.size() && result.entities[k].begin < e.end + 12;
         ++k) {
      const Entity& d = result.entities[k];
      if (d.type != EntityType::kDate || d.begin < e.end) continue;
      const std::string between = text::ToLower(text.substr(e.end, d.begin - e.end));
      if (between == " ngày " || between == ", ngày ") e.attributes.emplace_back("date", d.canonical);
      break;
    }
  }
  if (result.entities.size() > options_.max_entities) {
    result.entities.resize(options_.max_entities);
    result.truncated = true;
  }
  if (result.relations.size() > options_.max_entities) {
    result.relations.resize(options_.max_entities);
    result.truncated = true;
  }
  return result;
}

}  // namespace extract
}  // namespace vnarchive
