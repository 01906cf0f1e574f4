// The pipeline's front door as storage: what ingest asks and writes when it
// takes documents in (DESIGN §4). Admitting a document means, atomically:
// refusing it as a duplicate when the same text is already live, otherwise
// recording its status ("accepted"), appending its message to the ingested
// stream and indexing its wording for later duplicate checks. Batches are the
// unit: a store answers a whole batch in one round trip.
//
//   AdmissionQuery query{doc_id, body_hash, bands};
//   VNA_ASSIGN_OR_RETURN(std::vector<AdmissionLookup> found, store.Lookup({query}));
//   ... decide duplicate_of from found[0], build the payload ...
//   VNA_ASSIGN_OR_RETURN(std::vector<AdmissionResult> done,
//                        store.Admit("vna:ingested", {admission}));
//
// The index holds, per document, the hash of its normalised body and its
// similarity sketch, and per band value the first document that had it; what
// the hashes, sketches and bands mean is ingest's business
// (services/ingest/core/near_duplicate.h): to a store they are opaque bytes.
//
// Implementations: RedisAdmissionStore (common/redis, production: one Lua
// script per document, pipelined) and MemoryAdmissionStore
// (memory_admission_store.h, unit tests).
#ifndef VNARCHIVE_COMMON_QUEUE_ADMISSION_STORE_H_
#define VNARCHIVE_COMMON_QUEUE_ADMISSION_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vnarchive {
namespace queue {

// What to look up for one document.
struct AdmissionQuery {
  std::string doc_id;
  std::string body_hash;
  // Band values of the document's sketch, band j at index j; empty: no
  // near-duplicate lookup.
  std::vector<std::string> bands;
};

// A document another document's bands point to.
struct SimilarDocument {
  std::string doc_id;
  std::string sketch;  // as stored by Admit
};

// What the index knows for one AdmissionQuery.
struct AdmissionLookup {
  // The document's stored stage and content hash; both empty when the
  // doc_id was never admitted.
  std::string stage;
  std::string content_hash;
  // A live document (stage not failed) other than doc_id whose body hash is
  // the query's, or empty.
  std::string same_body;
  // Documents that share a band value with the query, other than doc_id,
  // each once, in band order, with their stored sketch.
  std::vector<SimilarDocument> similar;
};

// One document to admit.
struct Admission {
  std::string doc_id;
  std::string content_hash;
  std::string body_hash;
  // Recorded with the status (field "duplicate_of"); empty clears it.
  std::string duplicate_of;
  // Stored for later lookups; empty: the document has no sketch (and any
  // earlier version's sketch is dropped).
  std::string sketch;
  std::vector<std::string> bands;  // band j at index j; may be empty
  // Appended to the stream as the entry's "pb" field (with "id" = doc_id and
  // "v" = kSchemaVersion) when the document is admitted.
  std::string payload;
};

struct AdmissionResult {
  enum class Outcome {
    kAccepted,   // status written, entry appended, wording indexed
    kDuplicate,  // nothing written
  };
  Outcome outcome = Outcome::kAccepted;
  // kDuplicate: the live document that already holds this text — doc_id
  // itself (same id, same content hash) or the first document with the same
  // body hash (only for a doc_id never admitted before).
  std::string duplicate_of;
  // kAccepted: the stream entry id.
  std::string entry_id;
};

// Thread safety: implementations are thread-safe.
class AdmissionStore {
 public:
  virtual ~AdmissionStore() = default;

  // Returns one AdmissionLookup per query, in order. Read-only.
  // Unavailable when the store cannot be reached.
  virtual absl::StatusOr<std::vector<AdmissionLookup>> Lookup(
      const std::vector<AdmissionQuery>& queries) = 0;

  // Admits each document, in order, each atomically: it is a kDuplicate,
  // and nothing is written, when its doc_id is live (stage not failed) with
  // the same content hash, or when its doc_id was never admitted and a live
  // document has the same body hash. Otherwise its status becomes
  // "accepted" (content_hash, body_hash, duplicate_of; error cleared), its
  // payload is appended to `stream`, its body hash points to it unless a
  // live document already holds that body, its sketch replaces any earlier
  // one, and each band value not yet indexed points to it.
  // Returns one result per admission. Unavailable when the store cannot be
  // reached: some documents may have been admitted then, so a retry sees
  // those as duplicates of themselves; nothing is admitted twice.
  virtual absl::StatusOr<std::vector<AdmissionResult>> Admit(
      absl::string_view stream, const std::vector<Admission>& admissions) = 0;
};

}  // namespace queue
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_QUEUE_ADMISSION_STORE_H_
