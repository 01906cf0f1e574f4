#include "services/pipeline/core/archive.h"

#include <sqlite3.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"

namespace vnarchive {
namespace pipeline {
namespace {

namespace fs = std::filesystem;

// Every SQLite 3 database file starts with these 16 bytes.
constexpr char kSqliteMagic[] = "SQLite format 3";  // + its NUL: 16 bytes

absl::Status NotAnArchive(const std::string& path, absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat("'", path, "' is not a vnarchive database (", why, ")"));
}

// True if the SQLite database at `path` has the search schema's `meta` row.
// Opened read-only, so another program's database is never written to.
absl::StatusOr<bool> HasSearchSchema(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return absl::UnavailableError(absl::StrCat("cannot open '", path, "': ", message));
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* statement = nullptr;
  rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &statement,
                          nullptr);
  bool found = false;
  std::optional<std::string> failure;
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(statement);
    found = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) failure = sqlite3_errmsg(db);
  } else if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    failure = sqlite3_errmsg(db);
  }
  // Any other prepare error ("no such table: meta", "file is not a
  // database") means it is not ours.
  sqlite3_finalize(statement);
  sqlite3_close_v2(db);
  if (failure.has_value()) {
    return absl::UnavailableError(absl::StrCat("cannot read '", path, "': ", *failure));
  }
  return found;
}

}  // namespace

absl::Status CheckArchiveFile(const std::string& path, ArchiveMode mode) {
  if (path.empty()) return absl::InvalidArgumentError("the database path is empty");
  if (path == ":memory:") return absl::OkStatus();
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) {
    if (mode == ArchiveMode::kCreateIfMissing) return absl::OkStatus();
    return absl::NotFoundError(absl::StrCat("no database at '", path, "'"));
  }
  if (fs::is_directory(status)) return NotAnArchive(path, "it is a directory");
  if (!fs::is_regular_file(status)) return NotAnArchive(path, "not a regular file");
  const uintmax_t size = fs::file_size(path, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat("cannot read '", path, "': ", error.message()));
  }
  if (size == 0) {
    // SQLite treats an empty file as a new database: fine to create into.
    if (mode == ArchiveMode::kCreateIfMissing) return absl::OkStatus();
    return NotAnArchive(path, "the file is empty");
  }
  char header[sizeof(kSqliteMagic)] = {};
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::UnavailableError(absl::StrCat("cannot open '", path, "'"));
  in.read(header, sizeof(header));
  if (in.gcount() != static_cast<std::streamsize>(sizeof(header)) ||
      std::memcmp(header, kSqliteMagic, sizeof(header)) != 0) {
    return NotAnArchive(path, "not an SQLite database");
  }
  VNA_ASSIGN_OR_RETURN(const bool ours, HasSearchSchema(path));
  if (!ours) return NotAnArchive(path, "an SQLite database without the vnarchive search tables");
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<search::SearchIndex>> OpenArchive(
    const search::IndexOptions& options, ArchiveMode mode) {
  VNA_RETURN_IF_ERROR(CheckArchiveFile(options.path, mode));
  return search::SearchIndex::Open(options);
}

ArchiveWriter::ArchiveWriter(search::SearchIndex* index, ArchiveWriterOptions options)
    : index_(index), batch_size_(options.batch_size == 0 ? 1 : options.batch_size) {}

absl::StatusOr<ArchiveWriter::Outcome> ArchiveWriter::Add(search::StoredDocument document,
                                                          size_t tag) {
  // Same rule as ingest's DUPLICATE: same doc_id and same text. A new text
  // under a caller's doc_id is a new version and replaces the stored one.
  // A queued version is newer than the stored one, so it is the one compared.
  const auto queued = pending_hashes_.find(document.doc_id);
  if (queued != pending_hashes_.end()) {
    if (queued->second == document.content_hash) return Outcome::kDuplicate;
  } else {
    VNA_ASSIGN_OR_RETURN(std::optional<search::StoredDocument> stored,
                         index_->Get(document.doc_id));
    if (stored.has_value() && stored->content_hash == document.content_hash) {
      return Outcome::kDuplicate;
    }
  }
  pending_hashes_[document.doc_id] = document.content_hash;
  pending_.push_back(std::move(document));
  pending_tags_.push_back(tag);
  if (pending_.size() >= batch_size_) {
    // A failed commit is recorded per document in failures(); adding goes on.
    Flush().IgnoreError();
  }
  return Outcome::kQueued;
}

absl::Status ArchiveWriter::Flush() {
  if (pending_.empty()) return absl::OkStatus();
  absl::Status first_failure;
  if (index_->Upsert(pending_).ok()) {
    committed_ += pending_.size();
  } else {
    for (size_t i = 0; i < pending_.size(); ++i) {
      absl::Status alone = index_->Upsert({pending_[i]});
      if (alone.ok()) {
        ++committed_;
        continue;
      }
      if (first_failure.ok()) first_failure = alone;
      failures_.push_back(Failure{pending_tags_[i], std::move(alone)});
    }
  }
  pending_.clear();
  pending_tags_.clear();
  pending_hashes_.clear();
  return first_failure;
}

}  // namespace pipeline
}  // namespace vnarchive
