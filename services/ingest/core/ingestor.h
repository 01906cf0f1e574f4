// The decisions ingest makes about one incoming document, as pure logic:
// is it acceptable (UTF-8, not empty, not too large), what is its doc_id and
// content hash. The gRPC adapter (rpc/ingest_service.h) does the enqueuing.
//
//   Ingestor ingestor(IngestorOptions{});
//   absl::StatusOr<AcceptedDocument> doc = ingestor.Accept({.text = body, .name = "a.txt"});
//   // doc->doc_id is the caller's id, or the content hash when none was given
#ifndef VNARCHIVE_SERVICES_INGEST_CORE_INGESTOR_H_
#define VNARCHIVE_SERVICES_INGEST_CORE_INGESTOR_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace vnarchive {
namespace ingest {

struct IngestorOptions {
  // Largest accepted text, bytes. Default 8 MiB: far above any article or
  // resolution, small enough that one document cannot starve a stage.
  size_t max_document_bytes = 8 << 20;
};

// What the caller sent (plain fields; the adapter copies them from protobuf).
struct IncomingDocument {
  std::string doc_id;  // optional caller id
  std::string text;
  std::string name;
  std::string url;
  std::string source;
  std::string title;
};

struct AcceptedDocument {
  std::string doc_id;
  std::string content_hash;  // XXH3-128 of the text, 32 hex digits
};

// Stateless and thread-safe; copyable.
class Ingestor {
 public:
  explicit Ingestor(IngestorOptions options) : options_(options) {}

  // Returns the doc_id and hash for `doc`.
  // InvalidArgument: empty or whitespace-only text, text over
  // max_document_bytes, invalid UTF-8 (naming the byte offset), a malformed
  // caller id, or a name/url/source/title that is not UTF-8.
  absl::StatusOr<AcceptedDocument> Accept(const IncomingDocument& doc) const;

 private:
  IngestorOptions options_;
};

// True if `doc_id` is a usable id: 1..128 bytes of ASCII letters, digits and
// . _ - : / (safe in Redis keys, URLs and file names).
bool IsValidDocId(const std::string& doc_id);

}  // namespace ingest
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_INGEST_CORE_INGESTOR_H_
