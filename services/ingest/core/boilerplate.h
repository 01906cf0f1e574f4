// Removal of page boilerplate from the plain text of a scraped article: the
// widgets, menus, comment forms, captcha remnants, related-article lists and
// separator lines that scrapers copy along with the article. What counts as
// boilerplate is a table of rules (BoilerplateRules(); documented rule by
// rule in docs/ingest.md), not code, and every removed line is reported with
// the rule that removed it, so ingest can show what it dropped and why.
//
//   BoilerplateResult result = RemoveBoilerplate(
//       "Tỉnh ủy họp phiên thường kỳ\n"
//       "Cỡ chữ: A+ A-\n\n"
//       "Sáng 3/4, Tỉnh ủy họp phiên thường kỳ tháng 4 năm 2021.\n\n"
//       "Trần Minh\n"
//       "In tin bàiLưu tin bài\n"
//       "CÁC TIN KHÁC\n"
//       "Huyện ủy tổng kết năm\n");
//   // result.text == "Tỉnh ủy họp phiên thường kỳ\n\n"
//   //                "Sáng 3/4, Tỉnh ủy họp phiên thường kỳ tháng 4 năm 2021.\n\n"
//   //                "Trần Minh\n"
//   // result.removed[0] == {2, "Cỡ chữ: A+ A-", "font-size-widget"}, then
//   // lines 7, 8 and 9 ("print-save-widget", "related-articles" twice)
//
// The rules work on whole lines. A line is compared in its match form: Unicode
// spaces collapsed to one space, trimmed, lower-cased and without diacritics
// (text::Fold: "CÁC TIN KHÁC" and "Cac tin khac" are the same line, in NFC
// or NFD, in either tone-mark style). Rules are tried in table order; the
// first that matches removes the line. Rules never look inside a line: a
// line is kept or removed whole, so an article sentence is never cut.
// Whole-line shapes (kExactLine, kWidgetLine) are only tried on lines of at
// most 400 bytes.
//
// Output: the kept lines in order, byte for byte, each ending in "\n"
// ("\r\n" and "\r" become "\n"); a run of blank or whitespace-only lines
// becomes one empty line; no empty lines at the start or end.
//
// Invalid UTF-8 never crashes: bad bytes count as U+FFFD.
#ifndef VNARCHIVE_SERVICES_INGEST_CORE_BOILERPLATE_H_
#define VNARCHIVE_SERVICES_INGEST_CORE_BOILERPLATE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace vnarchive {
namespace ingest {

// How a rule's patterns are matched against a line's match form. Patterns
// are written in ordinary Vietnamese and folded like the line.
enum class BoilerplateRuleKind {
  // The line has no letter and no digit: dots, commas, dashes, U+FFFD.
  // No patterns.
  kNoLetterOrDigit,
  // A short line (max_words) in which at least a fifth of the non-space
  // characters, and at least two, are U+FFFD or a '?' directly followed by a
  // letter: text whose encoding was lost ("L?y l?i m� b?o m?t"). A question
  // mark ends a word, so real questions do not count. No patterns.
  kGarbled,
  // The whole line matches a pattern, where '#' stands for one or more ASCII
  // digits and '*' for any run of characters.
  kExactLine,
  // The line starts with a pattern.
  kLinePrefix,
  // The line contains a pattern.
  kLineContains,
  // The line is made only of widget labels (in any order, repeated, glued
  // together or not) and characters that are not letters: a toolbar such as
  // "In tin bàiLưu tin bài" or "Chia sẻ: Facebook | Zalo". The labels of all
  // kWidgetLine rows are used together (one toolbar often mixes print, share
  // and font-size buttons), at the place of the first such row; the line is
  // reported under the row whose label comes first in it.
  kWidgetLine,
  // A web-form field label: a pattern followed by ':' and/or the
  // required-field marker "(*)" or "*", and nothing else. With the marker
  // the line always goes; with only ':' it goes when the nearest non-blank
  // line before or after it is also a form field or captcha line (a lone
  // "Nội dung:" may head a list in an official text). A bare label without
  // ':' or marker is never a form field.
  kFormField,
  // A breadcrumb or section path: no lower-case letter, at least one letter,
  // and one of the patterns (separators such as " | " or " » ") inside.
  kBreadcrumb,
  // The start of a trailing block (related articles, comments): the whole
  // line, without trailing ':' '»' '>' '.' and spaces, equals a pattern. The
  // line and every following line are removed until a line that looks like
  // article prose (8 or more words ending in . ! ? or …, or more than 30
  // words), which is kept and ends the block. Lines in the block are reported
  // with their own rule when one matches, else with the block's.
  kTrailingBlock,
};

// One row of the rules table. All views point to static storage.
struct BoilerplateRule {
  absl::string_view name;  // stable identifier, reported with removed lines
  BoilerplateRuleKind kind;
  absl::Span<const absl::string_view> patterns;
  // The rule applies only to lines of at most this many words; 0: any length.
  size_t max_words;
  absl::string_view example;  // a line the rule removes
  absl::string_view why;      // where such lines come from
};

// The rules, in the order they are tried.
absl::Span<const BoilerplateRule> BoilerplateRules();

// A line that was removed. Copyable.
struct RemovedLine {
  int line_number = 0;     // 1-based physical line of the input
  std::string text;        // the line as written, without its line end
  absl::string_view rule;  // BoilerplateRule::name (static storage)
};

// Copyable.
struct BoilerplateResult {
  std::string text;                  // the cleaned text (see Output above)
  std::vector<RemovedLine> removed;  // in input order
};

// Returns `text` without the lines the rules match, and what was removed.
// Never fails. Thread-safe: the folded patterns are built once, on first use.
BoilerplateResult RemoveBoilerplate(absl::string_view text);

}  // namespace ingest
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_INGEST_CORE_BOILERPLATE_H_
