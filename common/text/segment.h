// Syllable tokenisation and diacritic folding for Vietnamese text: the one
// definition of "a token" shared by normalisation, extraction and the search
// index (documents and queries must be tokenised identically).
//
//   for (const Token& t : TokenizeSyllables("Đảng ủy TP. Hà Nội")) {
//     // t.text = "Đảng", t.lower = "đảng", t.folded = "dang", t.begin = 0, t.end = 7
//   }
#ifndef VNARCHIVE_COMMON_TEXT_SEGMENT_H_
#define VNARCHIVE_COMMON_TEXT_SEGMENT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace vnarchive {
namespace text {

// All functions here are thread-safe: they keep no state except immutable
// fold and case tables that are built once, on first use (from ICU's NFD data
// and case mappings; U+0080..U+07FF and U+1E00..U+1EFF). Invalid UTF-8 never
// crashes: the tokenizer treats bad bytes as separators; ToLower/Fold write
// U+FFFD for each bad byte.

// One syllable (or number, or Latin word): a maximal run of letters, combining
// marks and digits. Punctuation and spaces separate tokens and are not tokens.
struct Token {
  size_t begin = 0;    // UTF-8 byte offset of the first byte in the input
  size_t end = 0;      // one past the last byte
  std::string text;    // the bytes input[begin, end)
  std::string lower;   // lower-case form (NFC)
  std::string folded;  // lower-case with every diacritic removed and đ -> d
};

// Splits `utf8` (expected NFC; invalid bytes are treated as separators) into
// tokens in order of appearance.
std::vector<Token> TokenizeSyllables(absl::string_view utf8);

// Calls `fn(begin, end)` for each token's byte span without building strings:
// the allocation-free path for the FTS5 tokenizer.
template <typename Fn>
void ForEachTokenSpan(absl::string_view utf8, Fn fn);

// Lower-cases `utf8` (Unicode simple case mapping; keeps diacritics).
std::string ToLower(absl::string_view utf8);

// As ToLower / Fold, appending to `out`: with one buffer reused for many
// tokens, tokenising allocates nothing per token.
void AppendLower(absl::string_view utf8, std::string* out);
void AppendFold(absl::string_view utf8, std::string* out);

namespace internal {

// One token of TokenizeWithForms: its byte span in the text and the spans of
// its lower-case and folded forms in the forms buffer.
struct TokenWithForms {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t lower_begin = 0;
  uint32_t lower_end = 0;
  uint32_t folded_begin = 0;
  uint32_t folded_end = 0;
};

// ForEachTokenSpan, AppendLower and AppendFold in one pass over `utf8` (each
// code point decoded once), for a caller that wants every token with both
// forms: appends one entry per token to *tokens and, per token, its
// lower-case form and then its folded form to *forms. Offsets are 32-bit;
// the caller keeps `utf8` and *forms below 4 GiB.
void TokenizeWithForms(absl::string_view utf8, std::string* forms,
                       std::vector<TokenWithForms>* tokens);

}  // namespace internal

// Lower-cases and removes every diacritic, mapping đ/Đ to d:
// "Đảng Ủy" -> "dang uy". Non-Latin text is only lower-cased. Combining marks
// U+0300..U+036F are dropped, so NFD input folds like NFC input.
std::string Fold(absl::string_view utf8);

// True if `utf8` contains a letter that Fold() would change other than by case
// (i.e. it carries a Vietnamese diacritic or đ).
bool HasDiacritics(absl::string_view utf8);

}  // namespace text
}  // namespace vnarchive

#include "common/text/segment_inl.h"  // IWYU pragma: export

#endif  // VNARCHIVE_COMMON_TEXT_SEGMENT_H_
