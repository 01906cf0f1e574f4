// The token rules of the extractor (extractor.h): PERSON, ORG, LOC, the
// PERSON_ROLE relation, and document references written with words
// ("Quy định 08", "Nghị quyết T.Ư 4 (khoá XII)"), found in one left-to-right
// walk over the syllable tokens and the gazetteer's matches. Internal to
// vna_extract_core; Extractor::Extract is the public entry point.
//
//   std::vector<text::Token> tokens = text::TokenizeSyllables(text);
//   std::vector<char> blocked(tokens.size(), 0);  // 1: inside a code or date
//   internal::ApplyTokenRules(*Gazetteer::Default(), text, tokens, blocked,
//                             options, &result);
#ifndef VNARCHIVE_SERVICES_EXTRACT_CORE_ENTITY_RULES_H_
#define VNARCHIVE_SERVICES_EXTRACT_CORE_ENTITY_RULES_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "common/text/segment.h"
#include "services/extract/core/extractor.h"
#include "services/extract/core/gazetteer.h"

namespace vnarchive {
namespace extract {
namespace internal {

// Appends what the token rules find in `text` to result->entities (unsorted)
// and result->relations. `tokens` are text::TokenizeSyllables(text);
// `blocked[i]` != 0 marks tokens inside an entity the byte scanner already
// found (a document code or a date), which no rule may use. Numbered
// references get the rule "doc_ref.numbered" and attributes kind/number;
// linking them to coded ids is the caller's job.
void ApplyTokenRules(const Gazetteer& gazetteer, absl::string_view text,
                     const std::vector<text::Token>& tokens, const std::vector<char>& blocked,
                     const ExtractorOptions& options, ExtractResult* result);

// True if `folded` (lower case, no diacritics: Token::folded) has the shape
// of one Vietnamese syllable: initial consonant, one to three vowels, final.
bool IsVietnameseSyllableShape(absl::string_view folded);

}  // namespace internal
}  // namespace extract
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_EXTRACT_CORE_ENTITY_RULES_H_
