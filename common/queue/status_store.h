// Per-document pipeline status (DESIGN §4: `<prefix>status:<doc_id>` hashes in
// Redis), so IngestService.GetStatus answers without asking every stage.
//
//   store.Set(doc_id, {.stage = "normalized"});
//   VNA_ASSIGN_OR_RETURN(std::optional<DocStatus> s, store.Get(doc_id));
//
// Implementations: RedisStatusStore (common/redis) and MemoryStatusStore
// (common/queue/memory_queue.h).
#ifndef VNARCHIVE_COMMON_QUEUE_STATUS_STORE_H_
#define VNARCHIVE_COMMON_QUEUE_STATUS_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vnarchive {
namespace queue {

// Stage names as stored; a document moves forward through them in this order.
inline constexpr char kStageAccepted[] = "accepted";
inline constexpr char kStageNormalized[] = "normalized";
inline constexpr char kStageExtracted[] = "extracted";
inline constexpr char kStageIndexed[] = "indexed";
inline constexpr char kStageFailed[] = "failed";

struct DocStatus {
  std::string stage;          // one of the kStage* names
  std::string error;          // set when stage == "failed": which stage failed and why
  std::string content_hash;   // hash of the text as accepted; empty if unknown
  int64_t updated_unix_ms = 0;  // when the stage was last written
};

// Thread safety: as Queue.
class StatusStore {
 public:
  virtual ~StatusStore() = default;

  // Writes the non-empty fields of `status` for `doc_id` (a missing
  // updated_unix_ms is filled with now). Fields not given keep their value.
  virtual absl::Status Set(absl::string_view doc_id, const DocStatus& status) = 0;

  // Set() for each id with the same `status`. OK, or the first error (some
  // ids may have been written: writing a status twice is harmless). This
  // default calls Set per id; a store with round trips overrides it to
  // write them together.
  virtual absl::Status SetMany(const std::vector<std::string>& doc_ids, const DocStatus& status) {
    for (const std::string& doc_id : doc_ids) {
      if (absl::Status s = Set(doc_id, status); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // Returns the status, or nullopt when the document was never seen.
  virtual absl::StatusOr<std::optional<DocStatus>> Get(absl::string_view doc_id) = 0;

  // Returns the status of each id, in order (nullopt: never seen). Errors as
  // Get. This default calls Get per id; a store with round trips overrides
  // it to answer in one.
  virtual absl::StatusOr<std::vector<std::optional<DocStatus>>> GetMany(
      const std::vector<std::string>& doc_ids) {
    std::vector<std::optional<DocStatus>> out;
    out.reserve(doc_ids.size());
    for (const std::string& doc_id : doc_ids) {
      absl::StatusOr<std::optional<DocStatus>> status = Get(doc_id);
      if (!status.ok()) return status.status();
      out.push_back(*std::move(status));
    }
    return out;
  }
};

}  // namespace queue
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_QUEUE_STATUS_STORE_H_
