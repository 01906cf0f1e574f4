// The decisions ingest makes about one incoming document, as pure logic:
// which encoding its bytes are in (the normalisation library's decoder), is it
// acceptable (decodable, text rather than binary, not empty, not too large),
// what is its doc_id and content hash. The gRPC adapter
// (rpc/ingest_service.h) does the enqueuing.
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
  // An 8-bit encoding guessed with less confidence than this is refused
  // rather than stored as mojibake: almost any bytes decode as *some* 8-bit
  // text. Default 0.5.
  double min_encoding_confidence = 0.5;
};

// What the caller sent (plain fields; the adapter copies them from protobuf).
struct IncomingDocument {
  std::string doc_id;  // optional caller id
  std::string text;    // bytes in any encoding the decoder knows
  std::string encoding;  // forces the encoding (decode.h names); empty: detect
  std::string name;
  std::string url;
  std::string source;
  std::string title;
};

struct AcceptedDocument {
  std::string doc_id;
  std::string content_hash;  // XXH3-128 of the decoded UTF-8 text, 32 hex digits
  std::string text;          // the decoded text, UTF-8 (NFC)
  std::string encoding;      // what it was decoded from, e.g. "tcvn3"
  double encoding_confidence = 1.0;
};

// Stateless and thread-safe; copyable.
class Ingestor {
 public:
  explicit Ingestor(IngestorOptions options) : options_(options) {}

  // Returns the decoded text, doc_id and hash for `doc`. The same article in
  // two encodings gets the same hash (it is taken after decoding).
  // InvalidArgument: empty or whitespace-only text, text over
  // max_document_bytes, bytes that cannot be decoded (naming the byte
  // offset), an unknown forced encoding, binary content (NUL characters), an
  // encoding guessed below min_encoding_confidence, a malformed caller id, or
  // a name/url/source/title that is not UTF-8.
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
