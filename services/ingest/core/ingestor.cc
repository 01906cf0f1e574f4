#include "services/ingest/core/ingestor.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/hash.h"
#include "common/base/status_macros.h"
#include "common/text/utf8.h"
#include "services/normalize/core/decode.h"

namespace vnarchive {
namespace ingest {
namespace {

absl::Status ValidateField(const char* field, const std::string& value) {
  absl::Status status = text::ValidateUtf8(value);
  if (status.ok()) return status;
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", status.message()));
}

}  // namespace

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
    return absl::InvalidArgumentError(absl::StrCat("document is ", doc.text.size(),
                                                   " bytes; the limit is ",
                                                   options_.max_document_bytes));
  }
  if (absl::StripAsciiWhitespace(doc.text).empty()) {
    return absl::InvalidArgumentError("document text is empty");
  }
  VNA_RETURN_IF_ERROR(ValidateField("name", doc.name));
  VNA_RETURN_IF_ERROR(ValidateField("url", doc.url));
  VNA_RETURN_IF_ERROR(ValidateField("source", doc.source));
  VNA_RETURN_IF_ERROR(ValidateField("title", doc.title));
  if (!doc.doc_id.empty() && !IsValidDocId(doc.doc_id)) {
    return absl::InvalidArgumentError(
        "doc_id must be 1-128 ASCII letters, digits or . _ - : /");
  }

  normalize::DecodeOptions decode;
  if (!doc.encoding.empty()) {
    VNA_ASSIGN_OR_RETURN(decode.forced, normalize::ParseEncodingName(doc.encoding));
  }
  absl::StatusOr<normalize::DecodeResult> decoded = normalize::Decode(doc.text, decode);
  if (!decoded.ok()) {
    return absl::Status(decoded.status().code(),
                        absl::StrCat("text: ", decoded.status().message()));
  }
  if (decoded->utf8.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError(
        "text contains NUL characters: binary content (PDF, image, archive?), not text");
  }
  if (decoded->confidence < options_.min_encoding_confidence) {
    // Most often this is UTF-8 with a few damaged bytes: say where they are.
    const absl::Status as_utf8 = text::ValidateUtf8(doc.text);
    return absl::InvalidArgumentError(absl::StrFormat(
        "cannot tell the text's encoding (best guess %s, confidence %.2f%s): send UTF-8 or "
        "name the encoding",
        normalize::EncodingName(decoded->encoding), decoded->confidence,
        as_utf8.ok() ? "" : absl::StrCat("; as UTF-8: ", as_utf8.message())));
  }

  AcceptedDocument accepted;
  accepted.text = std::move(decoded->utf8);
  accepted.encoding = std::string(normalize::EncodingName(decoded->encoding));
  accepted.encoding_confidence = decoded->confidence;
  accepted.content_hash = ContentHash(accepted.text);
  accepted.doc_id = doc.doc_id.empty() ? accepted.content_hash : doc.doc_id;
  return accepted;
}

}  // namespace ingest
}  // namespace vnarchive
