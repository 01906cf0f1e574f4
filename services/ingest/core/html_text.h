// HTML to text for ingest: parses a web page with gumbo (an HTML5 parser, so
// tag soup is read the way a browser reads it) and returns the readable body
// text in paragraphs, the page's own metadata (<title>, <meta>, canonical
// link) as separate fields, and which paragraphs are image captions.
//
//   absl::StatusOr<HtmlDocument> doc = ExtractHtmlText(
//       "<html><head><title>Hội nghị Tỉnh ủy</title>"
//       "<meta property=\"article:published_time\" content=\"2019-07-20T15:25:00+07:00\">"
//       "</head><body><nav>Trang chủ</nav><h1>Hội nghị</h1>"
//       "<p>Sáng 20/7, Tỉnh ủy họp.</p>"
//       "<figure><img src=a.jpg><figcaption>Toàn cảnh hội nghị</figcaption></figure>"
//       "</body></html>");
//   // doc->text == "Hội nghị\n\nSáng 20/7, Tỉnh ủy họp.\n\nToàn cảnh hội nghị"
//   // doc->paragraphs[0].kind == HtmlBlockKind::kHeading, paragraphs[2].caption
//   // doc->title->value == "Hội nghị Tỉnh ủy"; *doc->published_at == 08:25 UTC
//
// What becomes text:
// * Paragraphs are separated by "\n\n" and come from block elements (p, div,
//   h1-h6, li, dt, dd, tr, blockquote, pre, figure, figcaption, section,
//   article, table, hr, ...). <br> is a line break ("\n") inside a paragraph;
//   two or more <br> in a row end the paragraph (old CMSs separate paragraphs
//   that way). Cells of one table row are joined by a tab.
// * Whitespace, including U+00A0 (&nbsp;), collapses to one space and is
//   trimmed at the ends of lines, except inside <pre>. Paragraphs with no
//   visible text are dropped. Character references are decoded by the parser.
// * Dropped with everything inside: <head>, script, style, noscript,
//   template, nav, form, iframe, button, select, textarea, object, embed,
//   canvas, audio, video, map, svg, math, comments; elements with the
//   `hidden` attribute or an inline style "display:none" or
//   "visibility:hidden"; header, footer and
//   aside when they are clearly navigation (they hold a nav, form or menu,
//   carry role="navigation"/"banner"/"contentinfo"/"search", have no text,
//   or at least half of their text is link text); and any element other than
//   html, body, main and article whose class or id names site chrome (the
//   words nav, navbar, navigation, menu, breadcrumb(s), share, sharing,
//   social, comment(s), related, ads, advertisement; or, with '-' and '_'
//   removed, the Vietnamese "lienquan", "binhluan", "chiase") while holding
//   less than a third of the page's text, so a mislabelled article wrapper is
//   never dropped.
// * Captions (HtmlParagraph::caption): text inside figcaption; inside an
//   element whose class contains "caption" or "chuthich"/"chu-thich"/
//   "chu_thich" (Vietnamese for caption); inside an image table (a table with
//   an <img>, at most 4 rows, no nested table and at most 600 characters of
//   text, the usual photo box of Vietnamese news sites); and a p, div,
//   center, span, td, em or i whose text is all italic (em/i) when it holds
//   an image itself or directly follows an image block (an img, a linked
//   img, a figure, an image table, or a block with an img and no text).
//   Captions stay in `text`; the flag lets the caller keep or drop them.
//
// Metadata (first occurrence wins; names and attribute values compare
// case-insensitively; `origin` says which tag gave the value):
// * title: <title>, whitespace collapsed.
// * og_title: <meta property="og:title">.
// * published_time: <meta> article:published_time, then itemprop
//   datePublished, pubdate, publishdate, date, dc.date.issued, dc.date.
//   published_at: published_time parsed as ISO 8601 ("2019-07-20T15:25:00Z",
//   "+07:00", fractional seconds, a space for "T", date only) or d/m/yyyy
//   with an optional time; without a zone the time is Vietnam's (UTC+7).
// * author: <meta name="author">, then article:author and dc.creator (values
//   that are URLs are skipped).
// * canonical_url: <link rel="canonical" href>; og_url: <meta property="og:url">.
// A <meta> field is read from its `property`, `name` or `itemprop` attribute.
#ifndef VNARCHIVE_SERVICES_INGEST_CORE_HTML_TEXT_H_
#define VNARCHIVE_SERVICES_INGEST_CORE_HTML_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/ingest/core/metadata.h"

namespace vnarchive {
namespace ingest {

// The block element a paragraph came from.
enum class HtmlBlockKind {
  kParagraph,     // p, div and anything not listed below
  kHeading,       // h1-h6 (HtmlParagraph::heading_level says which)
  kListItem,      // li, dt, dd
  kTableRow,      // tr: the row's cells joined by "\t"
  kQuote,         // blockquote
  kPreformatted,  // pre: whitespace kept as written
};

// Returns "paragraph", "heading", "list_item", "table_row", "quote" or
// "preformatted".
absl::string_view HtmlBlockKindName(HtmlBlockKind kind);

// One paragraph of HtmlDocument::text. Copyable.
struct HtmlParagraph {
  size_t begin = 0;  // byte offset in HtmlDocument::text
  size_t end = 0;    // one past its last byte
  HtmlBlockKind kind = HtmlBlockKind::kParagraph;
  int heading_level = 0;  // 1..6 for kHeading, else 0
  bool caption = false;   // an image caption or photo credit
};

// What ExtractHtmlText found; an absent field was not in the page. Copyable.
struct HtmlDocument {
  // The paragraphs' text joined by "\n\n"; valid UTF-8, no leading or
  // trailing whitespace; "" when the page has no visible text.
  std::string text;
  std::vector<HtmlParagraph> paragraphs;  // in document order

  std::optional<ExtractedField> title;           // <title>
  std::optional<ExtractedField> og_title;        // og:title
  std::optional<ExtractedField> published_time;  // as written in the page
  std::optional<absl::Time> published_at;        // published_time, when it parses
  std::optional<ExtractedField> author;
  std::optional<ExtractedField> canonical_url;
  std::optional<ExtractedField> og_url;

  // Returns the text of paragraphs[i] (a view into `text`; i < size()).
  absl::string_view paragraph_text(size_t i) const {
    return absl::string_view(text).substr(paragraphs[i].begin,
                                          paragraphs[i].end - paragraphs[i].begin);
  }
};

struct HtmlTextOptions {
  // gumbo needs time proportional to elements × open-element depth, so a few
  // kilobytes of "<div><div><div>..." keep it busy for minutes; and it
  // re-opens every unclosed formatting element (<b>, <font>, ...) at each
  // block, so 75 kB of "<p><b id=N>x</p>" take gigabytes. Before parsing,
  // that work is estimated from the tags alone (open depth at each tag, plus
  // 256 per formatting element left open); a page above this limit is
  // refused. Default 2e8: about a second of parsing and little memory; 8 MiB
  // of ordinary article markup stays far below it.
  uint64_t max_parse_work = 200'000'000;
};

// Returns the text, paragraphs, captions and metadata of `utf8_html` by the
// rules above. A UTF-8 BOM is ignored. Thread-safe (no shared state).
// InvalidArgument: `utf8_html` is not valid UTF-8 (naming the byte offset;
// decode other charsets first). ResourceExhausted: 4 GiB or more (gumbo's
// limit), or nesting that exceeds options.max_parse_work. Internal: the
// parser failed to allocate.
absl::StatusOr<HtmlDocument> ExtractHtmlText(absl::string_view utf8_html,
                                             const HtmlTextOptions& options = {});

// Content sniffing for input that came without a content type. True when,
// after an optional BOM and whitespace, the bytes start with "<!doctype html",
// "<!--" or one of the tags html, head, body, title, meta, script, style,
// div, p, table, h1-h6, br, a, b, font, iframe (followed by space, '>' or
// '/'; any case), or when the first 1024 bytes hold at least two
// recognisable tags or end tags among html, head, body, p, div, br, table,
// tr, td, span, a, img, ul, li, h1-h6, meta, title, script, strong, em. A
// plain text that mentions one tag, or uses "<" and ">" as signs, is not
// HTML. Never fails; works on raw bytes in any ASCII-compatible encoding.
bool LooksLikeHtml(absl::string_view bytes);

}  // namespace ingest
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_INGEST_CORE_HTML_TEXT_H_
