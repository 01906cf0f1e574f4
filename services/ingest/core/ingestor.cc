#include "services/ingest/core/ingestor.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/hash.h"
#include "common/base/status_macros.h"
#include "common/text/utf8.h"

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
  VNA_RETURN_IF_ERROR(ValidateField("text", doc.text));
  VNA_RETURN_IF_ERROR(ValidateField("name", doc.name));
  VNA_RETURN_IF_ERROR(ValidateField("url", doc.url));
  VNA_RETURN_IF_ERROR(ValidateField("source", doc.source));
  VNA_RETURN_IF_ERROR(ValidateField("title", doc.title));
  if (!doc.doc_id.empty() && !IsValidDocId(doc.doc_id)) {
    return absl::InvalidArgumentError(
        "doc_id must be 1-128 ASCII letters, digits or . _ - : /");
  }
  AcceptedDocument accepted;
  accepted.content_hash = ContentHash(doc.text);
  accepted.doc_id = doc.doc_id.empty() ? accepted.content_hash : doc.doc_id;
  return accepted;
}

}  // namespace ingest
}  // namespace vnarchive
