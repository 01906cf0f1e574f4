// MemoryAdmissionStore: an in-memory AdmissionStore for unit tests, with the
// same duplicate rules as the Redis one, writing statuses and stream entries
// through a StatusStore and a Queue (usually MemoryStatusStore and
// MemoryQueue), so tests inspect them as they would after any stage.
//
//   MemoryQueue queue;
//   MemoryStatusStore status;
//   MemoryAdmissionStore store(&queue, &status);
//   auto results = store.Admit("t:ingested", {admission});
//   queue.Range("t:ingested");  // the admitted entry
//
// Faults come from the two stores: while either is unavailable, calls fail
// with Unavailable. A document is published before its status is written,
// so a Queue that is switched off admits nothing.
#ifndef VNARCHIVE_COMMON_QUEUE_MEMORY_ADMISSION_STORE_H_
#define VNARCHIVE_COMMON_QUEUE_MEMORY_ADMISSION_STORE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/queue/admission_store.h"
#include "common/queue/queue.h"
#include "common/queue/status_store.h"

namespace vnarchive {
namespace queue {

// Thread safety: thread-safe; one mutex makes each call atomic with respect
// to other calls on this store. Not copyable or movable.
class MemoryAdmissionStore final : public AdmissionStore {
 public:
  // `queue` and `status` are borrowed and must outlive the store.
  MemoryAdmissionStore(Queue* queue, StatusStore* status) : queue_(queue), status_(status) {}
  MemoryAdmissionStore(const MemoryAdmissionStore&) = delete;
  MemoryAdmissionStore& operator=(const MemoryAdmissionStore&) = delete;

  // See admission_store.h.
  absl::StatusOr<std::vector<AdmissionLookup>> Lookup(
      const std::vector<AdmissionQuery>& queries) override;
  absl::StatusOr<std::vector<AdmissionResult>> Admit(
      absl::string_view stream, const std::vector<Admission>& admissions) override;

  // Test inspection: the duplicate_of recorded for `doc_id` ("" if none).
  std::string DuplicateOf(const std::string& doc_id) const;

 private:
  struct Indexed {
    std::string body_hash;
    std::string sketch;
    std::string duplicate_of;
  };

  // The live document holding `body_hash` other than `doc_id`, or "".
  absl::StatusOr<std::string> SameBodyLocked(const std::string& doc_id,
                                             const std::string& body_hash)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Queue* const queue_;
  StatusStore* const status_;
  mutable absl::Mutex mu_;
  std::map<std::string, Indexed> docs_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> bodies_ ABSL_GUARDED_BY(mu_);  // body hash -> doc_id
  std::vector<std::map<std::string, std::string>> bands_ ABSL_GUARDED_BY(mu_);  // per band
};

}  // namespace queue
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_QUEUE_MEMORY_ADMISSION_STORE_H_
