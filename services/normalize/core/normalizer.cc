#include "services/normalize/core/normalizer.h"

#include <bitset>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/status_macros.h"
#include "common/text/nfc.h"
#include "common/text/utf8.h"
#include "unicode/uchar.h"
#include "xxhash.h"
#include "unicode/unorm2.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// Code points below U+10000 that are NFC_QC=Yes with combining class 0. Text
// made only of these is already NFC (the Unicode quick check answers Yes), so
// the clean pass can tell whether ICU is needed at all: in Vietnamese text it
// almost never is, while ICU's own quick check would still read every byte.
// Built once from ICU's data, so it cannot drift from Unicode.
const std::bitset<0x10000>& NfcStableBmp() {
  static const std::bitset<0x10000>* const stable = [] {
    auto* bits = new std::bitset<0x10000>;
    for (UChar32 c = 0; c < 0x10000; ++c) {
      (*bits)[static_cast<size_t>(c)] =
          u_getCombiningClass(c) == 0 &&
          u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) == UNORM_YES;
    }
    return bits;
  }();
  return *stable;
}

// Bytes the clean pass keeps as they are without decoding: printable ASCII
// and LF. Vietnamese has a non-ASCII letter every few bytes, so these runs
// are short and a table test per byte beats word-at-a-time tricks.
struct PlainAscii {
  bool plain[256] = {};
};
constexpr PlainAscii BuildPlainAscii() {
  PlainAscii t;
  for (int c = 0x20; c < 0x7F; ++c) t.plain[c] = true;
  t.plain[static_cast<unsigned char>('\n')] = true;
  return t;
}
constexpr PlainAscii kPlainAscii = BuildPlainAscii();

#if defined(__SSE2__)
// Returns how many bytes of the 16 at `p` (which starts a code point) the
// clean pass may skip as they are: 0 unless the block holds only well-formed
// printable ASCII, LF, U+00C0..U+02FF (leads C3..CB) and U+1E00..U+1EFF
// (E1 B8..BB xx) -- all kept by Classify and NFC-stable -- and then 14 to
// 16, stopping before a code point cut by the block's end. Vietnamese text
// switches between ASCII and two- or three-byte letters every few bytes,
// which a byte loop pays for with a mispredicted branch each time; this
// decides 16 bytes with a handful of vector compares and no branch.
// (NormalizerTest.FastPathCharactersAreKeptAndStable checks the ranges.)
inline size_t KeptPrefixOfBlock(const unsigned char* p) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Signed compares see bytes >= 0x80 as negative; flipping the top bit
  // makes them compare as unsigned.
  const __m128i biased = _mm_xor_si128(bytes, _mm_set1_epi8(static_cast<char>(0x80)));
  auto in_range = [&biased](int lo, int hi) {  // lo >= 1, hi <= 254
    const __m128i above =
        _mm_cmpgt_epi8(biased, _mm_set1_epi8(static_cast<char>((lo - 1) ^ 0x80)));
    const __m128i below =
        _mm_cmplt_epi8(biased, _mm_set1_epi8(static_cast<char>((hi + 1) ^ 0x80)));
    return static_cast<uint32_t>(_mm_movemask_epi8(_mm_and_si128(above, below)));
  };
  auto equal = [&bytes](int b) {
    return static_cast<uint32_t>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(static_cast<char>(b)))));
  };
  const uint32_t printable = in_range(0x20, 0x7E) | equal('\n');
  const uint32_t lead2 = in_range(0xC3, 0xCB);
  const uint32_t e1 = equal(0xE1);
  // E1 leads U+1E00..U+1EFF only with B8..BB after it; any other E1 is for
  // the slow path. (An E1 in the last byte is decided by the next block.)
  const uint32_t lead3 = e1 & (in_range(0xB8, 0xBB) >> 1);
  const uint32_t continuation = in_range(0x80, 0xBF);
  // Every byte of the block is checked (an E1 in the last byte passes as a
  // lead); only continuation bytes the last code point expects beyond the
  // block are not, and that code point is left to the next block, which
  // checks it whole.
  const uint32_t other =
      ~(printable | lead2 | lead3 | (e1 & 0x8000) | continuation) & 0xFFFF;
  const uint32_t expected_continuation =
      ((lead2 << 1) | (lead3 << 1) | (lead3 << 2)) & 0xFFFF;
  const uint32_t wrong = other | (continuation ^ expected_continuation);
  const size_t cut = (lead3 & 0x4000) ? 2 : ((lead2 | e1) & 0x8000) ? 1 : 0;
  return wrong == 0 ? 16 - cut : 0;
}
#endif

// Pass 1, which also validates the UTF-8: line breaks to LF, odd spaces and
// controls to U+0020, zero-width characters removed, typography made ASCII.
// Runs before NFC because removing a zero-width character can bring a base
// letter and a combining mark together. Writes the result to *out and sets
// *needs_nfc if it may not be NFC. Returns the offset of the first ill-formed
// sequence (then *out is unspecified), or npos.
//
// Bytes that stay as they are (nearly all) are not copied one by one: `run`
// marks the start of the pending unchanged bytes, which are appended in one
// go when a byte that changes is reached, or at the end.
size_t CleanCharacters(absl::string_view in, std::string* out, NormalizeCounts* counts,
                       bool* needs_nfc) {
  const std::bitset<0x10000>& nfc_stable = NfcStableBmp();
  const size_t n = in.size();
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  // Cleaning never lengthens the text (every replacement is at most as long
  // as what it replaces: CRLF/CR -> LF, 2-3 byte spaces -> 1, … -> "..."),
  // so this reservation is the only allocation.
  out->clear();
  out->reserve(n);
  size_t run = 0;
  size_t pos = 0;
  auto flush = [&](size_t end) { out->append(in.data() + run, end - run); };
  while (pos < n) {
#if defined(__SSE2__)
    while (pos + 16 <= n) {
      const size_t kept = KeptPrefixOfBlock(p + pos);
      if (kept == 0) break;
      pos += kept;
    }
#endif
    while (pos < n && kPlainAscii.plain[p[pos]]) ++pos;
    if (pos >= n) break;
    const unsigned char c = p[pos];
    if (c < 0x80) {
      flush(pos);
      ++pos;
      if (c == '\r') {
        ++counts->crlf_converted;
        if (pos < n && p[pos] == '\n') ++pos;
        out->push_back('\n');
      } else {  // tab, VT, FF, other C0 controls, DEL
        ++counts->spaces_normalized;
        out->push_back(' ');
      }
      run = pos;
      continue;
    }
    const size_t start = pos;
    const char32_t cp = text::internal::DecodeNonAscii(in, &pos);
    // A well-formed sequence here has two or more bytes; DecodeUtf8 steps
    // over an ill-formed one a byte at a time.
    if (pos == start + 1) return start;
    if (cp >= 0x0300 && (cp > 0xFFFF || !nfc_stable[cp])) *needs_nfc = true;
    // Every code point Classify does not keep is below U+00C0, U+1680, or
    // at or above U+2000: the Vietnamese letters and marks skip it.
    if (!(cp < 0x00C0 || cp == 0x1680 || cp >= 0x2000)) continue;
    const CharClass cls = Classify(cp);
    if (cls == CharClass::kKeep) continue;
    flush(start);
    run = pos;
    switch (cls) {
      case CharClass::kKeep:
        break;
      case CharClass::kSpace:
        ++counts->spaces_normalized;
        out->push_back(' ');
        break;
      case CharClass::kZeroWidth:
        ++counts->zero_width_removed;
        break;
      case CharClass::kDoubleQuote:
        ++counts->typography_normalized;
        out->push_back('"');
        break;
      case CharClass::kSingleQuote:
        ++counts->typography_normalized;
        out->push_back('\'');
        break;
      case CharClass::kDash:
        ++counts->typography_normalized;
        out->push_back('-');
        break;
      case CharClass::kEllipsis:
        ++counts->typography_normalized;
        out->append("...");
        break;
    }
  }
  flush(n);
  return absl::string_view::npos;
}

// True if `line` has no leading or trailing space and no two spaces in a
// row, so CleanLine would return it unchanged (most lines, once trimmed).
// The loop has no early exit so that the compiler can vectorise it.
bool IsCleanLine(absl::string_view line) {
  if (line.empty()) return true;
  if (line.front() == ' ' || line.back() == ' ') return false;
  const char* p = line.data();
  unsigned char double_space = 0;
  for (size_t i = 1; i < line.size(); ++i) {
    double_space |= static_cast<unsigned char>((p[i - 1] == ' ') & (p[i] == ' '));
  }
  return double_space == 0;
}

// Collapses runs of spaces in `line` and trims it, into *out (cleared first:
// one buffer serves every line).
void CleanLine(absl::string_view line, NormalizeCounts* counts, std::string* out) {
  out->clear();
  size_t run = 0;
  bool trimmed = false;
  for (char c : line) {
    if (c == ' ') {
      ++run;
      continue;
    }
    if (run > 0) {
      if (out->empty()) {
        trimmed = true;
      } else {
        if (run > 1) ++counts->space_runs_collapsed;
        out->push_back(' ');
      }
      run = 0;
    }
    out->push_back(c);
  }
  if (run > 0) trimmed = true;
  if (trimmed) ++counts->lines_trimmed;
}

// Hash and equality of paragraphs kept in the dedupe set as spans of the
// output text, so no paragraph is copied. They read the text through a
// pointer to the string, so the spans stay valid when it grows.
struct ParagraphHash {
  const std::string* text;
  size_t operator()(const Span& s) const {
    // XXH3: every paragraph is hashed once, and it is several times faster
    // than absl::Hash on long strings.
    return static_cast<size_t>(XXH3_64bits(text->data() + s.begin, s.end - s.begin));
  }
};
struct ParagraphEq {
  const std::string* text;
  bool operator()(const Span& a, const Span& b) const {
    const absl::string_view t(*text);
    return t.substr(a.begin, a.end - a.begin) == t.substr(b.begin, b.end - b.begin);
  }
};

// Bytes that can start a sentence terminator (TerminatorAt): ". ! ?" and the
// lead byte of "…". SplitSentences looks closer only at these.
struct TerminatorLeads {
  bool lead[256] = {};
};
constexpr TerminatorLeads BuildTerminatorLeads() {
  TerminatorLeads t;
  t.lead[static_cast<unsigned char>('.')] = true;
  t.lead[static_cast<unsigned char>('!')] = true;
  t.lead[static_cast<unsigned char>('?')] = true;
  t.lead[0xE2] = true;
  return t;
}
constexpr TerminatorLeads kTerminatorLeads = BuildTerminatorLeads();

// The position of the first terminator lead (kTerminatorLeads) in
// data[i, end), or `end`. Most of a paragraph is words and spaces, so it is
// searched 16 bytes at a time where SSE2 is there.
size_t NextTerminatorLead(const char* data, size_t i, size_t end) {
#if defined(__SSE2__)
  const __m128i period = _mm_set1_epi8('.');
  const __m128i exclamation = _mm_set1_epi8('!');
  const __m128i question = _mm_set1_epi8('?');
  const __m128i ellipsis_lead = _mm_set1_epi8(static_cast<char>(0xE2));
  for (; i + 16 <= end; i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    const __m128i hits = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(bytes, period), _mm_cmpeq_epi8(bytes, exclamation)),
        _mm_or_si128(_mm_cmpeq_epi8(bytes, question), _mm_cmpeq_epi8(bytes, ellipsis_lead)));
    const int mask = _mm_movemask_epi8(hits);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  while (i < end && !kTerminatorLeads.lead[static_cast<unsigned char>(data[i])]) ++i;
  return i;
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

// Abbreviations of official text at the tokens the syllable pass found
// may begin one (every short form begins with a letter, so only token
// starts can begin one).
std::vector<AbbreviationMatch> FindAbbreviationsAtTokens(const NormalizedText& result,
                                                         const std::vector<uint32_t>& candidates) {
  std::vector<AbbreviationMatch> matches;
  const absl::string_view text = result.text;
  size_t covered = 0;  // end of the last match: "TP.HCM" spans two tokens
  for (const uint32_t index : candidates) {
    const NormalizedToken& token = result.tokens[index];
    if (token.begin < covered) continue;
    AbbreviationMatch match;
    if (MatchAbbreviationAt(text, token.begin, &match)) {
      matches.push_back(match);
      covered = match.end;
    }
  }
  return matches;
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
    i = NextTerminatorLead(para.data(), i, end);
    if (i >= end) break;
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

  NormalizedText result;
  NormalizeCounts& counts = result.counts;
  std::string cleaned;
  bool needs_nfc = false;
  if (CleanCharacters(utf8, &cleaned, &counts, &needs_nfc) != absl::string_view::npos) {
    // The clean pass stopped at an ill-formed sequence; ValidateUtf8 finds
    // the same one and words the error.
    VNA_RETURN_IF_ERROR(text::ValidateUtf8(utf8));
    return absl::InternalError("clean pass and ValidateUtf8 disagree on the input");
  }
  std::string nfc;
  // ICU only when the text may not be NFC, or to report that it is too long
  // for ICU (which NFC of a shorter text never is).
  if (needs_nfc || cleaned.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    VNA_ASSIGN_OR_RETURN(nfc, text::ToNfcChecked(cleaned));
    if (nfc != cleaned) {
      counts.nfc_changed = true;
      const size_t before = text::CountCodePoints(cleaned);
      const size_t after = text::CountCodePoints(nfc);
      counts.nfc_code_points_composed = before > after ? before - after : 0;
    }
  } else {
    nfc = std::move(cleaned);
  }

  // Lines: trimmed, collapsed and (unless repeated) appended as paragraphs in
  // one pass. Clean lines are appended as they are; others go through
  // CleanLine's buffer first.
  std::string& out = result.text;
  out.reserve(nfc.size() + 16);
  absl::flat_hash_set<Span, ParagraphHash, ParagraphEq> seen(0, ParagraphHash{&out},
                                                             ParagraphEq{&out});
  std::string line_buffer;
  const bool abbreviations_at_tokens = options_.tokenize && options_.find_abbreviations;
  const SyllablePassOptions syllable_options{
      options_.tone_style, options_.canonicalize_tones, options_.tokenize,
      abbreviations_at_tokens ? &AbbreviationPrefixes::Get() : nullptr};
  std::vector<uint32_t> abbreviation_candidates;
  const SyllablePassOutput syllable_output{&out, &result.token_forms, &result.tokens,
                                           &abbreviation_candidates};
  // Vietnamese syllables average 4-5 bytes with their space; reserving for
  // one token per 4 bytes makes reallocation rare without counting first.
  if (options_.tokenize) {
    result.tokens.reserve(nfc.size() / 4 + 1);
    result.token_forms.reserve(2 * nfc.size() + 64);
  }
  const char* const data = nfc.data();
  size_t line_begin = 0;
  while (true) {
    const char* newline =
        static_cast<const char*>(std::memchr(data + line_begin, '\n', nfc.size() - line_begin));
    const size_t line_end = newline == nullptr ? nfc.size() : static_cast<size_t>(newline - data);
    const absl::string_view line(data + line_begin, line_end - line_begin);
    // Leading and trailing spaces (common in scraped text) are trimmed as a
    // view; only a line with a run of spaces inside is copied by CleanLine.
    size_t first = 0;
    while (first < line.size() && line[first] == ' ') ++first;
    size_t last = line.size();
    while (last > first && line[last - 1] == ' ') --last;
    absl::string_view paragraph = line.substr(first, last - first);
    if (IsCleanLine(paragraph)) {
      if (paragraph.size() != line.size()) ++counts.lines_trimmed;
    } else {
      CleanLine(line, &counts, &line_buffer);
      paragraph = line_buffer;
    }
    if (!paragraph.empty()) {
      const size_t separator = out.empty() ? 0 : 2;
      if (separator != 0) out += "\n\n";
      const size_t begin = out.size();
      const size_t tokens_before = result.tokens.size();
      const size_t forms_before = result.token_forms.size();
      out.append(paragraph.data(), paragraph.size());
      // Tones are placed before the repeat check, so a paragraph repeated
      // in the other tone style is a repeat too.
      counts.tones_moved += RunSyllablePass(syllable_options, begin, syllable_output);
      const Span span{begin, out.size()};
      if (options_.dedupe_paragraphs && !seen.insert(span).second) {
        ++counts.paragraphs_deduplicated;
        out.resize(span.begin - separator);
        result.tokens.resize(tokens_before);
        result.token_forms.resize(forms_before);
        while (!abbreviation_candidates.empty() &&
               abbreviation_candidates.back() >= tokens_before) {
          abbreviation_candidates.pop_back();
        }
      } else {
        result.paragraphs.push_back(span);
      }
    }
    if (newline == nullptr) break;
    line_begin = line_end + 1;
  }
  for (const Span& p : result.paragraphs) {
    SplitSentences(out, p.begin, p.end, &result.sentences);
  }
  if (options_.find_abbreviations) {
    result.abbreviations = abbreviations_at_tokens
                               ? FindAbbreviationsAtTokens(result, abbreviation_candidates)
                               : FindAbbreviations(out);
  }
  return result;
}

absl::StatusOr<NormalizedText> Normalizer::NormalizeBytes(absl::string_view bytes,
                                                      const DecodeOptions& decode) const {
  // Nearly every input is UTF-8 already. Then decoding would only validate
  // and copy it, and Normalize's clean pass validates anyway: go straight
  // there, and take the full path only if the bytes prove not to be UTF-8.
  double confidence = 0;
  if (!decode.forced.has_value() && bytes.size() <= decode.max_input_bytes &&
      MayDecodeAsIs(bytes, &confidence)) {
    absl::StatusOr<NormalizedText> result = Normalize(bytes);
    if (result.ok()) {
      result->decoded.encoding = Encoding::kUtf8;
      result->decoded.confidence = confidence;
      return result;
    }
  }
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
