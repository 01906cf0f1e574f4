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
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace vnarchive {
namespace text {

// All functions here are thread-safe: they keep no state except an immutable
// fold table that is built once, on first use (ICU NFD data, U+00C0..U+024F
// and U+1E00..U+1EFF). Invalid UTF-8 never crashes: the tokenizer treats bad
// bytes as separators; ToLower/Fold write U+FFFD for each bad byte.

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
