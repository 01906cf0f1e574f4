#include "services/normalize/core/normalizer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/status_macros.h"
#include "common/text/nfc.h"
#include "common/text/utf8.h"
#include "unicode/uchar.h"

namespace vnarchive {
namespace normalize {
namespace {

// Words that a "." follows without ending the sentence in Vietnamese official
// and news text (DESIGN.md §5). Single upper-case letters (initials, "Q. 1",
// "P. 5") and dotted chains of listed parts ("PGS.TS", "T.Ư") are handled by
// rule in IsAbbreviation, so they need no entry here.
constexpr const char* kBuiltinAbbreviations[] = {
    "TP",  "Tp",  "TX",  "TT",  "TS",  "PGS", "GS",  "ThS", "Th.S", "Ths", "Th",
    "BS",  "KS",  "CN",  "NCS", "ĐH",  "NXB", "Nxb", "Tr",  "tr",   "Mr",  "Mrs",
    "Ms",  "Dr",  "St",  "T.Ư", "TƯ",  "Đ/c", "đ/c", "Co",  "Ltd",  "No",  "Vol"};

enum class CharClass { kKeep, kSpace, kZeroWidth, kDoubleQuote, kSingleQuote, kDash, kEllipsis };

CharClass Classify(char32_t cp) {
  switch (cp) {
    case 0x00A0:  // NO-BREAK SPACE
    case 0x202F:  // NARROW NO-BREAK SPACE
    case 0x205F:  // MEDIUM MATHEMATICAL SPACE
    case 0x3000:  // IDEOGRAPHIC SPACE
    case 0x1680:  // OGHAM SPACE MARK
    case 0x0085:  // NEXT LINE (a C1 control; treated as a space, not a break)
      return CharClass::kSpace;
    case 0x200B:  // ZERO WIDTH SPACE
    case 0x200C:  // ZERO WIDTH NON-JOINER
    case 0x200D:  // ZERO WIDTH JOINER
    case 0x2060:  // WORD JOINER
    case 0xFEFF:  // BOM / ZERO WIDTH NO-BREAK SPACE
    case 0x00AD:  // SOFT HYPHEN: invisible, and splits words in scraped HTML
      return CharClass::kZeroWidth;
    default:
      break;
  }
  if (cp >= 0x2000 && cp <= 0x200A) return CharClass::kSpace;  // EN QUAD..HAIR SPACE
  // Typography made uniform (ASCII), so that the same sentence typed in a
  // word processor and in a web form compares and searches alike.
  switch (cp) {
    case 0x201C: case 0x201D: case 0x201E: case 0x201F:  // “ ” „ ‟
    case 0x2033:                                         // ″
      return CharClass::kDoubleQuote;
    case 0x2018: case 0x2019: case 0x201A: case 0x201B:  // ‘ ’ ‚ ‛
    case 0x2032:                                         // ′
      return CharClass::kSingleQuote;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013:  // ‐ ‑ ‒ –
    case 0x2014: case 0x2015: case 0x2212:               // — ― −
      return CharClass::kDash;
    case 0x2026:  // …
      return CharClass::kEllipsis;
    default:
      return CharClass::kKeep;
  }
}

// Pass 1 on validated UTF-8: line breaks to LF, odd spaces and controls to
// U+0020, zero-width characters removed. Runs before NFC because removing a
// zero-width character can bring a base letter and a combining mark together.
std::string CleanCharacters(absl::string_view in, NormalizeCounts* counts) {
  std::string out;
  out.reserve(in.size());
  size_t pos = 0;
  while (pos < in.size()) {
    const unsigned char c = static_cast<unsigned char>(in[pos]);
    if (c < 0x80) {
      ++pos;
      if (c == '\r') {
        ++counts->crlf_converted;
        if (pos < in.size() && in[pos] == '\n') ++pos;
        out.push_back('\n');
      } else if (c == '\n' || (c >= 0x20 && c != 0x7F)) {
        out.push_back(static_cast<char>(c));
      } else {  // tab, VT, FF, other C0 controls, DEL
        ++counts->spaces_normalized;
        out.push_back(' ');
      }
      continue;
    }
    const size_t start = pos;
    const char32_t cp = text::DecodeUtf8(in, &pos);
    switch (Classify(cp)) {
      case CharClass::kKeep:
        out.append(in.data() + start, pos - start);
        break;
      case CharClass::kSpace:
        ++counts->spaces_normalized;
        out.push_back(' ');
        break;
      case CharClass::kZeroWidth:
        ++counts->zero_width_removed;
        break;
      case CharClass::kDoubleQuote:
        ++counts->typography_normalized;
        out.push_back('"');
        break;
      case CharClass::kSingleQuote:
        ++counts->typography_normalized;
        out.push_back('\'');
        break;
      case CharClass::kDash:
        ++counts->typography_normalized;
        out.push_back('-');
        break;
      case CharClass::kEllipsis:
        ++counts->typography_normalized;
        out.append("...");
        break;
    }
  }
  return out;
}

size_t CountCodePoints(absl::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Collapses runs of spaces in `line` and trims it.
std::string CleanLine(absl::string_view line, NormalizeCounts* counts) {
  std::string out;
  out.reserve(line.size());
  size_t run = 0;
  bool trimmed = false;
  for (char c : line) {
    if (c == ' ') {
      ++run;
      continue;
    }
    if (run > 0) {
      if (out.empty()) {
        trimmed = true;
      } else {
        if (run > 1) ++counts->space_runs_collapsed;
        out.push_back(' ');
      }
      run = 0;
    }
    out.push_back(c);
  }
  if (run > 0) trimmed = true;
  if (trimmed) ++counts->lines_trimmed;
  return out;
}

bool StartsWith(absl::string_view s, size_t pos, absl::string_view prefix) {
  return s.substr(pos, prefix.size()) == prefix;
}

// Length of the terminator (. ! ? …) at text[pos], or 0.
size_t TerminatorAt(absl::string_view text, size_t pos) {
  const char c = text[pos];
  if (c == '.' || c == '!' || c == '?') return 1;
  if (StartsWith(text, pos, "…")) return 3;
  return 0;
}

// Length of a closing quote or bracket at text[pos], or 0: these stay with the
// sentence they close ("... nhất là người đứng đầu”.").
size_t CloserAt(absl::string_view text, size_t pos) {
  const char c = text[pos];
  if (c == '"' || c == '\'' || c == ')' || c == ']') return 1;
  for (absl::string_view closer : {"”", "’", "»"}) {
    if (StartsWith(text, pos, closer)) return closer.size();
  }
  return 0;
}

// True if the character at text[pos] can begin a sentence: an upper-case
// letter, a digit, an opening quote or bracket, or a dialogue/list dash.
bool StartsSentence(absl::string_view text, size_t pos) {
  size_t p = pos;
  const char32_t cp = text::DecodeUtf8(text, &p);
  const UChar32 c = static_cast<UChar32>(cp);
  if (u_isupper(c) || u_istitle(c) || u_isdigit(c)) return true;
  switch (cp) {
    case U'"':
    case U'\'':
    case U'(':
    case U'[':
    case U'-':
    case U'\u201C':  // “
    case U'\u2018':  // ‘
    case U'\u00AB':  // «
    case U'\u2013':  // –
    case U'\u2014':  // —
      return true;
    default:
      return false;
  }
}

bool IsSingleUpperLetter(absl::string_view word) {
  size_t pos = 0;
  const char32_t cp = text::DecodeUtf8(word, &pos);
  return pos == word.size() && u_isupper(static_cast<UChar32>(cp));
}

// Fills result->tokens and result->token_forms from result->text.
void Tokenize(NormalizedText* result) {
  const absl::string_view text = result->text;
  std::string& forms = result->token_forms;
  forms.reserve(text.size() * 2);
  // Offsets are 32-bit: Normalize refuses inputs near that size already.
  text::ForEachTokenSpan(text, [&](size_t begin, size_t end) {
    const absl::string_view piece = text.substr(begin, end - begin);
    NormalizedToken token;
    token.begin = static_cast<uint32_t>(begin);
    token.end = static_cast<uint32_t>(end);
    token.lower_begin = static_cast<uint32_t>(forms.size());
    text::AppendLower(piece, &forms);
    token.lower_end = static_cast<uint32_t>(forms.size());
    token.folded_begin = token.lower_end;
    text::AppendFold(piece, &forms);
    token.folded_end = static_cast<uint32_t>(forms.size());
    result->tokens.push_back(token);
  });
}

}  // namespace

Normalizer::Normalizer(NormalizerOptions options) : options_(std::move(options)) {
  for (const char* a : kBuiltinAbbreviations) abbreviations_.insert(a);
  for (const std::string& a : options_.extra_abbreviations) abbreviations_.insert(a);
}

bool Normalizer::IsAbbreviation(absl::string_view word) const {
  if (word.empty()) return false;
  if (abbreviations_.contains(word) || IsSingleUpperLetter(word)) return true;
  if (word.find('.') == absl::string_view::npos) return false;
  // A dotted chain such as "PGS.TS" or "T.Ư": every part must be known.
  for (absl::string_view part : absl::StrSplit(word, '.')) {
    if (part.empty() || !(abbreviations_.contains(part) || IsSingleUpperLetter(part))) {
      return false;
    }
  }
  return true;
}

void Normalizer::SplitSentences(absl::string_view text, size_t begin, size_t end,
                                std::vector<Span>* out) const {
  const absl::string_view para = text.substr(0, end);
  size_t start = begin;
  size_t i = begin;
  while (i < end) {
    const size_t term = TerminatorAt(para, i);
    if (term == 0) {
      ++i;  // byte steps are safe: terminators and spaces are never continuation bytes
      continue;
    }
    size_t j = i + term;
    while (j < end) {
      const size_t more = TerminatorAt(para, j);
      if (more == 0) break;
      j += more;
    }
    const bool single_period = para[i] == '.' && j == i + 1;
    while (j < end) {
      const size_t closer = CloserAt(para, j);
      if (closer == 0) break;
      j += closer;
    }
    // Lines are already collapsed: exactly one space separates sentences.
    // No space ("33.680", "T.Ư", "20/7.") means no sentence boundary.
    if (j + 1 >= end || para[j] != ' ' || !StartsSentence(para, j + 1)) {
      i = j;
      continue;
    }
    if (single_period) {
      size_t word_begin = i;
      while (word_begin > start && para[word_begin - 1] != ' ') --word_begin;
      absl::string_view word = para.substr(word_begin, i - word_begin);
      // "(TS." and "“PGS." are abbreviations too.
      while (!word.empty() && (word.front() == '(' || word.front() == '"')) word.remove_prefix(1);
      if (StartsWith(word, 0, "“")) word.remove_prefix(3);
      if (IsAbbreviation(word)) {
        i = j;
        continue;
      }
    }
    out->push_back(Span{start, j});
    start = j + 1;
    i = start;
  }
  if (start < end) out->push_back(Span{start, end});
}

absl::StatusOr<NormalizedText> Normalizer::Normalize(absl::string_view utf8) const {
  if (utf8.size() > options_.max_input_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "input of ", utf8.size(), " bytes exceeds max_input_bytes ", options_.max_input_bytes));
  }
  VNA_RETURN_IF_ERROR(text::ValidateUtf8(utf8));

  NormalizedText result;
  NormalizeCounts& counts = result.counts;
  const std::string cleaned = CleanCharacters(utf8, &counts);
  VNA_ASSIGN_OR_RETURN(std::string nfc, text::ToNfcChecked(cleaned));
  if (nfc != cleaned) {
    counts.nfc_changed = true;
    const size_t before = CountCodePoints(cleaned);
    const size_t after = CountCodePoints(nfc);
    counts.nfc_code_points_composed = before > after ? before - after : 0;
  }
  if (options_.canonicalize_tones) counts.tones_moved = CanonicalizeTones(options_.tone_style, &nfc);

  absl::flat_hash_set<std::string> seen;
  std::string& out = result.text;
  out.reserve(nfc.size());
  for (absl::string_view line : absl::StrSplit(nfc, '\n')) {
    std::string paragraph = CleanLine(line, &counts);
    if (paragraph.empty()) continue;
    if (options_.dedupe_paragraphs && !seen.insert(paragraph).second) {
      ++counts.paragraphs_deduplicated;
      continue;
    }
    if (!out.empty()) out += "\n\n";
    result.paragraphs.push_back(Span{out.size(), out.size() + paragraph.size()});
    out += paragraph;
  }
  for (const Span& p : result.paragraphs) {
    SplitSentences(out, p.begin, p.end, &result.sentences);
  }
  if (options_.tokenize) Tokenize(&result);
  if (options_.find_abbreviations) result.abbreviations = FindAbbreviations(out);
  return result;
}

absl::StatusOr<NormalizedText> Normalizer::NormalizeBytes(absl::string_view bytes,
                                                      const DecodeOptions& decode) const {
  VNA_ASSIGN_OR_RETURN(DecodeResult decoded, Decode(bytes, decode));
  VNA_ASSIGN_OR_RETURN(NormalizedText result, Normalize(decoded.utf8));
  result.decoded.encoding = decoded.encoding;
  result.decoded.confidence = decoded.confidence;
  result.decoded.had_bom = decoded.had_bom;
  result.decoded.replacements = decoded.replacements;
  return result;
}

}  // namespace normalize
}  // namespace vnarchive
