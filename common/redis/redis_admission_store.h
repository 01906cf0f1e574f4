// RedisAdmissionStore: the AdmissionStore (common/queue/admission_store.h)
// over Redis 7. Each document is one Lua script call — atomic on the server,
// so two replicas or two streams admitting the same text cannot both enqueue
// it — and a batch of documents is one pipelined round trip.
//
//   RedisOptions options;  // address, key_prefix, ...
//   VNA_ASSIGN_OR_RETURN(auto store, RedisAdmissionStore::Create(options));
//   VNA_ASSIGN_OR_RETURN(auto lookups, store->Lookup(queries));
//   VNA_ASSIGN_OR_RETURN(auto results, store->Admit("vna:ingested", admissions));
//
// Keys, under RedisOptions::key_prefix (default "vna:"):
//   status:<doc_id>   hash: the RedisStatusStore fields (stage, content_hash,
//                     error, updated_ms) plus body_hash and duplicate_of
//   body:<body hash>  string: the first live document with that body
//   sketch:<doc_id>   string: the document's similarity sketch
//   near:<j>          hash: band j's value -> the first document that had it
// About 2 KB per document besides the stream entry with the default sketch
// (measured: the 16 band hashes 1.6 KB, the sketch 0.4 KB, the body key
// 0.14 KB). All keys of a document's script must live on one Redis
// instance (no Redis Cluster slot routing).
//
// Scripts are loaded with SCRIPT LOAD on first use and called with EVALSHA;
// after a server restart (NOSCRIPT) they are loaded again and the calls that
// were refused are sent once more — a refused call never ran.
#ifndef VNARCHIVE_COMMON_REDIS_REDIS_ADMISSION_STORE_H_
#define VNARCHIVE_COMMON_REDIS_REDIS_ADMISSION_STORE_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/queue/admission_store.h"
#include "common/redis/redis_connection.h"

namespace vnarchive {
namespace redis {

struct RedisAdmissionStoreOptions {
  // Connections used in turn, so that concurrent batches (several
  // IngestStreams, or Ingest calls) do not wait for one another's round
  // trips. Default 4; at least 1.
  int connections = 4;
};

// Thread safety: thread-safe; each connection serializes its own calls.
// Not copyable or movable.
class RedisAdmissionStore final : public queue::AdmissionStore {
 public:
  // Returns a store that connects on first use; InvalidArgument for bad
  // options (see RedisConnection::Create) or connections < 1.
  static absl::StatusOr<std::unique_ptr<RedisAdmissionStore>> Create(
      const RedisOptions& options, const RedisAdmissionStoreOptions& store_options = {});
  RedisAdmissionStore(const RedisAdmissionStore&) = delete;
  RedisAdmissionStore& operator=(const RedisAdmissionStore&) = delete;

  // See admission_store.h. Unavailable when Redis cannot be reached;
  // Internal for a script error or a reply of unexpected shape.
  absl::StatusOr<std::vector<queue::AdmissionLookup>> Lookup(
      const std::vector<queue::AdmissionQuery>& queries) override;
  absl::StatusOr<std::vector<queue::AdmissionResult>> Admit(
      absl::string_view stream, const std::vector<queue::Admission>& admissions) override;

 private:
  enum Script { kLookupScript = 0, kAdmitScript = 1, kScriptCount };

  RedisAdmissionStore(RedisOptions options,
                      std::vector<std::unique_ptr<internal::RedisConnection>> connections);

  internal::RedisConnection& NextConnection();
  // Returns the script's SHA1, loading it into Redis when not known yet or
  // when `reload` is set.
  absl::StatusOr<std::string> ScriptSha(internal::RedisConnection& connection, Script script,
                                        bool reload);
  // Runs `script` once per element of `calls` (each: numkeys, keys..., args...)
  // in one pipeline; returns the replies in order, error replies included.
  absl::StatusOr<std::vector<internal::Reply>> RunScript(
      Script script, std::vector<std::vector<std::string>> calls);

  const RedisOptions options_;
  const std::vector<std::unique_ptr<internal::RedisConnection>> connections_;
  std::atomic<size_t> next_connection_{0};

  absl::Mutex sha_mu_;
  std::string shas_[kScriptCount] ABSL_GUARDED_BY(sha_mu_);
};

}  // namespace redis
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_REDIS_REDIS_ADMISSION_STORE_H_
