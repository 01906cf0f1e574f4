// Abbreviations of Vietnamese official text ("UBND", "HĐND", "T.Ư",
// "CB,CC,VC", ...) with their expansions, and a scanner that finds them in
// normalised text, so that search can treat "UBND" and "Ủy ban nhân dân"
// alike and extraction can expand organisation names.
//
//   for (const AbbreviationMatch& m : FindAbbreviations("Chủ tịch UBND tỉnh")) {
//     // m.short_form == "UBND", m.expansion == "Ủy ban nhân dân", m.begin == 13
//   }
#ifndef VNARCHIVE_SERVICES_NORMALIZE_CORE_ABBREVIATIONS_H_
#define VNARCHIVE_SERVICES_NORMALIZE_CORE_ABBREVIATIONS_H_

#include <bitset>
#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace vnarchive {
namespace normalize {

struct Abbreviation {
  absl::string_view short_form;  // as written in official text, case-sensitive
  absl::string_view expansion;   // full form, traditional tone style
};

// The built-in table (static storage, sorted by short form).
absl::Span<const Abbreviation> BuiltinAbbreviations();

struct AbbreviationMatch {
  size_t begin = 0;  // UTF-8 byte span of the short form in the scanned text
  size_t end = 0;
  absl::string_view short_form;  // points into the built-in table
  absl::string_view expansion;
};

// Returns every built-in abbreviation in `text` that stands as a whole word
// (no letter or digit right before or after it), in order, longest match
// first at each position ("TP.HCM" before "TP"). Case-sensitive: "Tw" or
// "ubnd" are not the abbreviations. Thread-safe.
std::vector<AbbreviationMatch> FindAbbreviations(absl::string_view text);

// The two steps of FindAbbreviations, for a caller that already knows where
// words start (Normalize has the tokens) and so can skip the byte scan.
//
// First a quick test on the first two bytes of a word, which rejects nearly
// every word with one bit test (every short form has two bytes or more).
class AbbreviationPrefixes {
 public:
  static const AbbreviationPrefixes& Get();

  bool MayStartAt(absl::string_view text, size_t pos) const {
    if (pos + 1 >= text.size()) return false;
    return bits_[(static_cast<size_t>(static_cast<unsigned char>(text[pos])) << 8) |
                 static_cast<unsigned char>(text[pos + 1])];
  }

 private:
  std::bitset<1 << 16> bits_;
};
// Then: if a built-in short form stands as a whole word at text[pos], fills
// *match with the longest one and returns true.
bool MatchAbbreviationAt(absl::string_view text, size_t pos, AbbreviationMatch* match);

}  // namespace normalize
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_NORMALIZE_CORE_ABBREVIATIONS_H_
