#include "services/ingest/core/ingestor.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/status_macros.h"
#include "common/text/utf8.h"
#include "services/ingest/core/content_hash.h"
#include "services/ingest/core/metadata.h"
#include "services/ingest/core/text_lines.h"
#include "services/normalize/core/decode.h"

namespace vnarchive {
namespace ingest {
namespace {

constexpr absl::string_view kReasonPayload = "vnarchive/ingest.reason";

// `status` with its rejection reason attached (RejectionReason reads it);
// OK stays OK.
absl::Status WithReason(absl::Status status, absl::string_view reason) {
  if (!status.ok()) status.SetPayload(kReasonPayload, absl::Cord(reason));
  return status;
}

absl::Status ValidateField(const char* field, const std::string& value) {
  absl::Status status = text::ValidateUtf8(value);
  if (status.ok()) return status;
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", status.message()));
}

// The body text before boilerplate removal, and where its captions are.
struct Body {
  std::string text;
  std::vector<TextSpan> captions;  // spans into `text`
};

// Removes boilerplate from `body` into `accepted` (text, captions,
// boilerplate_removed). Caption spans are carried over line by line: every
// kept line appears in the output byte for byte and in order, so each output
// line is matched to the next input line with the same text that was not
// removed; a caption's span runs from its first to its last kept line.
void RemoveBoilerplateInto(const Body& body, AcceptedDocument* accepted) {
  BoilerplateResult cleaned = RemoveBoilerplate(body.text);
  const std::vector<internal::TextLine> in_lines = internal::SplitLines(body.text);
  const std::vector<internal::TextLine> out_lines = internal::SplitLines(cleaned.text);
  std::vector<TextSpan> captions;
  if (!body.captions.empty()) {
    size_t removed = 0;  // index into cleaned.removed (in input order)
    size_t in = 0;
    size_t caption = 0;  // the first caption not wholly before the current line
    size_t last_caption = body.captions.size();  // the caption of the previous kept line
    for (const internal::TextLine& out : out_lines) {
      if (out.text.empty()) continue;  // a paragraph break
      for (; in < in_lines.size(); ++in) {
        while (removed < cleaned.removed.size() &&
               cleaned.removed[removed].line_number < in_lines[in].number) {
          ++removed;
        }
        const bool was_removed = removed < cleaned.removed.size() &&
                                 cleaned.removed[removed].line_number == in_lines[in].number;
        if (!was_removed && in_lines[in].text == out.text) break;
      }
      if (in == in_lines.size()) break;  // cannot happen: every kept line is in the input
      const size_t begin = in_lines[in].begin;
      ++in;
      // Input lines come in order, so the caption cursor only moves forward.
      while (caption < body.captions.size() && body.captions[caption].end <= begin) ++caption;
      if (caption == body.captions.size() || body.captions[caption].begin > begin) {
        last_caption = body.captions.size();
        continue;
      }
      if (caption == last_caption && !captions.empty()) {
        captions.back().end = out.end;  // a further line of the same caption
      } else {
        captions.push_back({out.begin, out.end});
      }
      last_caption = caption;
    }
  }
  // RemoveBoilerplate ends every line in "\n"; the document's text has no
  // final line end (as ExtractHtmlText's and normalize's texts).
  if (!cleaned.text.empty() && cleaned.text.back() == '\n') cleaned.text.pop_back();
  accepted->text = std::move(cleaned.text);
  accepted->captions = std::move(captions);
  accepted->boilerplate_removed = std::move(cleaned.removed);
}

// Fills the metadata the caller did not give: from the page (when `page` is
// set), then from the text's heuristics.
void FillMetadata(const IncomingDocument& doc, const HtmlDocument* page,
                  AcceptedDocument* accepted) {
  accepted->title = doc.title;
  accepted->url = doc.url;
  accepted->source = doc.source;
  accepted->published_at = doc.published_at;
  auto& origins = accepted->metadata_origins;
  auto from_page = [&](const char* field, const std::optional<ExtractedField>& value,
                       std::string* out) {
    if (!out->empty() || !value.has_value() || value->value.empty()) return;
    *out = value->value;
    origins[field] = absl::StrCat("html ", value->origin);
  };
  if (page != nullptr) {
    // og:title is the headline as the outlet shares it; <title> often carries
    // the site's name after the headline.
    from_page("title", page->og_title, &accepted->title);
    from_page("title", page->title, &accepted->title);
    from_page("url", page->canonical_url, &accepted->url);
    from_page("url", page->og_url, &accepted->url);
    from_page("authors", page->author, &accepted->author);
    if (!accepted->published_at.has_value() && page->published_at.has_value()) {
      accepted->published_at = page->published_at;
      origins["published_at"] = absl::StrCat("html ", page->published_time->origin);
    }
  }

  const DocumentMetadata found = ExtractMetadata(accepted->text);
  if (accepted->title.empty() && found.title.has_value()) {
    accepted->title = found.title->value;
    origins["title"] = found.title->origin;
  }
  if (found.dateline.has_value()) {
    accepted->dateline = found.dateline->value;
    origins["dateline"] = found.dateline->origin;
  }
  if (!accepted->published_at.has_value() && found.published_at.has_value()) {
    accepted->published_at = found.published_at;
    origins["published_at"] = found.dateline->origin;
  }
  if (accepted->author.empty() && found.author.has_value()) {
    accepted->author = found.author->value;
    origins["authors"] = found.author->origin;
  }
  if (accepted->url.empty() && found.source_url.has_value()) {
    accepted->url = found.source_url->value;
    origins["url"] = found.source_url->origin;
  }
  if (accepted->source.empty() && found.outlet_code.has_value()) {
    accepted->source = found.outlet_code->value;
    origins["source"] = found.outlet_code->origin;
  }
}

}  // namespace

absl::string_view ContentTypeName(ContentType type) {
  switch (type) {
    case ContentType::kPlainText: return "text/plain";
    case ContentType::kHtml: return "text/html";
  }
  return "text/plain";
}

absl::StatusOr<std::optional<ContentType>> ParseContentType(absl::string_view value) {
  absl::string_view media_type = value.substr(0, value.find(';'));
  media_type = absl::StripAsciiWhitespace(media_type);
  if (media_type.empty()) {
    if (absl::StripAsciiWhitespace(value).empty()) return std::nullopt;
  } else if (absl::EqualsIgnoreCase(media_type, "text/plain")) {
    return ContentType::kPlainText;
  } else if (absl::EqualsIgnoreCase(media_type, "text/html") ||
             absl::EqualsIgnoreCase(media_type, "application/xhtml+xml")) {
    return ContentType::kHtml;
  }
  // Only a short, valid-UTF-8 prefix of the caller's value goes into the message.
  std::string shown(value.substr(0, 64));
  if (!text::ValidateUtf8(shown).ok()) shown = "(not UTF-8)";
  return absl::InvalidArgumentError(absl::StrCat(
      "content_type \"", shown, "\" is not supported: send text/plain, text/html, or none"));
}

std::string RejectionReason(const absl::Status& status) {
  if (status.ok()) return "";
  absl::optional<absl::Cord> reason = status.GetPayload(kReasonPayload);
  return reason.has_value() ? std::string(*reason) : "internal";
}

bool IsValidDocId(const std::string& doc_id) {
  if (doc_id.empty() || doc_id.size() > 128) return false;
  for (char c : doc_id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' &&
        c != '-' && c != ':' && c != '/') {
      return false;
    }
  }
  return true;
}

absl::StatusOr<AcceptedDocument> Ingestor::Accept(const IncomingDocument& doc) const {
  if (doc.text.size() > options_.max_document_bytes) {
    return WithReason(absl::InvalidArgumentError(absl::StrCat(
                          "document is ", doc.text.size(), " bytes; the limit is ",
                          options_.max_document_bytes)),
                      "too_large");
  }
  if (absl::StripAsciiWhitespace(doc.text).empty()) {
    return WithReason(absl::InvalidArgumentError("document text is empty"), "empty");
  }
  VNA_RETURN_IF_ERROR(WithReason(ValidateField("name", doc.name), "invalid_field"));
  VNA_RETURN_IF_ERROR(WithReason(ValidateField("url", doc.url), "invalid_field"));
  VNA_RETURN_IF_ERROR(WithReason(ValidateField("source", doc.source), "invalid_field"));
  VNA_RETURN_IF_ERROR(WithReason(ValidateField("title", doc.title), "invalid_field"));
  absl::StatusOr<std::optional<ContentType>> parsed_type = ParseContentType(doc.content_type);
  if (!parsed_type.ok()) return WithReason(parsed_type.status(), "bad_content_type");
  const std::optional<ContentType> given_type = *parsed_type;
  if (!doc.doc_id.empty() && !IsValidDocId(doc.doc_id)) {
    return WithReason(absl::InvalidArgumentError(
                          "doc_id must be 1-128 ASCII letters, digits or . _ - : /"),
                      "bad_doc_id");
  }

  normalize::DecodeOptions decode;
  if (!doc.encoding.empty()) {
    absl::StatusOr<normalize::Encoding> forced = normalize::ParseEncodingName(doc.encoding);
    if (!forced.ok()) return WithReason(forced.status(), "bad_encoding");
    decode.forced = *forced;
  }
  absl::StatusOr<normalize::DecodeResult> decoded = normalize::Decode(doc.text, decode);
  if (!decoded.ok()) {
    return WithReason(absl::Status(decoded.status().code(),
                                   absl::StrCat("text: ", decoded.status().message())),
                      "undecodable");
  }
  if (decoded->utf8.find('\0') != std::string::npos) {
    return WithReason(
        absl::InvalidArgumentError(
            "text contains NUL characters: binary content (PDF, image, archive?), not text"),
        "binary");
  }
  if (decoded->confidence < options_.min_encoding_confidence) {
    // Most often this is UTF-8 with a few damaged bytes: say where they are.
    const absl::Status as_utf8 = text::ValidateUtf8(doc.text);
    return WithReason(
        absl::InvalidArgumentError(absl::StrFormat(
            "cannot tell the text's encoding (best guess %s, confidence %.2f%s): send UTF-8 or "
            "name the encoding",
            normalize::EncodingName(decoded->encoding), decoded->confidence,
            as_utf8.ok() ? "" : absl::StrCat("; as UTF-8: ", as_utf8.message()))),
        "encoding_uncertain");
  }

  AcceptedDocument accepted;
  accepted.encoding = std::string(normalize::EncodingName(decoded->encoding));
  accepted.encoding_confidence = decoded->confidence;
  // Sniffed after decoding, so that a UTF-16 page is recognised too.
  accepted.content_type_sniffed = !given_type.has_value();
  accepted.content_type = given_type.value_or(LooksLikeHtml(decoded->utf8) ? ContentType::kHtml
                                                                           : ContentType::kPlainText);
  // The hash of the input, not of the cleaned text, keeps doc_ids stable when
  // the boilerplate rules change; the reading is part of it so that the same
  // bytes sent again as the other type are a new version, not a DUPLICATE.
  // Plain text hashes as it always has.
  accepted.content_hash =
      DocumentContentHash(decoded->utf8, accepted.content_type == ContentType::kHtml);
  accepted.doc_id = doc.doc_id.empty() ? accepted.content_hash : doc.doc_id;

  Body body;
  std::optional<HtmlDocument> page;
  if (accepted.content_type == ContentType::kHtml) {
    absl::StatusOr<HtmlDocument> extracted = ExtractHtmlText(decoded->utf8, options_.html);
    if (!extracted.ok()) {
      // A page too costly to parse is a property of this input, not a busy
      // service: RESOURCE_EXHAUSTED would make IngestStream end and clients
      // retry the same page forever.
      const absl::StatusCode code = extracted.status().code() == absl::StatusCode::kInternal
                                        ? absl::StatusCode::kInternal
                                        : absl::StatusCode::kInvalidArgument;
      return WithReason(absl::Status(code, absl::StrCat("html: ", extracted.status().message())),
                        code == absl::StatusCode::kInternal ? "internal" : "html_unparsable");
    }
    page = *std::move(extracted);
    if (page->text.empty()) {
      return WithReason(
          absl::InvalidArgumentError(absl::StrCat(
              "html: the page has no visible text",
              accepted.content_type_sniffed
                  ? " (read as HTML because it looks like markup; send content_type "
                    "text/plain to keep it as text)"
                  : "")),
          "html_no_text");
    }
    body.text = std::move(page->text);
    for (const HtmlParagraph& paragraph : page->paragraphs) {
      if (paragraph.caption) body.captions.push_back({paragraph.begin, paragraph.end});
    }
  } else {
    body.text = std::move(decoded->utf8);
  }

  RemoveBoilerplateInto(body, &accepted);
  if (accepted.text.empty()) {
    // Only possible when lines were removed: the input had visible text.
    return WithReason(
        absl::InvalidArgumentError(absl::StrCat(
            "nothing is left once boilerplate is removed (", accepted.boilerplate_removed.size(),
            " lines removed, the first by rule ",
            accepted.boilerplate_removed.empty() ? absl::string_view("-")
                                                 : accepted.boilerplate_removed.front().rule,
            ")")),
        "all_boilerplate");
  }
  FillMetadata(doc, page.has_value() ? &*page : nullptr, &accepted);
  return accepted;
}

}  // namespace ingest
}  // namespace vnarchive
