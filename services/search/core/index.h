// SearchIndex: one search shard — an SQLite database file holding the
// documents, their entities and an FTS5 full-text index over title and text
// (Vietnamese tokenizer, see fts5_tokenizer.h), written in one transaction per
// batch so a document is either wholly searchable or not at all.
//
//   IndexOptions options;
//   options.path = "/var/lib/vnarchive/shard-0.db";  // ":memory:" in tests
//   VNA_ASSIGN_OR_RETURN(std::unique_ptr<SearchIndex> index,
//                        SearchIndex::Open(options));
//   VNA_RETURN_IF_ERROR(index->Upsert({doc}));
//   VNA_ASSIGN_OR_RETURN(SearchResult result, index->Search({"đảng ủy", 10, 0}));
//   for (const Hit& hit : result.hits) { /* hit.doc_id, hit.snippet, ... */ }
//
// Schema (version kSchemaVersion, stored in table `meta`):
//   documents(id INTEGER PRIMARY KEY, doc_id TEXT UNIQUE, name, source, url,
//             title, published_at, dateline, authors (JSON array), language,
//             text, content_hash, duplicate_of, ingested_at_ms, indexed_at_ms)
//   entities(doc_id, ordinal, type, canonical, surface, begin_byte, end_byte,
//            attributes (JSON object)), indexed on (type, canonical) and doc_id
//   docs_fts: FTS5 (title, text), external content = documents (rowid = id),
//             kept in sync by triggers; tokenize='vietnamese'.
// `documents` has an explicit INTEGER PRIMARY KEY (and doc_id UNIQUE) rather
// than doc_id as primary key, because an external-content FTS5 table needs
// rowids that VACUUM never renumbers.
#ifndef VNARCHIVE_SERVICES_SEARCH_CORE_INDEX_H_
#define VNARCHIVE_SERVICES_SEARCH_CORE_INDEX_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/normalize/core/tone.h"
#include "services/search/core/query.h"

struct sqlite3;

namespace vnarchive {
namespace search {

// Version of the on-disk schema. Opening a file with another version is
// FailedPrecondition (no silent migration).
inline constexpr int kSchemaVersion = 1;

// One annotated entity of a document (see DESIGN.md §6). Plain value type.
struct StoredEntity {
  std::string type;       // "PERSON", "ORG", "LOC", "DATE", "DOC_REF", "ROLE"
  std::string surface;    // the text as written
  int64_t begin = 0;      // byte offsets into StoredDocument::text
  int64_t end = 0;        // one past the last byte; begin <= end <= text.size()
  std::string canonical;  // canonical value, e.g. "05-CT/TW", "Hậu Giang"
  std::vector<std::pair<std::string, std::string>> attributes;  // in order
};

// A normalised, annotated document as the index stores it. Plain value type.
struct StoredDocument {
  std::string doc_id;  // required, unique per index
  std::string name;
  std::string source;
  std::string url;
  std::string title;
  int64_t published_at_unix = 0;  // seconds since the epoch; 0 = unknown
  std::string dateline;
  std::vector<std::string> authors;
  std::string language;
  std::string text;
  std::string content_hash;
  std::string duplicate_of;  // doc_id of the original, "" if none
  int64_t ingested_at_unix_ms = 0;
  std::vector<StoredEntity> entities;
};

struct IndexStats {
  int64_t documents = 0;
  int64_t entities = 0;
  int64_t db_bytes = 0;  // main database file size (page_count * page_size)
};

enum class SortOrder {
  kRelevance,   // exact-diacritic matches first, then BM25
  kNewestFirst,  // by published_at; documents without a date come last
  kOldestFirst,  // by published_at; documents without a date come last
};

struct SearchQuery {
  std::string query;  // user syntax, see query.h
  int limit = 10;     // hits to return; capped at IndexOptions::max_limit; 0 = count only
  int offset = 0;     // hits to skip (paging)
  SortOrder sort = SortOrder::kRelevance;
};

struct Hit {
  std::string doc_id;
  std::string name;
  std::string title;
  std::string source;
  int64_t published_at_unix = 0;
  // Higher is better: -bm25 (title weighted) plus IndexOptions::
  // exact_match_bonus when the row also matches the query's tokens as typed.
  double score = 0;
  // Fragment of the text with matched tokens wrapped in
  // IndexOptions::snippet_open / snippet_close ("[" / "]" by default), on
  // one line (paragraph breaks become spaces).
  std::string snippet;
};

struct SearchResult {
  int64_t total = 0;  // all matching documents, not only the returned page
  std::vector<Hit> hits;
};

struct IndexOptions {
  // Database file; ":memory:" for a private in-memory database (tests).
  // Created if missing. Required: empty is InvalidArgument.
  std::string path;
  // How long a statement waits for a lock held by another connection
  // (another process on the same file) before Unavailable. Default: 5 s.
  absl::Duration busy_timeout = absl::Seconds(5);
  // true: synchronous=FULL (a committed batch survives power loss — the
  // worker acks stream entries only after commit). false: synchronous=NORMAL
  // (faster; WAL still never corrupts). Default: true.
  bool durable_commits = true;
  // bm25 column weights. Defaults: title 4.0, text 1.0.
  double title_weight = 4.0;
  double text_weight = 1.0;
  // Added to the score of rows that match the query's tokens exactly as typed
  // (only for queries typed with diacritics). Hits are ordered exact-first
  // regardless; a bonus larger than any bm25 score keeps `score` monotone
  // with the order. Default: 1000.
  double exact_match_bonus = 1000.0;
  // SearchQuery::limit above this is capped to it. Default: 100.
  int max_limit = 100;
  // offset + limit above this is InvalidArgument (deep paging costs the
  // ranking of every row before it). Default: 10000.
  int max_window = 10000;
  // Query parsing limits (max query bytes: default 1024).
  QueryOptions query;
  // The tone style documents were normalised to (the normalize service's
  // --tone_style); queries are put in the same style. Default traditional.
  normalize::ToneStyle tone_style = normalize::ToneStyle::kTraditional;
  // snippet() markers around matched tokens, the ellipsis for cut text, and
  // the snippet length in tokens (1..64). Defaults: "[", "]", "…", 16.
  std::string snippet_open = "[";
  std::string snippet_close = "]";
  std::string snippet_ellipsis = "\xE2\x80\xA6";
  int snippet_tokens = 16;
};

// Thread-safe: every method locks one internal absl::Mutex and runs on the
// single SQLite connection (one writer; readers wait for a running batch).
// Not copyable or movable (hold it by unique_ptr). Other processes may open the
// same file (WAL mode); they wait up to busy_timeout for the write lock.
class SearchIndex {
 public:
  // Opens (creating if needed) the database at options.path, registers the
  // Vietnamese tokenizer, sets WAL mode and the busy timeout, and creates or
  // checks the schema. Returns the index, or
  //   InvalidArgument:    empty path or out-of-range options;
  //   FailedPrecondition: the file cannot be opened/created, or has another
  //                       schema version;
  //   DataLoss:           the file is not an SQLite database or is corrupt;
  //   other codes converted from SQLite (see sqlite_util.h).
  static absl::StatusOr<std::unique_ptr<SearchIndex>> Open(const IndexOptions& options);

  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // Writes `batch` in ONE transaction: each document replaces any previous
  // version with the same doc_id (row, entities and FTS entry), so re-delivery
  // is idempotent; within a batch a later duplicate doc_id wins. The whole
  // batch is validated before anything is written. Returns OK (also for an
  // empty batch), or
  //   InvalidArgument: an empty doc_id, a string field that is not valid UTF-8,
  //                    or an entity span outside the text (nothing written);
  //   Unavailable:     the database is locked by another process past the
  //                    busy timeout (nothing written; retry);
  //   other SQLite failures converted (the transaction is rolled back).
  absl::Status Upsert(const std::vector<StoredDocument>& batch);

  // Returns the stored document with its entities, std::nullopt if absent, or
  // a converted SQLite error.
  absl::StatusOr<std::optional<StoredDocument>> Get(absl::string_view doc_id);

  // Removes the document, its entities and its FTS entry. Returns true if it
  // existed, false if not, or a converted SQLite error.
  absl::StatusOr<bool> Delete(absl::string_view doc_id);

  // Returns the counts and file size, or a converted SQLite error.
  absl::StatusOr<IndexStats> Stats();

  // Runs `query` (see query.h for the syntax). Returns total matches and the
  // page of hits ordered exact-diacritic matches first, then by bm25; or
  //   InvalidArgument: a query ParseQuery() rejects, negative limit/offset, or
  //                    offset + limit above max_window;
  //   Unimplemented:   field filters (not yet supported);
  //   other converted SQLite errors.
  absl::StatusOr<SearchResult> Search(const SearchQuery& query);

 private:
  SearchIndex(const IndexOptions& options, sqlite3* db);

  absl::Status InitSchema() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status UpsertLocked(const std::vector<StoredDocument>& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status LoadEntities(StoredDocument* doc) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const IndexOptions options_;
  absl::Mutex mu_;
  sqlite3* const db_ ABSL_PT_GUARDED_BY(mu_);  // owned; closed in the destructor
};

}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_CORE_INDEX_H_
