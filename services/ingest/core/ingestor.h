// The decisions ingest makes about one incoming document, as pure logic:
// which encoding its bytes are in (the normalisation library's decoder), is it
// acceptable (decodable, text rather than binary, not empty, not too large),
// is it a web page (then its readable text is taken out of the markup,
// html_text.h), which lines are page boilerplate (boilerplate.h), what its
// metadata is (the caller's, else the page's, else the text's, metadata.h),
// and what its doc_id and content hash are. The gRPC adapter
// (rpc/ingest_service.h) does the enqueuing.
//
//   Ingestor ingestor(IngestorOptions{});
//   absl::StatusOr<AcceptedDocument> doc = ingestor.Accept({.text = body, .name = "a.txt"});
//   // doc->doc_id is the caller's id, or the content hash when none was given;
//   // doc->text is the article text without markup and boilerplate
//
// What Accept does, in order:
//  1. Decodes the bytes to UTF-8 (any encoding the decoder knows).
//  2. Reads them as HTML when the caller says so ("text/html") or, without a
//     content type, when LooksLikeHtml says the decoded text is a page: the
//     body text (ExtractHtmlText; paragraphs separated by "\n\n") replaces
//     the markup, and the page's <title>, <meta> and canonical link become
//     metadata candidates. Image captions stay in the text and are reported
//     as spans (AcceptedDocument::captions).
//  3. Removes boilerplate lines (RemoveBoilerplate) from the body, plain
//     text and HTML alike.
//  4. Fills metadata the caller did not give: from the page first, then from
//     the text's own heuristics (ExtractMetadata on the cleaned text),
//     recording where each value came from.
#ifndef VNARCHIVE_SERVICES_INGEST_CORE_INGESTOR_H_
#define VNARCHIVE_SERVICES_INGEST_CORE_INGESTOR_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/ingest/core/boilerplate.h"
#include "services/ingest/core/html_text.h"

namespace vnarchive {
namespace ingest {

struct IngestorOptions {
  // Largest accepted text, bytes. Default 8 MiB: far above any article or
  // resolution, small enough that one document cannot starve a stage.
  size_t max_document_bytes = 8 << 20;
  // An 8-bit encoding guessed with less confidence than this is refused
  // rather than stored as mojibake: almost any bytes decode as *some* 8-bit
  // text. Default 0.5.
  double min_encoding_confidence = 0.5;
  // How HTML is read; in particular the parse-work limit above which a page
  // is refused (HtmlTextOptions::max_parse_work). Default: its defaults.
  HtmlTextOptions html;
};

// How ingest read a document's text.
enum class ContentType {
  kPlainText,  // "text/plain": the text is the body
  kHtml,       // "text/html": the body text was taken out of the markup
};

// Returns "text/plain" or "text/html".
absl::string_view ContentTypeName(ContentType type);

// Parses a caller's content type: "text/plain", "text/html" or
// "application/xhtml+xml" (any letter case; parameters after ';', such as
// "; charset=utf-8", are ignored: the bytes' encoding is detected or named
// separately). Returns nullopt for an empty or all-space value, meaning
// "sniff". InvalidArgument for any other type, naming it.
absl::StatusOr<std::optional<ContentType>> ParseContentType(absl::string_view value);

// What the caller sent (plain fields; the adapter copies them from protobuf).
// Empty strings and an absent published_at mean "not given".
struct IncomingDocument {
  std::string doc_id;  // optional caller id
  std::string text;    // bytes in any encoding the decoder knows
  std::string encoding;  // forces the encoding (decode.h names); empty: detect
  std::string content_type;  // ParseContentType values; empty: sniff
  std::string name;
  std::string url;
  std::string source;
  std::string title;
  std::optional<absl::Time> published_at;
};

// A half-open UTF-8 byte range [begin, end) of AcceptedDocument::text.
struct TextSpan {
  size_t begin = 0;
  size_t end = 0;
  friend bool operator==(const TextSpan& a, const TextSpan& b) {
    return a.begin == b.begin && a.end == b.end;
  }
};

// Copyable and movable.
struct AcceptedDocument {
  std::string doc_id;
  // XXH3-128 of the decoded UTF-8 input (before markup and boilerplate are
  // removed), 32 hex digits; for a document read as HTML, of "text/html\n"
  // followed by it. The same bytes in two encodings get the same hash, a
  // change to the boilerplate rules never changes a doc_id, and the same
  // bytes read as text and as HTML are two versions.
  std::string content_hash;
  // The article text, UTF-8: for HTML the page's body text, paragraphs
  // separated by "\n\n"; boilerplate lines removed; line ends "\n"; no blank
  // lines at the start or end and no final line end.
  std::string text;
  std::string encoding;      // what it was decoded from, e.g. "tcvn3"
  double encoding_confidence = 1.0;
  ContentType content_type = ContentType::kPlainText;
  bool content_type_sniffed = false;  // the caller gave none; LooksLikeHtml decided
  // Image captions and photo credits of an HTML page (HtmlParagraph::caption):
  // one span per caption paragraph (the part of it boilerplate removal kept),
  // in order, never overlapping. Captions stay in `text`. Empty for plain
  // text, where captions cannot be told from the article.
  std::vector<TextSpan> captions;
  // The lines RemoveBoilerplate dropped, with the rule for each; line numbers
  // are those of the body text before removal (for HTML: the extracted text).
  std::vector<RemovedLine> boilerplate_removed;

  // Metadata: the caller's value when given, else the page's (HTML), else
  // the text's (ExtractMetadata); empty/absent when none of them has it.
  std::string title;
  std::string url;
  std::string source;
  std::string dateline;  // only ever from the text: the dateline as written
  std::string author;    // one byline; empty when unknown
  std::optional<absl::Time> published_at;
  // Where each value ingest filled in itself came from, by Document field
  // name ("title", "published_at", "dateline", "authors", "url", "source"):
  // e.g. "html <title>", "html <meta property=\"article:published_time\">",
  // "dateline line 3", "last line". Values the caller gave are not listed.
  std::map<std::string, std::string> metadata_origins;
};

// Stateless and thread-safe; copyable.
class Ingestor {
 public:
  explicit Ingestor(IngestorOptions options) : options_(options) {}

  // Returns the article text, metadata, doc_id and hash for `doc` (steps
  // above). The same article in two encodings gets the same hash (it is
  // taken after decoding).
  // InvalidArgument: empty or whitespace-only text, text over
  // max_document_bytes, bytes that cannot be decoded (naming the byte
  // offset), an unknown forced encoding or content type, binary content (NUL
  // characters), an encoding guessed below min_encoding_confidence, a
  // malformed caller id, a name/url/source/title that is not UTF-8, an HTML
  // page the parser refuses (nesting too costly to parse, naming the
  // estimate and limit), an HTML page without visible text, or a text with
  // nothing left once boilerplate is removed. Internal: the HTML parser
  // failed to allocate.
  absl::StatusOr<AcceptedDocument> Accept(const IncomingDocument& doc) const;

 private:
  IngestorOptions options_;
};

// Returns why Accept refused a document, as the stable code that clients
// and counters use (IngestResponse.reason_code): "too_large", "empty",
// "invalid_field" (name, url, source or title not UTF-8), "bad_content_type",
// "bad_doc_id", "bad_encoding" (an unknown forced encoding), "undecodable",
// "binary", "encoding_uncertain", "html_unparsable", "html_no_text",
// "all_boilerplate"; "internal" for any other error; "" for OK.
std::string RejectionReason(const absl::Status& status);

// True if `doc_id` is a usable id: 1..128 bytes of ASCII letters, digits and
// . _ - : / (safe in Redis keys, URLs and file names).
bool IsValidDocId(const std::string& doc_id);

}  // namespace ingest
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_INGEST_CORE_INGESTOR_H_
