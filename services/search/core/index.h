// SearchIndex: one search shard — an SQLite database file holding the
// documents, their entities and an FTS5 full-text index over title and text
// (Vietnamese tokenizer, see fts5_tokenizer.h), written in one transaction per
// batch so a document is either wholly searchable or not at all. Searches
// combine full-text terms with field filters (query.h, filter.h), count
// facet values over the matching documents (over a sample when there are
// many), return each hit with its entities, and suggest diacritics for
// queries typed without them (suggest.h).
//
//   IndexOptions options;
//   options.path = "/var/lib/vnarchive/shard-0.db";  // ":memory:" in tests
//   VNA_ASSIGN_OR_RETURN(std::unique_ptr<SearchIndex> index,
//                        SearchIndex::Open(options));
//   VNA_RETURN_IF_ERROR(index->Upsert({doc}));
//   SearchQuery query;
//   query.query = "đảng ủy loc:\"Hậu Giang\" date:2019";
//   query.facets = {"person", "year"};
//   VNA_ASSIGN_OR_RETURN(SearchResult result, index->Search(query));
//   for (const Hit& hit : result.hits) { /* hit.doc_id, hit.snippet, hit.entities */ }
//
// Schema (version kSchemaVersion, stored in table `meta`):
//   documents(id INTEGER PRIMARY KEY, doc_id TEXT UNIQUE, name, source, url,
//             title, published_at, dateline, authors (JSON array), language,
//             text, content_hash, duplicate_of, ingested_at_ms, indexed_at_ms),
//             indexed on published_at, and on (id, doc_id, published_at,
//             source) (documents_keys: what a search reads per match)
//   doc_entities(doc = documents.id PRIMARY KEY, count, facet_values BLOB,
//            entities BLOB): a document's entities in one row
//            (entity_codec.h): the distinct (type, canonical) values that
//            facets count, then every entity with span and attributes
//   filter_keys(field, key, doc): the folded keys of filter.h per document
//            (doc = documents.id), primary key (field, key, doc) so a filter
//            is one index range; indexed on doc for deletion
//   docs_fts: FTS5 (title, text), external content = documents (rowid = id);
//             tokenize='vietnamese'. Upsert writes a new document's entry
//             itself (a trigger would make FTS5 flush a segment per document,
//             see index.cc); triggers remove it on delete and update.
// `documents` has an explicit INTEGER PRIMARY KEY (and doc_id UNIQUE) rather
// than doc_id as primary key, because an external-content FTS5 table needs
// rowids that VACUUM never renumbers. Deleting a document row removes its
// FTS entry, entities and filter keys (triggers), in the same statement.
// Files of versions 1-3 (an `entities` table with a row per entity) are
// upgraded when opened.
#ifndef VNARCHIVE_SERVICES_SEARCH_CORE_INDEX_H_
#define VNARCHIVE_SERVICES_SEARCH_CORE_INDEX_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/normalize/core/tone.h"
#include "services/search/core/query.h"
#include "services/search/core/suggest.h"

struct sqlite3;

namespace vnarchive {
namespace search {

// Version of the on-disk schema. Versions 1 (before filter_keys), 2 (FTS
// entries written by a trigger) and 3 (a row per entity) are upgraded in
// place when opened, in one transaction (version 1's filter keys are computed
// from the stored entities); opening any other version is FailedPrecondition.
inline constexpr int kSchemaVersion = 4;

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

// What SearchIndex::CheckIntegrity found. Plain value type.
struct IntegrityReport {
  int64_t documents = 0;  // rows in `documents`
  // One line per problem found, each prefixed by the check that found it:
  //   "integrity_check: ..."   SQLite's PRAGMA integrity_check (b-trees,
  //                            indexes, and FTS5's own xIntegrity);
  //   "fts: ..."               FTS5's 'integrity-check' command: the full-
  //                            text index is internally consistent and
  //                            agrees with the `documents` rows;
  //   "orphans: ..."           entity or filter-key rows whose document is gone.
  // Empty: the database is sound.
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

struct IndexStats {
  int64_t documents = 0;
  int64_t entities = 0;
  int64_t db_bytes = 0;  // main database file size (page_count * page_size)
};

enum class SortOrder {
  kRelevance,   // exact-diacritic matches first, then adjacent words, then BM25
                // (see rank_candidates)
  kNewestFirst,  // by published_at; documents without a date come last
  kOldestFirst,  // by published_at; documents without a date come last
};

// A structured filter, as SearchRequest.filters carries it: the same as
// `field:value` (or `-field:value`) in the query text, parsed by the same code.
struct FilterSpec {
  std::string field;  // "person", "org", "loc", "ref", "source" or "date"
  std::string value;  // e.g. "Hậu Giang", "2019-07", "..2019-06-30"
  bool exclude = false;
};

struct SearchQuery {
  // User syntax, see query.h. May be empty (or whitespace) when `filters` or a
  // published_* bound select the documents.
  std::string query;
  int limit = 10;     // hits to return; capped at IndexOptions::max_limit; 0 = count only
  int offset = 0;     // hits to skip (paging)
  // Without text terms (filters only) kRelevance means kNewestFirst.
  SortOrder sort = SortOrder::kRelevance;
  // ANDed with the filters written in `query`.
  std::vector<FilterSpec> filters = {};
  // published_at >= published_after and < published_before (seconds since
  // the epoch); documents without a date never match a bound.
  std::optional<int64_t> published_after = std::nullopt;
  std::optional<int64_t> published_before = std::nullopt;
  // Facets to count over the matching documents, in the order given
  // (duplicates once, ASCII case ignored): "person", "org", "loc", "ref",
  // "source", "year". A query matching more than IndexOptions::facet_sample
  // documents has them estimated from a sample (SearchResult::facet_sample).
  std::vector<std::string> facets = {};
  // Values per facet, most frequent first; capped at
  // IndexOptions::max_facet_values. Must be positive. Default: 10.
  int facet_limit = 10;
  // true: count the facets over every match, however many (the cost grows
  // with the number of matches: about a second per million).
  bool exact_facets = false;
  // true: count every match for `total`, however many (see
  // SearchResult::total_estimated; the cost grows with the number of
  // matches: about 0.15 us each).
  bool exact_total = false;
  // false: no snippets (cheaper), and so no suggestion either.
  bool snippets = true;
};

struct Hit {
  std::string doc_id;
  std::string name;
  std::string title;
  std::string source;
  int64_t published_at_unix = 0;
  // Higher is better: BM25 (title weighted; rank_function.h) plus IndexOptions::
  // exact_match_bonus when the row also matches the query's tokens as typed
  // and adjacent_match_bonus when words typed together are adjacent in it.
  // 0 for a query without text terms.
  double score = 0;
  // Fragment of the text with matched tokens wrapped in
  // IndexOptions::snippet_open / snippet_close ("[" / "]" by default), on
  // one line (paragraph breaks become spaces). Words matched through folding
  // ("dang" in "Đảng") or an abbreviation ("UBND" in "Ủy ban nhân dân") are
  // marked too. For a query without text terms: the opening of the text,
  // unmarked. Empty when SearchQuery::snippets is false.
  std::string snippet;
  // The document's entities, each (type, canonical) once in order of first
  // appearance, with that first occurrence's surface and span; at most
  // IndexOptions::max_hit_entities. Attributes are left out (Get has them).
  std::vector<StoredEntity> entities;
};

struct FacetValue {
  std::string value;  // a canonical entity value, a source or a year ("2019")
  int64_t count = 0;  // matching documents that have it
};

struct Facet {
  std::string field;  // as requested, lower case: "person", ..., "year"
  std::vector<FacetValue> values;  // most frequent first, ties by value
};

struct SearchResult {
  int64_t total = 0;  // all matching documents, not only the returned page
  // True when `total` is an estimate. A relevance-ranked query matching
  // more documents than IndexOptions::rank_candidates counts the ones it
  // ranked and, of the older ones, those in sixteen id ranges spread over
  // them (a sixteenth of each sixteenth), scaled; when that sample holds fewer
  // than 200 matches every match is counted instead. Within a few percent
  // for broad queries; SearchQuery::exact_total and
  // IndexOptions::estimate_totals = false count every match. A query with
  // facets always counts every match (the facets walk them anyway).
  bool total_estimated = false;
  std::vector<Hit> hits;
  std::vector<Facet> facets;  // one per requested facet, in request order
  // How many of the `total` matches the facets were counted over: `total`
  // when they are exact; fewer when they were estimated from a sample (each
  // count is then the sample's count scaled by total / facet_sample, an
  // estimate). 0 when no facet was requested.
  int64_t facet_sample = 0;
  // The query with diacritics put in for terms typed without them, when the
  // hits clearly say which words were meant (suggest.h); "" otherwise.
  std::string suggestion;
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
  // SQLite page cache of the connection, bytes. Indexing writes several
  // B-trees at random places (entities, filter keys, FTS5 segments); with
  // SQLite's default 2 MB the cache fills with dirty pages and spills them
  // mid-transaction. Default: 64 MiB. 0: SQLite's default.
  int64_t cache_bytes = int64_t{64} << 20;
  // Bytes of the database file SQLite reads through a memory map instead of
  // read() calls (PRAGMA mmap_size); searches read many scattered pages of
  // the FTS index, entities and documents_keys, and each read() is a system
  // call and a copy. SQLite caps it at its compile-time maximum (2 GB in
  // common builds); an I/O error on a mapped page is a SIGBUS instead of an
  // error code. 0: no memory map. Default: 2 GiB.
  int64_t mmap_bytes = int64_t{2} << 30;
  // bm25 column weights. Defaults: title 4.0, text 1.0.
  double title_weight = 4.0;
  double text_weight = 1.0;
  // Added to the score of rows that match the query's tokens exactly as typed
  // (only for queries typed with diacritics). Hits are ordered exact-first
  // regardless; a bonus larger than any bm25 score keeps `score` monotone
  // with the order. Default: 1000.
  double exact_match_bonus = 1000.0;
  // Added to the score of rows where words typed one after the other are
  // adjacent in the text (ParsedQuery::rank_plan.runs); within the exact and
  // the other rows, those rank first. Kept below exact_match_bonus and above
  // any bm25 score so `score` stays monotone with the order. Default: 500.
  double adjacent_match_bonus = 500.0;
  // SearchQuery::limit above this is capped to it. Default: 100.
  int max_limit = 100;
  // SearchQuery::facet_limit above this is capped to it. Default: 100.
  int max_facet_values = 100;
  // Entities returned with each hit (distinct values). Default: 20.
  int max_hit_entities = 20;
  // How many of the returned hits' snippets the suggestion reads (0: never
  // suggest), and how clear the evidence must be (suggest.h). Defaults: 10,
  // a form seen at least twice and in at least 3/4 of a term's matches.
  int suggestion_hits = 10;
  SuggestOptions suggestion;
  // How many matches relevance ranking looks at. BM25 and the tiers are
  // computed for every row it ranks (about 1-2 us a row), so a query matching
  // a fifth of a million documents would spend most of a second on it. When a query
  // matches more documents than this (or than offset + limit, if larger),
  // only the most recently indexed ones (the highest rowids: early
  // termination by a static order) are ranked, and the page holds the best
  // of those; `total` and the facets still cover every match (counted, or
  // estimated: SearchResult::total_estimated, facet_sample). A document
  // indexed long ago can then be missing from the hits of a broad query
  // although it would rank high among all matches: narrow the query (more
  // words, a phrase, a filter) to reach it. Queries matching at most this
  // many documents, date orders and filter-only queries are ranked as
  // before. 0: rank every match. Default: 2000 (a ranking pass of a few
  // milliseconds; docs/benchmarks.md).
  int rank_candidates = 2000;
  // Facets of a query matching more documents than this are counted over a
  // sample of between half of it and all of it, and scaled (counting reads
  // each counted document's entities: about 1 us each). The sample is the
  // matches whose id hashes to a multiple of a power of two: blind to the
  // order documents arrived in, and the same for the same matches. `total`
  // stays exact. 0: always count every match. Default: 10000 (an estimate's
  // error is a few percent for values held by 1% of the matches or more;
  // docs/search.md).
  int64_t facet_sample = 10000;
  // BM25 weighs a word by the number of documents holding it. A word held
  // by at least 64 of the documents with the newest `word_count_sample` ids
  // has that number estimated from them (scaled to all documents), so a
  // common word costs a bounded read instead of its whole posting list;
  // rarer words, and every word of an index with no more ids than this, are
  // counted exactly. 0: always count exactly. Default: 8192 (an estimate is
  // within about 12% for the sample, which moves a word's weight by about
  // 0.12 against weights of 1 to 10).
  int64_t word_count_sample = 8192;
  // false: `total` is always exact (SearchResult::total_estimated).
  // Default: true (counting the matches of a broad query is most of its
  // cost: 3 ms at 20,000 matches).
  bool estimate_totals = true;
  // offset + limit above this is InvalidArgument (deep paging costs the
  // ranking of every row before it). Default: 10000.
  int max_window = 10000;
  // Query parsing limits (max query bytes: default 1024; filters: 16). Its
  // tone_style is ignored: `tone_style` below is used.
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

  // Runs `query` (see query.h for the syntax). Returns total matches, the
  // page of hits (by relevance: exact-diacritic matches first, then bm25,
  // among the newest IndexOptions::rank_candidates matches when there are
  // more; or by date), the requested facets and the suggestion. Total, page and facets
  // come from one read transaction, so they agree. Or
  //   InvalidArgument: a query ParseQuery() rejects (the message names the
  //                    byte position of a malformed part), a bad FilterSpec
  //                    ("filters[i] (field): ..."), published_after not
  //                    before published_before, nothing positive to search
  //                    for, an unknown facet, facet_limit < 1, negative
  //                    limit/offset, or offset + limit above max_window;
  //   other converted SQLite errors.
  absl::StatusOr<SearchResult> Search(const SearchQuery& query);

  // Checks the database file: SQLite's integrity_check, FTS5's integrity-check
  // against the content table, and that no entity or filter key outlived its
  // document. Reads only (the FTS5 check takes the write lock, so it waits
  // up to busy_timeout for another process's batch). Runs in time linear in
  // the database size: meant for tests and operators, not for every request.
  // Returns the report (problems found are data, not errors), or a converted
  // SQLite error when a check could not run at all (e.g. Unavailable: locked).
  absl::StatusOr<IntegrityReport> CheckIntegrity();

 private:
  SearchIndex(const IndexOptions& options, sqlite3* db);

  absl::Status InitSchema() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status UpsertLocked(const std::vector<StoredDocument>& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status UpgradeFromVersion1() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status UpgradeFromVersion2() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status UpgradeFromVersion3() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<SearchResult> SearchLocked(const SearchQuery& query, const ParsedQuery& parsed,
                                            int limit, const std::vector<std::string>& facets)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The number of matches (with ids below `below`, if given).
  absl::StatusOr<int64_t> CountMatches(const ParsedQuery& parsed, std::optional<int64_t> below)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The page of a relevance-ordered text query (rowid, score), best first,
  // among the newest IndexOptions::rank_candidates matches; sets *total
  // and *total_estimated unless `counted` (the facets pass counted already).
  absl::Status RankPage(const SearchQuery& query, const ParsedQuery& parsed, int limit,
                        bool counted, int64_t* total, bool* total_estimated,
                        std::vector<std::pair<int64_t, double>>* page)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The page of a date-ordered or filters-only query (rowid, score).
  absl::Status DatePage(const SearchQuery& query, const ParsedQuery& parsed, int limit,
                        std::vector<std::pair<int64_t, double>>* page)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Turns the page into hits: snippets, metadata, entities, the suggestion.
  absl::Status FillHits(const SearchQuery& query, const ParsedQuery& parsed,
                        const std::vector<std::pair<int64_t, double>>& page,
                        SearchResult* result) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The matches with ids below `below`, counted or estimated (see
  // SearchResult::total_estimated); *estimated says which.
  absl::StatusOr<int64_t> CountOlderMatches(const ParsedQuery& parsed, int64_t below,
                                            bool* estimated) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Sets result->total and counts the requested facets (names checked by
  // Search) over every match, or over a sample of them (facet_sample).
  absl::Status CountMatchesAndFacets(const SearchQuery& query, const ParsedQuery& parsed,
                                     const std::vector<std::string>& facets,
                                     SearchResult* result) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Per phrase of the query (RankPlan::phrase_terms): how many documents
  // hold it, for vna_bm25 (rank_function.h). A phrase of several words is
  // counted as its rarest word (an upper bound, so at worst a slightly low
  // IDF); the per-term counts are kept across queries (see index.cc).
  absl::StatusOr<std::vector<int64_t>> PhraseDocuments(const RankPlan& plan)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const IndexOptions options_;
  absl::Mutex mu_;
  sqlite3* const db_ ABSL_PT_GUARDED_BY(mu_);  // owned; closed in the destructor
  // PhraseDocuments' kept counts: documents per index term, valid while
  // PRAGMA data_version is counted_data_version_ and this connection has
  // written fewer than 1% of counted_documents_ (the largest id then).
  absl::flat_hash_map<std::string, int64_t> term_documents_ ABSL_GUARDED_BY(mu_);
  int64_t counted_data_version_ ABSL_GUARDED_BY(mu_) = -1;
  int64_t counted_documents_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t writes_since_counted_ ABSL_GUARDED_BY(mu_) = 0;
  // The sample of IndexOptions::word_count_sample at that time: ids above
  // sample_after_ (0: the sample is every document, counts are exact) and
  // the factor from a count among them to one among all documents.
  int64_t sample_after_ ABSL_GUARDED_BY(mu_) = 0;
  double sample_scale_ ABSL_GUARDED_BY(mu_) = 1;
  // Tokens per document by id, for vna_bm25 (RankInputs::row_tokens):
  // 4 bytes per id up to counted_documents_, filled as rows are ranked,
  // cleared with the counts, an entry reset when Upsert reuses its id.
  std::vector<uint32_t> row_tokens_ ABSL_GUARDED_BY(mu_);
};

}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_CORE_INDEX_H_
