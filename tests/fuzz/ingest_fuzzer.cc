// libFuzzer target over ingest's reading of a document: arbitrary bytes as a
// web page, as plain text and sniffed, through decoding, the HTML5 parser,
// boilerplate removal and metadata. Checks what the service relies on: an
// input is accepted or refused with a clear code (never a crash, never a
// hang: a run in the test suite fails any input over 10 s, which catches
// runaway parsing), and what is accepted is valid UTF-8 with caption spans
// inside the text, in order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "common/text/utf8.h"
#include "services/ingest/core/ingestor.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

void Check(const vnarchive::ingest::Ingestor& ingestor, absl::string_view bytes,
           const char* content_type) {
  vnarchive::ingest::IncomingDocument doc;
  doc.text = std::string(bytes);
  doc.content_type = content_type;
  absl::StatusOr<vnarchive::ingest::AcceptedDocument> accepted = ingestor.Accept(doc);
  if (!accepted.ok()) {
    const absl::StatusCode code = accepted.status().code();
    Require(code == absl::StatusCode::kInvalidArgument ||
            code == absl::StatusCode::kResourceExhausted);
    Require(!accepted.status().message().empty());
    return;
  }
  Require(vnarchive::text::ValidateUtf8(accepted->text).ok());
  Require(!accepted->doc_id.empty() && accepted->content_hash.size() == 32);
  size_t previous_end = 0;
  for (const auto& caption : accepted->captions) {
    Require(previous_end <= caption.begin && caption.begin <= caption.end &&
            caption.end <= accepted->text.size());
    previous_end = caption.end;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const vnarchive::ingest::Ingestor* ingestor =
      new vnarchive::ingest::Ingestor(vnarchive::ingest::IngestorOptions{});
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  Check(*ingestor, bytes, "text/html");
  Check(*ingestor, bytes, "");
  Check(*ingestor, bytes, "text/plain");
  return 0;
}
