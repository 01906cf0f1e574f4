// The content hash ingest gives a document (AcceptedDocument::content_hash,
// and the doc_id when the caller gives none), in one place: header-only, so a
// client can compute it exactly as the service does without linking ingest —
// `vnarchive ingest --resume` uses it to skip files already accepted.
//
//   normalize::DecodeResult decoded = ...;  // normalize::Decode(bytes, {})
//   std::string hash = ingest::DocumentContentHash(decoded.utf8, /*html=*/false);
#ifndef VNARCHIVE_SERVICES_INGEST_CORE_CONTENT_HASH_H_
#define VNARCHIVE_SERVICES_INGEST_CORE_CONTENT_HASH_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/base/hash.h"

namespace vnarchive {
namespace ingest {

// Returns the XXH3-128 (32 hex digits) of the decoded UTF-8 input; for a
// document read as HTML, of "text/html\n" followed by it. The reading is part
// of the hash so that the same bytes sent as the other content type are a new
// version rather than a duplicate; plain text hashes as it always has.
inline std::string DocumentContentHash(absl::string_view decoded_utf8, bool html) {
  return html ? ContentHash(absl::StrCat("text/html\n", decoded_utf8))
              : ContentHash(decoded_utf8);
}

}  // namespace ingest
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_INGEST_CORE_CONTENT_HASH_H_
