// The hot loop of Normalize (normalizer.h): one pass over a paragraph that
// both puts tone marks in place (tone.h) and cuts the paragraph into syllable
// tokens with their lower-case and folded forms (common/text/segment.h).
// Doing both in one scan decodes and classifies each code point once, from a
// single lookup table built from the definitions in tone.h and segment.h, so
// the result is exactly what CanonicalizeTones followed by
// text::internal::TokenizeWithForms would give (syllable_pass_test.cc checks
// it on generated and real text). A syllable met before on the same thread is
// looked up by its bytes in a small cache of ready forms instead of being
// decoded again: running text draws nearly all its syllables from a few
// thousand, so most tokens cost a lookup and two fixed-size copies.
//
//   std::string text = "Hoà bình";
//   SyllablePassOutput out{&text, &forms, &tokens};
//   size_t moved = RunSyllablePass({ToneStyle::kTraditional, true, true}, 0, &out);
//   // moved == 1, text == "Hòa bình", tokens: [0,4) "hòa"/"hoa", [5,10) "bình"/"binh"
#ifndef VNARCHIVE_SERVICES_NORMALIZE_CORE_SYLLABLE_PASS_H_
#define VNARCHIVE_SERVICES_NORMALIZE_CORE_SYLLABLE_PASS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "services/normalize/core/abbreviations.h"
#include "services/normalize/core/tone.h"

namespace vnarchive {
namespace normalize {

// A syllable token: its byte span in the text and the spans of its
// lower-case and folded forms in a separate forms buffer.
struct NormalizedToken {
  uint32_t begin = 0;  // byte span in the text
  uint32_t end = 0;
  uint32_t lower_begin = 0;  // byte span in the forms buffer
  uint32_t lower_end = 0;
  uint32_t folded_begin = 0;
  uint32_t folded_end = 0;
};

struct SyllablePassOptions {
  ToneStyle tone_style = ToneStyle::kTraditional;
  bool canonicalize_tones = true;
  bool tokenize = true;
  // When set (and tokenize), tokens whose first two bytes may begin an
  // abbreviation are listed in SyllablePassOutput::abbreviation_candidates.
  const AbbreviationPrefixes* abbreviation_prefixes = nullptr;
};

// Where the pass reads and writes. `text` is edited in place from the given
// offset to its end; tokens and forms are appended.
struct SyllablePassOutput {
  std::string* text;
  std::string* forms;
  std::vector<NormalizedToken>* tokens;
  // Indexes into *tokens; needed only with abbreviation_prefixes.
  std::vector<uint32_t>* abbreviation_candidates = nullptr;
};

// Processes (*out->text)[begin, end of text), which must be valid NFC UTF-8
// (Normalize validates and composes before): moves tones per the options
// (the text may get shorter or longer by a few bytes per moved tone) and
// appends a token per syllable, with offsets into the whole text. Returns
// how many syllables had their tone moved. Allocates nothing per token (each
// thread keeps its buffers and a 256 KiB syllable cache);
// offsets are 32-bit, so the text and forms must stay below 4 GiB.
size_t RunSyllablePass(const SyllablePassOptions& options, size_t begin,
                       const SyllablePassOutput& out);

}  // namespace normalize
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_NORMALIZE_CORE_SYLLABLE_PASS_H_
