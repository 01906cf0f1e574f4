// Text normalisation for the archive (DESIGN.md §5): validates UTF-8, cleans
// typography (line breaks, odd spaces, zero-width characters), applies NFC,
// splits paragraphs (dropping verbatim repeats) and sentences, and tokenises.
// Pure logic: no gRPC, protobuf or Redis.
//
//   vnarchive::normalize::Normalizer normalizer;  // default options
//   absl::StatusOr<NormalizedText> n = normalizer.Normalize(body);
//   if (!n.ok()) return n.status();               // InvalidArgument: bad UTF-8
//   for (const Span& s : n->sentences) Use(n->text.substr(s.begin, s.end - s.begin));
#ifndef VNARCHIVE_SERVICES_NORMALIZE_CORE_NORMALIZER_H_
#define VNARCHIVE_SERVICES_NORMALIZE_CORE_NORMALIZER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/text/segment.h"
#include "services/normalize/core/abbreviations.h"
#include "services/normalize/core/decode.h"
#include "services/normalize/core/syllable_pass.h"
#include "services/normalize/core/tone.h"

namespace vnarchive {
namespace normalize {

// A half-open UTF-8 byte range [begin, end) into NormalizedText::text.
struct Span {
  size_t begin = 0;
  size_t end = 0;
  bool operator==(const Span& o) const { return begin == o.begin && end == o.end; }
};

// What Normalize changed; exported as counters by the service.
struct NormalizeCounts {
  // True if NFC changed the (cleaned) text; nfc_code_points_composed counts
  // how many code points composition removed (NFD "a" + U+0301 -> 1).
  bool nfc_changed = false;
  size_t nfc_code_points_composed = 0;
  // CRLF pairs and lone CRs turned into LF.
  size_t crlf_converted = 0;
  // NBSP, U+2000..U+200A, U+202F, U+205F, U+3000, tab, VT, FF and other C0
  // controls replaced by U+0020.
  size_t spaces_normalized = 0;
  // Zero-width characters removed: U+200B..U+200D, U+2060, U+FEFF, U+00AD.
  size_t zero_width_removed = 0;
  // Runs of two or more spaces inside a line collapsed to one space.
  size_t space_runs_collapsed = 0;
  // Lines that had leading or trailing spaces removed.
  size_t lines_trimmed = 0;
  // Syllables whose tone mark was moved to the style's vowel (tone.h).
  size_t tones_moved = 0;
  // Paragraphs dropped because the same paragraph appeared earlier.
  size_t paragraphs_deduplicated = 0;
  // Curly quotes to " and ', dashes (‐ ‑ ‒ – — ― −) to -, … to "...".
  size_t typography_normalized = 0;
};

// Syllable tokens (NormalizedToken, syllable_pass.h) are spans of the
// normalised text; their lower-case and folded forms live in
// NormalizedText::token_forms, one buffer for all tokens, so tokenising
// allocates nothing per token; read them with NormalizedText::Lower / Folded.

// The result of Normalize. All spans and token offsets index `text`.
struct NormalizedText {
  // NFC, LF-only, paragraphs joined with "\n\n"; no leading/trailing spaces
  // on any line, no runs of spaces, no zero-width characters.
  std::string text;
  std::vector<Span> paragraphs;
  // Sentences in order; each lies inside one paragraph and starts and ends
  // with a non-space character.
  std::vector<Span> sentences;
  // Syllable tokens in order; empty when NormalizerOptions::tokenize is false.
  std::vector<NormalizedToken> tokens;
  // The lower-case and folded forms of every token, back to back.
  std::string token_forms;
  // Abbreviations of official text found in `text` (abbreviations.h), with
  // their expansions; empty when NormalizerOptions::find_abbreviations is false.
  std::vector<AbbreviationMatch> abbreviations;
  NormalizeCounts counts;
  // What NormalizeBytes decoded; for Normalize (UTF-8 in), utf-8 with
  // confidence 1.
  struct Decoded {
    Encoding encoding = Encoding::kUtf8;
    double confidence = 1.0;
    bool had_bom = false;
    size_t replacements = 0;  // U+FFFD inserted in lenient mode
  } decoded;

  absl::string_view Text(const NormalizedToken& t) const {
    return absl::string_view(text).substr(t.begin, t.end - t.begin);
  }
  // Lower-case form (diacritics kept).
  absl::string_view Lower(const NormalizedToken& t) const {
    return absl::string_view(token_forms).substr(t.lower_begin, t.lower_end - t.lower_begin);
  }
  // Lower-case form without diacritics, đ -> d.
  absl::string_view Folded(const NormalizedToken& t) const {
    return absl::string_view(token_forms).substr(t.folded_begin, t.folded_end - t.folded_begin);
  }
};

struct NormalizerOptions {
  // Drop a paragraph that repeats an earlier one byte for byte (after
  // cleaning): scraped pages repeat captions, bylines and teasers.
  // Default true.
  bool dedupe_paragraphs = true;
  // Fill NormalizedText::tokens. Default true; callers that tokenise
  // themselves (the search index) may switch it off to save time.
  bool tokenize = true;
  // Fill NormalizedText::abbreviations. Default true.
  bool find_abbreviations = true;
  // Inputs larger than this are rejected with ResourceExhausted, bounding the
  // memory one request can take. Default 64 MiB.
  size_t max_input_bytes = 64u << 20;
  // Words that, followed by ".", do not end a sentence, in addition to the
  // built-in list (TP, Q, P, TS, PGS, GS, ThS, Th.S, BS, KS, T.Ư, Mr, St, ...).
  // Case-sensitive, without the final period. Default empty.
  std::vector<std::string> extra_abbreviations;
  // Where tone marks go (tone.h). Default traditional: "hóa", "thủy".
  ToneStyle tone_style = ToneStyle::kTraditional;
  // Move tone marks to the style's vowel. Default true.
  bool canonicalize_tones = true;
};

// Thread-safe: Normalize is const and the object is immutable after
// construction, so one instance may serve many threads. Copyable and movable.
class Normalizer {
 public:
  explicit Normalizer(NormalizerOptions options = {});

  // Returns the normalised form of `utf8`. InvalidArgument if `utf8` is not
  // valid UTF-8 (the message names the byte offset); ResourceExhausted if it
  // is larger than options.max_input_bytes; Internal if ICU fails.
  // Idempotent: Normalize(Normalize(x)->text)->text == Normalize(x)->text.
  absl::StatusOr<NormalizedText> Normalize(absl::string_view utf8) const;

  // Decodes `bytes` (decode.h: detection, or `decode.forced`; strict or
  // lenient), then normalises. The result's `decoded` says which encoding was
  // used and how sure detection was. Errors as Decode, then as Normalize.
  absl::StatusOr<NormalizedText> NormalizeBytes(absl::string_view bytes,
                                                const DecodeOptions& decode) const;

  const NormalizerOptions& options() const { return options_; }

 private:
  // True if `word` (the characters before a ".") is an abbreviation, so the
  // period does not end a sentence.
  bool IsAbbreviation(absl::string_view word) const;
  // Appends the sentences of text[begin, end) (one paragraph) to *out.
  void SplitSentences(absl::string_view text, size_t begin, size_t end,
                      std::vector<Span>* out) const;

  NormalizerOptions options_;
  absl::flat_hash_set<std::string> abbreviations_;
};

}  // namespace normalize
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_NORMALIZE_CORE_NORMALIZER_H_
