// The embedded archive: a search shard's database file used directly by one
// process (`vnarchive index --db` / `search --db`), with no server. Two parts:
//
//  * OpenArchive checks that a path holds a vnarchive database (or nothing
//    yet, when creating) before SearchIndex::Open touches it, so a typo'd
//    path or some other program's SQLite file is refused with a clear error
//    instead of being turned into an empty archive.
//  * ArchiveWriter feeds documents into the index in batched transactions,
//    skipping a document the archive already holds with the same text, as
//    ingest answers DUPLICATE for one already accepted.
//
//   IndexOptions options;
//   options.path = "archive.db";
//   VNA_ASSIGN_OR_RETURN(std::unique_ptr<SearchIndex> index,
//                        OpenArchive(options, ArchiveMode::kCreateIfMissing));
//   ArchiveWriter writer(index.get(), ArchiveWriterOptions{});
//   for (size_t i = 0; i < docs.size(); ++i) {
//     VNA_ASSIGN_OR_RETURN(ArchiveWriter::Outcome outcome, writer.Add(docs[i], i));
//   }
//   VNA_RETURN_IF_ERROR(writer.Flush());
//   for (const ArchiveWriter::Failure& f : writer.failures()) Report(f.tag, f.status);
//
// The file is the same database a search shard uses (services/search/core/
// index.h): a shard can be seeded by copying it.
#ifndef VNARCHIVE_SERVICES_PIPELINE_CORE_ARCHIVE_H_
#define VNARCHIVE_SERVICES_PIPELINE_CORE_ARCHIVE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/search/core/index.h"

namespace vnarchive {
namespace pipeline {

enum class ArchiveMode {
  kCreateIfMissing,  // indexing: a missing or empty file becomes a new archive
  kMustExist,        // searching: the file must already be an archive
};

// Returns OK if `path` may be opened as an archive in `mode`, or
//   InvalidArgument:    empty path;
//   NotFound:           kMustExist and nothing exists at `path`;
//   FailedPrecondition: `path` is a directory or not a regular file; an
//                       empty file in kMustExist; a file that is not an
//                       SQLite database; an SQLite database without the
//                       vnarchive search schema (another program's file);
//   Unavailable:        the file exists but cannot be read.
// ":memory:" is always OK. The schema version is checked by SearchIndex::Open.
absl::Status CheckArchiveFile(const std::string& path, ArchiveMode mode);

// CheckArchiveFile(options.path, mode), then SearchIndex::Open(options).
// Errors as those two.
absl::StatusOr<std::unique_ptr<search::SearchIndex>> OpenArchive(
    const search::IndexOptions& options, ArchiveMode mode);

struct ArchiveWriterOptions {
  // Documents per transaction. Default 256: large enough that the commit
  // (an fsync with durable commits) costs little per document, small enough
  // that a failed batch retried one by one stays cheap. 0 is taken as 1.
  size_t batch_size = 256;
};

// Not thread-safe (one caller feeds it). Not copyable or movable: it borrows
// `index`, which must outlive it. Pending documents are lost if it is
// destroyed without Flush().
class ArchiveWriter {
 public:
  enum class Outcome {
    kQueued,     // will be written by this or a later commit (see failures())
    kDuplicate,  // the archive or this run already holds the same doc_id and text
  };
  // A document whose commit failed, named by the caller's tag.
  struct Failure {
    size_t tag = 0;
    absl::Status status;
  };

  ArchiveWriter(search::SearchIndex* index, ArchiveWriterOptions options);
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;

  // Queues `document` (any earlier version with its doc_id is replaced when
  // committed) unless its doc_id is already stored, or queued, with the same
  // content_hash: then returns kDuplicate and writes nothing. Commits the
  // batch when it is full. `tag` names the document in failures(). Returns
  // the outcome, or the index's error when looking the doc_id up fails
  // (nothing queued).
  absl::StatusOr<Outcome> Add(search::StoredDocument document, size_t tag);

  // Commits the queued documents in one transaction. When that fails, each
  // is retried alone, so one document that breaks a batch does not hold back
  // the others; the ones that still fail go to failures(). Returns OK when
  // every queued document was written, else the first failure's status.
  absl::Status Flush();

  // Every document whose commit failed so far, in commit order.
  const std::vector<Failure>& failures() const { return failures_; }
  // How many documents were committed so far.
  size_t committed() const { return committed_; }

 private:
  search::SearchIndex* const index_;
  const size_t batch_size_;
  std::vector<search::StoredDocument> pending_;
  std::vector<size_t> pending_tags_;
  // doc_id -> content_hash of the pending documents.
  absl::flat_hash_map<std::string, std::string> pending_hashes_;
  std::vector<Failure> failures_;
  size_t committed_ = 0;
};

}  // namespace pipeline
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_PIPELINE_CORE_ARCHIVE_H_
