#include "services/search/core/index.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/base/status_macros.h"
#include "common/text/segment.h"
#include "common/text/utf8.h"
#include "services/search/core/entity_codec.h"
#include "services/search/core/filter.h"
#include "services/search/core/fts5_tokenizer.h"
#include "services/search/core/rank_function.h"
#include "services/search/core/snippet.h"
#include "services/search/core/sqlite_util.h"

namespace vnarchive {
namespace search {
namespace {

using internal::Exec;
using internal::SqliteStatus;
using internal::Statement;

constexpr char kSchemaSql[] = R"sql(
CREATE TABLE documents(
  id INTEGER PRIMARY KEY,
  doc_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  published_at INTEGER NOT NULL DEFAULT 0,
  dateline TEXT NOT NULL DEFAULT '',
  authors TEXT NOT NULL DEFAULT '[]',
  language TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL DEFAULT '',
  duplicate_of TEXT NOT NULL DEFAULT '',
  ingested_at_ms INTEGER NOT NULL DEFAULT 0,
  indexed_at_ms INTEGER NOT NULL DEFAULT 0);
CREATE INDEX documents_published_at ON documents(published_at);
CREATE TABLE entities(
  doc_id TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  type TEXT NOT NULL,
  canonical TEXT NOT NULL,
  surface TEXT NOT NULL,
  begin_byte INTEGER NOT NULL,
  end_byte INTEGER NOT NULL,
  attributes TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (doc_id, ordinal));
CREATE INDEX entities_type_canonical ON entities(type, canonical);
CREATE VIRTUAL TABLE docs_fts USING fts5(
  title, text, content='documents', content_rowid='id', tokenize='vietnamese');
CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
  INSERT INTO docs_fts(docs_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO docs_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
)sql";

// What version 2 adds to version 1: filter keys (filter.h) and the index that
// lets facets go from matching documents to their entity values. Run on a
// new database after kSchemaSql, and to upgrade a version-1 file.
constexpr char kVersion2Sql[] = R"sql(
CREATE INDEX entities_doc_type ON entities(doc_id, type, canonical);
CREATE TABLE filter_keys(
  field TEXT NOT NULL,
  key TEXT NOT NULL,
  doc INTEGER NOT NULL,
  PRIMARY KEY (field, key, doc)) WITHOUT ROWID;
CREATE INDEX filter_keys_doc ON filter_keys(doc);
DROP TRIGGER IF EXISTS documents_ad;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
  INSERT INTO docs_fts(docs_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
  DELETE FROM entities WHERE doc_id = old.doc_id;
  DELETE FROM filter_keys WHERE doc = old.id;
END;
)sql";

// What version 3 changes: Upsert writes the FTS entry itself instead of an
// AFTER INSERT trigger. A statement that fires a trigger runs in a statement
// transaction, and FTS5 flushes its pending terms to a new segment at every
// statement savepoint (once docs_fts has been written in the transaction):
// with the trigger, every document became a segment of its own and indexing
// ran at a fifth of the plain FTS5 rate (docs/benchmarks.md). Run on a new
// database after kVersion2Sql, and to upgrade version 1 and 2 files.
// It also drops the index on entities(type, canonical): nothing reads it
// since filters have filter_keys, and it was one more B-tree written at
// random places for every entity.
//
// And it adds documents_keys: the columns a search reads per matching
// document besides the text (doc_id for the entities, published_at, source),
// keyed by id. A documents row holds the whole text, about a page per row,
// so reaching doc_id through the table cost a page read per match (facets
// over 30,000 matches of 84k articles: 0.6 s, most of it pread); the index
// packs about a hundred documents per page. Searches name it with INDEXED BY
// (kDocKeys), because SQLite prefers the table for a rowid lookup.
constexpr char kVersion3Sql[] = R"sql(
DROP TRIGGER IF EXISTS documents_ai;
DROP INDEX IF EXISTS entities_type_canonical;
CREATE INDEX IF NOT EXISTS documents_keys ON documents(id, doc_id, published_at, source);
)sql";

// What version 4 changes: a document's entities are one row of
// doc_entities (entity_codec.h) instead of a row each in `entities`, keyed by
// documents.id. Indexing wrote every entity into two B-trees keyed by the
// text doc_id (random places: about a quarter of the write cost), and a
// facet read an index range per matching document; now indexing appends one
// row per document and a facet reads one small blob per match. Run on a new
// database after kVersion3Sql, and to upgrade version 1-3 files (whose
// entities rows are converted and then dropped, kDropEntitiesTableSql).
constexpr char kVersion4Sql[] = R"sql(
CREATE TABLE doc_entities(
  doc INTEGER PRIMARY KEY,
  count INTEGER NOT NULL,
  facet_values BLOB NOT NULL,
  entities BLOB NOT NULL);
DROP TRIGGER IF EXISTS documents_ad;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
  INSERT INTO docs_fts(docs_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
  DELETE FROM doc_entities WHERE doc = old.id;
  DELETE FROM filter_keys WHERE doc = old.id;
END;
)sql";
constexpr char kDropEntitiesTableSql[] = "DROP TABLE IF EXISTS entities";

// `documents AS d` read through documents_keys: for joins from a matching
// id to the document's doc_id, published_at or source.
constexpr char kDocKeys[] = "documents AS d INDEXED BY documents_keys";

// Markers snippet() puts around matches inside the index. The normaliser
// turns C0 controls into spaces, so they cannot come from a document's text;
// they are replaced by IndexOptions::snippet_open/close after the marked
// words have been read for the suggestion.
constexpr char kMarkOpen[] = "\x01";
constexpr char kMarkClose[] = "\x02";

// Mixes the bits of a document id (MurmurHash3's 64-bit finalizer), so the
// facet sample "hash is a multiple of 2^k" picks ids with no relation to
// their order: a stride over ids would alias with any periodic pattern of
// arrival (sources fed round-robin, say).
uint64_t SampleHash(int64_t id) {
  uint64_t h = static_cast<uint64_t>(id);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// The facets a search may ask for, and the entity type each counts.
struct FacetInfo {
  absl::string_view name;
  absl::string_view entity_type;  // "" for source and year
};
constexpr FacetInfo kFacets[] = {{"person", "PERSON"}, {"org", "ORG"}, {"loc", "LOC"},
                                 {"ref", "DOC_REF"},   {"source", ""},  {"year", ""}};

// Inserts the filter keys of one document (documents.id `doc`).
absl::Status InsertFilterKeys(internal::Statement& insert, int64_t doc,
                              const std::vector<FilterKey>& keys) {
  for (const FilterKey& k : keys) {
    VNA_RETURN_IF_ERROR(insert.BindText(1, FilterFieldName(k.field)));
    VNA_RETURN_IF_ERROR(insert.BindText(2, k.key));
    VNA_RETURN_IF_ERROR(insert.BindInt64(3, doc));
    VNA_RETURN_IF_ERROR(insert.Run());
    insert.Reset();
  }
  return absl::OkStatus();
}

std::vector<FilterKey> DocumentFilterKeys(const StoredDocument& doc) {
  std::vector<FilterKey> keys;
  if (std::string source = SourceKey(doc.source); !source.empty()) {
    keys.push_back({FilterField::kSource, std::move(source)});
  }
  for (const StoredEntity& e : doc.entities) {
    for (FilterKey& k : FilterKeysForEntity(e.type, e.canonical, e.attributes)) {
      keys.push_back(std::move(k));
    }
  }
  return keys;
}

constexpr char kInsertFilterKeySql[] =
    "INSERT OR IGNORE INTO filter_keys(field, key, doc) VALUES (?1, ?2, ?3)";

constexpr char kInsertDocEntitiesSql[] =
    "INSERT INTO doc_entities(doc, count, facet_values, entities) VALUES (?1, ?2, ?3, ?4)";

// Writes the entities of one document (documents.id `doc`); none: no row.
absl::Status InsertDocEntities(internal::Statement& insert, int64_t doc,
                               const std::vector<StoredEntity>& entities) {
  if (entities.empty()) return absl::OkStatus();
  VNA_RETURN_IF_ERROR(insert.BindInt64(1, doc));
  VNA_RETURN_IF_ERROR(insert.BindInt64(2, static_cast<int64_t>(entities.size())));
  VNA_RETURN_IF_ERROR(insert.BindBlob(3, EncodeFacetValues(entities)));
  VNA_RETURN_IF_ERROR(insert.BindBlob(4, EncodeEntities(entities)));
  VNA_RETURN_IF_ERROR(insert.Run());
  insert.Reset();
  return absl::OkStatus();
}

constexpr char kSelectEntitiesSql[] = "SELECT entities FROM doc_entities WHERE doc = ?1";

// The entities of documents.id `doc` through `select` (kSelectEntitiesSql,
// prepared once by the caller): none if it has no row, DataLoss if the
// stored blob is malformed.
absl::StatusOr<std::vector<StoredEntity>> LoadEntities(internal::Statement& select, int64_t doc) {
  VNA_RETURN_IF_ERROR(select.BindInt64(1, doc));
  absl::StatusOr<bool> found = select.Step();
  absl::StatusOr<std::vector<StoredEntity>> entities =
      !found.ok() ? absl::StatusOr<std::vector<StoredEntity>>(found.status())
      : *found    ? DecodeEntities(select.ColumnBlob(0))
                  : std::vector<StoredEntity>();
  select.Reset();
  return entities;
}

void AppendJsonString(absl::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
          out->append(buf);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

std::string AuthorsJson(const std::vector<std::string>& authors) {
  std::string out = "[";
  for (size_t i = 0; i < authors.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(authors[i], &out);
  }
  out.push_back(']');
  return out;
}

absl::Status CheckUtf8(const StoredDocument& doc, absl::string_view field,
                       absl::string_view value) {
  absl::Status status = text::ValidateUtf8(value);
  if (status.ok()) return status;
  return absl::InvalidArgumentError(absl::StrCat(
      "document '", doc.doc_id, "': field ", field, ": ", status.message()));
}

// Checks everything SQLite would not: run before the transaction starts so a
// bad document rejects the whole batch without writing anything.
absl::Status ValidateDocument(const StoredDocument& doc) {
  if (doc.doc_id.empty()) {
    return absl::InvalidArgumentError("document with an empty doc_id");
  }
  if (absl::Status s = text::ValidateUtf8(doc.doc_id); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("doc_id: ", s.message()));
  }
  const std::pair<absl::string_view, const std::string*> fields[] = {
      {"name", &doc.name},         {"source", &doc.source},
      {"url", &doc.url},           {"title", &doc.title},
      {"dateline", &doc.dateline}, {"language", &doc.language},
      {"text", &doc.text},         {"content_hash", &doc.content_hash},
      {"duplicate_of", &doc.duplicate_of}};
  for (const auto& [field, value] : fields) {
    VNA_RETURN_IF_ERROR(CheckUtf8(doc, field, *value));
  }
  for (const std::string& author : doc.authors) {
    VNA_RETURN_IF_ERROR(CheckUtf8(doc, "authors", author));
  }
  const int64_t text_size = static_cast<int64_t>(doc.text.size());
  for (size_t i = 0; i < doc.entities.size(); ++i) {
    const StoredEntity& e = doc.entities[i];
    if (e.begin < 0 || e.begin > e.end || e.end > text_size) {
      return absl::InvalidArgumentError(absl::StrCat(
          "document '", doc.doc_id, "': entity ", i, " span [", e.begin, ", ",
          e.end, ") is outside the text (", text_size, " bytes)"));
    }
    VNA_RETURN_IF_ERROR(CheckUtf8(doc, "entity type", e.type));
    VNA_RETURN_IF_ERROR(CheckUtf8(doc, "entity surface", e.surface));
    VNA_RETURN_IF_ERROR(CheckUtf8(doc, "entity canonical", e.canonical));
    for (const auto& [key, value] : e.attributes) {
      VNA_RETURN_IF_ERROR(CheckUtf8(doc, "entity attribute", key));
      VNA_RETURN_IF_ERROR(CheckUtf8(doc, "entity attribute", value));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateOptions(const IndexOptions& o) {
  if (o.path.empty()) return absl::InvalidArgumentError("IndexOptions.path is empty");
  if (o.busy_timeout < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("IndexOptions.busy_timeout is negative");
  }
  if (o.max_limit < 1 || o.max_window < 1) {
    return absl::InvalidArgumentError(
        "IndexOptions.max_limit and max_window must be positive");
  }
  if (o.cache_bytes < 0 || o.mmap_bytes < 0) {
    return absl::InvalidArgumentError("IndexOptions.cache_bytes and mmap_bytes must not be negative");
  }
  if (o.snippet_tokens < 1 || o.snippet_tokens > 64) {
    return absl::InvalidArgumentError("IndexOptions.snippet_tokens must be 1..64");
  }
  if (o.facet_sample < 0 || o.rank_candidates < 0 || o.word_count_sample < 0) {
    return absl::InvalidArgumentError(
        "IndexOptions.facet_sample, rank_candidates and word_count_sample must not be negative");
  }
  if (o.max_facet_values < 1 || o.max_hit_entities < 0 || o.suggestion_hits < 0) {
    return absl::InvalidArgumentError(
        "IndexOptions.max_facet_values must be positive, max_hit_entities and "
        "suggestion_hits not negative");
  }
  if (o.suggestion.min_count < 1 || !(o.suggestion.min_share > 0 && o.suggestion.min_share <= 1)) {
    return absl::InvalidArgumentError(
        "IndexOptions.suggestion: min_count must be positive, min_share in (0, 1]");
  }
  return absl::OkStatus();
}


// The parameters of one dynamically built statement, bound by number ("?N")
// so the SQL text may mention them in any order. Values only ever reach
// SQLite as bound parameters, never as SQL text.
class SqlParams {
 public:
  std::string Text(std::string value) {
    values_.emplace_back(std::move(value));
    return Ref();
  }
  std::string Int(int64_t value) {
    values_.emplace_back(value);
    return Ref();
  }
  std::string Real(double value) {
    values_.emplace_back(value);
    return Ref();
  }
  // A parameter Bind() leaves alone, for the caller to bind (a pointer).
  // Returns its reference; *index receives its number.
  std::string Slot(int* index) {
    values_.emplace_back(std::monostate());
    *index = static_cast<int>(values_.size());
    return Ref();
  }
  absl::Status Bind(internal::Statement& stmt) const {
    for (size_t i = 0; i < values_.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      const Value& v = values_[i];
      if (std::holds_alternative<std::monostate>(v)) continue;
      if (const auto* text = std::get_if<std::string>(&v)) {
        VNA_RETURN_IF_ERROR(stmt.BindText(index, *text));
      } else if (const auto* integer = std::get_if<int64_t>(&v)) {
        VNA_RETURN_IF_ERROR(stmt.BindInt64(index, *integer));
      } else {
        VNA_RETURN_IF_ERROR(stmt.BindDouble(index, std::get<double>(v)));
      }
    }
    return absl::OkStatus();
  }

 private:
  using Value = std::variant<std::monostate, std::string, int64_t, double>;
  std::string Ref() const { return absl::StrCat("?", values_.size()); }
  std::vector<Value> values_;
};

// An SQL condition that holds when `filter` does for the document whose id
// is the SQL expression `id`. Key lookups are ranges of filter_keys' primary
// key; a date reads `d` (documents) and is a range of the published_at index.
std::string FilterSql(const Filter& filter, absl::string_view id, SqlParams* params) {
  std::string condition;
  if (filter.field == FilterField::kDate) {
    condition = "(d.published_at <> 0";
    if (filter.from_unix) {
      absl::StrAppend(&condition, " AND d.published_at >= ", params->Int(*filter.from_unix));
    }
    if (filter.to_unix) {
      absl::StrAppend(&condition, " AND d.published_at < ", params->Int(*filter.to_unix));
    }
    condition += ")";
  } else {
    const std::string field = params->Text(std::string(FilterFieldName(filter.field)));
    std::vector<std::string> lookups;
    for (const std::string& key : filter.keys) {
      // A key and the keys that continue it with more words are exactly
      // [key, key + "!"): ' ' (0x20) is the smallest byte a key holds.
      lookups.push_back(
          filter.prefix
              ? absl::StrCat("SELECT doc FROM filter_keys WHERE field = ", field,
                             " AND key >= ", params->Text(key), " AND key < ",
                             params->Text(key + "!"))
              : absl::StrCat("SELECT doc FROM filter_keys WHERE field = ", field,
                             " AND key = ", params->Text(key)));
    }
    condition = absl::StrCat(id, " IN (", absl::StrJoin(lookups, " UNION ALL "), ")");
  }
  return filter.exclude ? absl::StrCat("NOT (", condition, ")") : condition;
}

// True if a filter of `parsed` reads `d` (documents): a date.
bool HasDateFilter(const ParsedQuery& parsed) {
  for (const std::vector<Filter>& group : parsed.filters) {
    for (const Filter& filter : group) {
      if (filter.field == FilterField::kDate) return true;
    }
  }
  return false;
}

// The SQL expression for the id of the document being matched: d.id when
// documents drive the query (no text); with text, the FTS5 rowid behind a
// unary + so that the filters are checked on each text match and never
// handed to FTS5 as rowid constraints (see MatchedSql).
std::string IdSql(const ParsedQuery& parsed) {
  return parsed.match.empty() ? "d.id" : "+f.rowid";
}

// The conditions every match must meet besides the text query: the filter
// groups and, for a query without positive terms, its exclusions.
std::vector<std::string> Conditions(const ParsedQuery& parsed, SqlParams* params) {
  std::vector<std::string> conditions;
  const std::string id = IdSql(parsed);
  for (const std::vector<Filter>& group : parsed.filters) {
    std::vector<std::string> any;
    for (const Filter& filter : group) any.push_back(FilterSql(filter, id, params));
    conditions.push_back(any.size() == 1 ? any[0]
                                         : absl::StrCat("(", absl::StrJoin(any, " OR "), ")"));
  }
  if (parsed.match.empty() && !parsed.excluded.empty()) {
    conditions.push_back(
        absl::StrCat("d.id NOT IN (SELECT rowid FROM docs_fts WHERE docs_fts MATCH ",
                     params->Text(parsed.excluded), ")"));
  }
  return conditions;
}

std::string AndConditions(const std::vector<std::string>& conditions) {
  std::string out;
  for (const std::string& c : conditions) absl::StrAppend(&out, " AND ", c);
  return out;
}

// A SELECT of the ids (column `id`) of every document `parsed` matches
// (through ParsedQuery::count_match: the same documents, fewer postings).
// With text, filters are checked on each text match (`+f.rowid IN (list)`:
// the list is built once, each check is a lookup) instead of being handed to
// FTS5 as rowid constraints (`f.rowid IN (...)`, which the unary + prevents),
// which makes FTS5 restart the query for every rowid: measured about 1 ms per
// document with three terms, slower than checking every match of a term in
// 20,000 documents. Only a date filter joins documents (through
// documents_keys, see kVersion3Sql); CROSS JOIN keeps FTS5 the outer loop.
// `below`: only ids below it (a rowid range FTS5 and the documents table
// take directly). `range`: if not null, only ids in [?range[0], ?range[1]),
// two parameters left for the caller to bind (SqlParams::Slot).
std::string MatchedSql(const ParsedQuery& parsed, SqlParams* params,
                       std::optional<int64_t> below = std::nullopt, int* range = nullptr) {
  const std::vector<std::string> conditions = Conditions(parsed, params);
  const absl::string_view id = parsed.match.empty() ? "d.id" : "f.rowid";
  std::string bounds = below ? absl::StrCat(" AND ", id, " < ", params->Int(*below)) : "";
  if (range != nullptr) {
    const std::string from = params->Slot(&range[0]);
    absl::StrAppend(&bounds, " AND ", id, " >= ", from, " AND ", id, " < ",
                    params->Slot(&range[1]));
  }
  if (parsed.match.empty()) {
    // CheckHasPositivePart() guarantees a positive filter: never all documents.
    return absl::StrCat("SELECT d.id AS id FROM documents AS d WHERE ",
                        absl::StrJoin(conditions, " AND "), bounds);
  }
  const std::string match = params->Text(parsed.count_match);
  return absl::StrCat(
      "SELECT f.rowid AS id FROM docs_fts AS f",
      HasDateFilter(parsed) ? absl::StrCat(" CROSS JOIN ", kDocKeys, " ON d.id = f.rowid") : "",
      " WHERE docs_fts MATCH ", match, bounds, AndConditions(conditions));
}

// A snippet for a query without text terms: the first `tokens` words of
// `head` (the opening `head_chars` characters of the text), on one line.
std::string LeadSnippet(absl::string_view head, size_t head_chars, int tokens,
                        absl::string_view ellipsis) {
  const std::vector<text::Token> words = text::TokenizeSyllables(head);
  if (words.empty()) return "";
  size_t end = head.size();
  bool cut = false;
  if (words.size() > static_cast<size_t>(tokens)) {
    end = words[static_cast<size_t>(tokens) - 1].end;
    cut = true;
  } else if (text::CountCodePoints(head) >= head_chars) {
    end = words.back().end;  // the text goes on; do not end inside a word
    cut = true;
  }
  std::string out(head.substr(0, end));
  absl::StrReplaceAll({{"\n\n", " "}, {"\n", " "}}, &out);
  if (cut) out += std::string(ellipsis);
  return out;
}

// Appends the texts between kMarkOpen and kMarkClose in `snippet` to *spans.
void CollectMarked(absl::string_view snippet, std::vector<std::string>* spans) {
  size_t pos = 0;
  while ((pos = snippet.find(kMarkOpen[0], pos)) != absl::string_view::npos) {
    const size_t close = snippet.find(kMarkClose[0], pos + 1);
    if (close == absl::string_view::npos) break;
    spans->emplace_back(snippet.substr(pos + 1, close - pos - 1));
    pos = close + 1;
  }
}
}  // namespace

SearchIndex::SearchIndex(const IndexOptions& options, sqlite3* db)
    : options_(options), db_(db) {}

SearchIndex::~SearchIndex() { sqlite3_close_v2(db_); }

absl::StatusOr<std::unique_ptr<SearchIndex>> SearchIndex::Open(
    const IndexOptions& options) {
  VNA_RETURN_IF_ERROR(ValidateOptions(options));
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(options.path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                               SQLITE_OPEN_NOMUTEX,  // we serialise on mu_
                           nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteStatus(db, rc, absl::StrCat("open '", options.path, "'"));
    sqlite3_close_v2(db);
    return status;
  }
  // From here the index owns `db` and closes it on every error path.
  std::unique_ptr<SearchIndex> index(new SearchIndex(options, db));
  absl::MutexLock lock(&index->mu_);
  sqlite3_busy_timeout(db, static_cast<int>(std::min<int64_t>(
                               absl::ToInt64Milliseconds(options.busy_timeout),
                               INT32_MAX)));
  VNA_RETURN_IF_ERROR(RegisterVietnameseTokenizer(db));
  VNA_RETURN_IF_ERROR(RegisterRankFunctions(db));
  VNA_RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode=WAL"));
  if (options.mmap_bytes > 0) {
    VNA_RETURN_IF_ERROR(Exec(db, absl::StrCat("PRAGMA mmap_size=", options.mmap_bytes)));
  }
  if (options.cache_bytes > 0) {
    VNA_RETURN_IF_ERROR(Exec(
        db, absl::StrCat("PRAGMA cache_size=-", std::max<int64_t>(1, options.cache_bytes >> 10))));
  }
  VNA_RETURN_IF_ERROR(Exec(db, options.durable_commits ? "PRAGMA synchronous=FULL"
                                                       : "PRAGMA synchronous=NORMAL"));
  VNA_RETURN_IF_ERROR(index->InitSchema());
  // Per-term document counts for vna_bm25 (PhraseDocuments); a temp table:
  // nothing is written to the file.
  VNA_RETURN_IF_ERROR(
      Exec(db, "CREATE VIRTUAL TABLE temp.docs_vocab USING fts5vocab(main, docs_fts, 'row')"));
  return index;
}

absl::Status SearchIndex::InitSchema() {
  VNA_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE"));
  absl::Status status = [&]() -> absl::Status {
    VNA_RETURN_IF_ERROR(Exec(db_,
                             "CREATE TABLE IF NOT EXISTS meta("
                             "key TEXT PRIMARY KEY, value TEXT NOT NULL)"));
    VNA_ASSIGN_OR_RETURN(
        Statement get,
        Statement::Prepare(db_, "SELECT value FROM meta WHERE key = 'schema_version'"));
    VNA_ASSIGN_OR_RETURN(bool found, get.Step());
    if (found) {
      std::string version = get.ColumnText(0);
      get.Reset();  // an active statement would lock the tables an upgrade drops
      if (version == "1") {
        VNA_RETURN_IF_ERROR(UpgradeFromVersion1());
        version = "2";
      }
      if (version == "2") {
        VNA_RETURN_IF_ERROR(UpgradeFromVersion2());
        version = "3";
      }
      if (version == "3") return UpgradeFromVersion3();
      if (version != std::to_string(kSchemaVersion)) {
        return absl::FailedPreconditionError(
            absl::StrCat("'", options_.path, "' has search schema version ", version,
                         "; this build reads version ", kSchemaVersion));
      }
      return absl::OkStatus();
    }
    VNA_RETURN_IF_ERROR(Exec(db_, kSchemaSql));
    VNA_RETURN_IF_ERROR(Exec(db_, kVersion2Sql));
    VNA_RETURN_IF_ERROR(Exec(db_, kVersion3Sql));
    VNA_RETURN_IF_ERROR(Exec(db_, kVersion4Sql));
    VNA_RETURN_IF_ERROR(Exec(db_, kDropEntitiesTableSql));
    return Exec(db_, absl::StrCat("INSERT INTO meta(key, value) VALUES "
                                  "('schema_version', '",
                                  kSchemaVersion, "')"));
  }();
  if (!status.ok()) {
    Exec(db_, "ROLLBACK").IgnoreError();
    return status;
  }
  return Exec(db_, "COMMIT");
}

absl::Status SearchIndex::UpgradeFromVersion1() {
  VNA_RETURN_IF_ERROR(Exec(db_, kVersion2Sql));
  VNA_ASSIGN_OR_RETURN(Statement insert, Statement::Prepare(db_, kInsertFilterKeySql));
  VNA_ASSIGN_OR_RETURN(Statement sources,
                       Statement::Prepare(db_, "SELECT id, source FROM documents"));
  while (true) {
    VNA_ASSIGN_OR_RETURN(bool row, sources.Step());
    if (!row) break;
    const std::string key = SourceKey(sources.ColumnText(1));
    if (key.empty()) continue;
    VNA_RETURN_IF_ERROR(
        InsertFilterKeys(insert, sources.ColumnInt64(0), {{FilterField::kSource, key}}));
  }
  // Version 1 stored every attribute; the keys need only kind and number.
  VNA_ASSIGN_OR_RETURN(
      Statement entities,
      Statement::Prepare(db_,
                         "SELECT d.id, e.type, e.canonical, "
                         "json_extract(e.attributes, '$.kind'), "
                         "json_extract(e.attributes, '$.number') "
                         "FROM entities AS e JOIN documents AS d ON d.doc_id = e.doc_id"));
  while (true) {
    VNA_ASSIGN_OR_RETURN(bool row, entities.Step());
    if (!row) break;
    const std::vector<std::pair<std::string, std::string>> attributes = {
        {"kind", entities.ColumnText(3)}, {"number", entities.ColumnText(4)}};
    VNA_RETURN_IF_ERROR(InsertFilterKeys(
        insert, entities.ColumnInt64(0),
        FilterKeysForEntity(entities.ColumnText(1), entities.ColumnText(2), attributes)));
  }
  return Exec(db_, "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
}

absl::Status SearchIndex::UpgradeFromVersion2() {
  VNA_RETURN_IF_ERROR(Exec(db_, kVersion3Sql));
  return Exec(db_, "UPDATE meta SET value = '3' WHERE key = 'schema_version'");
}

absl::Status SearchIndex::UpgradeFromVersion3() {
  VNA_RETURN_IF_ERROR(Exec(db_, kVersion4Sql));
  VNA_ASSIGN_OR_RETURN(Statement insert, Statement::Prepare(db_, kInsertDocEntitiesSql));
  // Version 3 kept attributes as a JSON object of strings.
  VNA_ASSIGN_OR_RETURN(Statement attributes,
                       Statement::Prepare(db_, "SELECT key, value FROM json_each(?1) ORDER BY id"));
  VNA_ASSIGN_OR_RETURN(
      Statement entities,
      Statement::Prepare(db_,
                         "SELECT d.id, e.type, e.canonical, e.surface, e.begin_byte, "
                         "e.end_byte, e.attributes FROM entities AS e "
                         "JOIN documents AS d ON d.doc_id = e.doc_id ORDER BY d.id, e.ordinal"));
  int64_t doc = -1;
  std::vector<StoredEntity> of_doc;
  while (true) {
    VNA_ASSIGN_OR_RETURN(bool row, entities.Step());
    if (!row || entities.ColumnInt64(0) != doc) {
      if (!of_doc.empty()) VNA_RETURN_IF_ERROR(InsertDocEntities(insert, doc, of_doc));
      of_doc.clear();
      if (!row) break;
      doc = entities.ColumnInt64(0);
    }
    StoredEntity& e = of_doc.emplace_back();
    e.type = entities.ColumnText(1);
    e.canonical = entities.ColumnText(2);
    e.surface = entities.ColumnText(3);
    e.begin = entities.ColumnInt64(4);
    e.end = entities.ColumnInt64(5);
    const std::string json = entities.ColumnText(6);
    if (json == "{}") continue;
    VNA_RETURN_IF_ERROR(attributes.BindText(1, json));
    while (true) {
      VNA_ASSIGN_OR_RETURN(bool pair, attributes.Step());
      if (!pair) break;
      e.attributes.emplace_back(attributes.ColumnText(0), attributes.ColumnText(1));
    }
    attributes.Reset();
  }
  VNA_RETURN_IF_ERROR(Exec(db_, kDropEntitiesTableSql));
  return Exec(db_, absl::StrCat("UPDATE meta SET value = '", kSchemaVersion,
                                "' WHERE key = 'schema_version'"));
}

absl::Status SearchIndex::Upsert(const std::vector<StoredDocument>& batch) {
  for (const StoredDocument& doc : batch) VNA_RETURN_IF_ERROR(ValidateDocument(doc));
  if (batch.empty()) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  writes_since_counted_ += static_cast<int64_t>(batch.size());
  VNA_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE"));
  absl::Status status = UpsertLocked(batch);
  if (!status.ok()) {
    Exec(db_, "ROLLBACK").IgnoreError();
    return status;
  }
  status = Exec(db_, "COMMIT");
  if (!status.ok()) Exec(db_, "ROLLBACK").IgnoreError();
  return status;
}

absl::Status SearchIndex::UpsertLocked(const std::vector<StoredDocument>& batch) {
  // Deleting first lets the triggers remove the old FTS entry and entities.
  // Only when there is something to delete: a statement that fires triggers
  // makes FTS5 flush its pending terms (see kVersion3Sql), so new documents
  // must not run it.
  VNA_ASSIGN_OR_RETURN(Statement exists,
                       Statement::Prepare(db_, "SELECT 1 FROM documents WHERE doc_id = ?1"));
  VNA_ASSIGN_OR_RETURN(Statement remove,
                       Statement::Prepare(db_, "DELETE FROM documents WHERE doc_id = ?1"));
  VNA_ASSIGN_OR_RETURN(
      Statement insert_fts,
      Statement::Prepare(db_, "INSERT INTO docs_fts(rowid, title, text) VALUES (?1, ?2, ?3)"));
  VNA_ASSIGN_OR_RETURN(
      Statement insert,
      Statement::Prepare(
          db_,
          "INSERT INTO documents(doc_id, name, source, url, title, published_at, "
          "dateline, authors, language, text, content_hash, duplicate_of, "
          "ingested_at_ms, indexed_at_ms) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"));
  VNA_ASSIGN_OR_RETURN(Statement insert_entities,
                       Statement::Prepare(db_, kInsertDocEntitiesSql));
  VNA_ASSIGN_OR_RETURN(Statement insert_key, Statement::Prepare(db_, kInsertFilterKeySql));
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  for (const StoredDocument& doc : batch) {
    VNA_RETURN_IF_ERROR(exists.BindText(1, doc.doc_id));
    VNA_ASSIGN_OR_RETURN(const bool existed, exists.Step());
    exists.Reset();
    if (existed) {
      VNA_RETURN_IF_ERROR(remove.BindText(1, doc.doc_id));
      VNA_RETURN_IF_ERROR(remove.Run());
      remove.Reset();
    }

    VNA_RETURN_IF_ERROR(insert.BindText(1, doc.doc_id));
    VNA_RETURN_IF_ERROR(insert.BindText(2, doc.name));
    VNA_RETURN_IF_ERROR(insert.BindText(3, doc.source));
    VNA_RETURN_IF_ERROR(insert.BindText(4, doc.url));
    VNA_RETURN_IF_ERROR(insert.BindText(5, doc.title));
    VNA_RETURN_IF_ERROR(insert.BindInt64(6, doc.published_at_unix));
    VNA_RETURN_IF_ERROR(insert.BindText(7, doc.dateline));
    VNA_RETURN_IF_ERROR(insert.BindText(8, AuthorsJson(doc.authors)));
    VNA_RETURN_IF_ERROR(insert.BindText(9, doc.language));
    VNA_RETURN_IF_ERROR(insert.BindText(10, doc.text));
    VNA_RETURN_IF_ERROR(insert.BindText(11, doc.content_hash));
    VNA_RETURN_IF_ERROR(insert.BindText(12, doc.duplicate_of));
    VNA_RETURN_IF_ERROR(insert.BindInt64(13, doc.ingested_at_unix_ms));
    VNA_RETURN_IF_ERROR(insert.BindInt64(14, now_ms));
    VNA_RETURN_IF_ERROR(insert.Run());
    insert.Reset();
    const int64_t rowid = sqlite3_last_insert_rowid(db_);
    // An id freed by a delete can come back with this document.
    if (static_cast<uint64_t>(rowid) < row_tokens_.size()) row_tokens_[rowid] = 0;
    VNA_RETURN_IF_ERROR(insert_fts.BindInt64(1, rowid));
    VNA_RETURN_IF_ERROR(insert_fts.BindText(2, doc.title));
    VNA_RETURN_IF_ERROR(insert_fts.BindText(3, doc.text));
    VNA_RETURN_IF_ERROR(insert_fts.Run());
    insert_fts.Reset();
    VNA_RETURN_IF_ERROR(InsertFilterKeys(insert_key, rowid, DocumentFilterKeys(doc)));
    VNA_RETURN_IF_ERROR(InsertDocEntities(insert_entities, rowid, doc.entities));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<StoredDocument>> SearchIndex::Get(
    absl::string_view doc_id) {
  absl::MutexLock lock(&mu_);
  VNA_ASSIGN_OR_RETURN(
      Statement select,
      Statement::Prepare(db_,
                         "SELECT doc_id, name, source, url, title, published_at, "
                         "dateline, authors, language, text, content_hash, "
                         "duplicate_of, ingested_at_ms, id FROM documents WHERE doc_id = ?1"));
  VNA_RETURN_IF_ERROR(select.BindText(1, doc_id));
  VNA_ASSIGN_OR_RETURN(bool found, select.Step());
  if (!found) return std::optional<StoredDocument>();
  StoredDocument doc;
  doc.doc_id = select.ColumnText(0);
  doc.name = select.ColumnText(1);
  doc.source = select.ColumnText(2);
  doc.url = select.ColumnText(3);
  doc.title = select.ColumnText(4);
  doc.published_at_unix = select.ColumnInt64(5);
  doc.dateline = select.ColumnText(6);
  const std::string authors_json = select.ColumnText(7);
  doc.language = select.ColumnText(8);
  doc.text = select.ColumnText(9);
  doc.content_hash = select.ColumnText(10);
  doc.duplicate_of = select.ColumnText(11);
  doc.ingested_at_unix_ms = select.ColumnInt64(12);
  const int64_t id = select.ColumnInt64(13);

  VNA_ASSIGN_OR_RETURN(
      Statement authors,
      Statement::Prepare(db_, "SELECT value FROM json_each(?1) ORDER BY id"));
  VNA_RETURN_IF_ERROR(authors.BindText(1, authors_json));
  while (true) {
    VNA_ASSIGN_OR_RETURN(bool row, authors.Step());
    if (!row) break;
    doc.authors.push_back(authors.ColumnText(0));
  }
  VNA_ASSIGN_OR_RETURN(Statement select_entities, Statement::Prepare(db_, kSelectEntitiesSql));
  absl::StatusOr<std::vector<StoredEntity>> entities = LoadEntities(select_entities, id);
  if (!entities.ok()) {
    return absl::Status(entities.status().code(),
                        absl::StrCat("document '", doc.doc_id, "': ", entities.status().message()));
  }
  doc.entities = *std::move(entities);
  return std::optional<StoredDocument>(std::move(doc));
}

absl::StatusOr<bool> SearchIndex::Delete(absl::string_view doc_id) {
  absl::MutexLock lock(&mu_);
  VNA_ASSIGN_OR_RETURN(Statement remove,
                       Statement::Prepare(db_, "DELETE FROM documents WHERE doc_id = ?1"));
  VNA_RETURN_IF_ERROR(remove.BindText(1, doc_id));
  VNA_RETURN_IF_ERROR(remove.Run());  // one statement: atomic with its triggers
  ++writes_since_counted_;
  return sqlite3_changes(db_) > 0;
}

absl::StatusOr<IndexStats> SearchIndex::Stats() {
  absl::MutexLock lock(&mu_);
  VNA_ASSIGN_OR_RETURN(
      Statement stats,
      Statement::Prepare(db_,
                         "SELECT (SELECT count(*) FROM documents), "
                         "(SELECT coalesce(sum(count), 0) FROM doc_entities), "
                         "(SELECT page_count * page_size FROM pragma_page_count(), "
                         "pragma_page_size())"));
  VNA_ASSIGN_OR_RETURN(bool row, stats.Step());
  if (!row) return absl::InternalError("Stats: no row");
  IndexStats out;
  out.documents = stats.ColumnInt64(0);
  out.entities = stats.ColumnInt64(1);
  out.db_bytes = stats.ColumnInt64(2);
  return out;
}

absl::StatusOr<SearchResult> SearchIndex::Search(const SearchQuery& query) {
  if (query.limit < 0 || query.offset < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "limit (", query.limit, ") and offset (", query.offset,
        ") must not be negative"));
  }
  const int limit = std::min(query.limit, options_.max_limit);
  if (static_cast<int64_t>(query.offset) + limit > options_.max_window) {
    return absl::InvalidArgumentError(
        absl::StrCat("offset + limit is ", static_cast<int64_t>(query.offset) + limit,
                     "; the result window is limited to ", options_.max_window));
  }
  if (query.facet_limit < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("facet_limit is ", query.facet_limit, "; it must be positive"));
  }
  std::vector<std::string> facets;
  for (const std::string& requested : query.facets) {
    const std::string name = absl::AsciiStrToLower(requested);
    const bool known = std::any_of(std::begin(kFacets), std::end(kFacets),
                                   [&](const FacetInfo& f) { return f.name == name; });
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown facet '", requested,
                       "'; facets are person, org, loc, ref, source and year"));
    }
    if (std::find(facets.begin(), facets.end(), name) == facets.end()) facets.push_back(name);
  }

  QueryOptions query_options = options_.query;
  query_options.tone_style = options_.tone_style;
  ParsedQuery parsed;
  const bool structured = !query.filters.empty() || query.published_after.has_value() ||
                          query.published_before.has_value();
  // Structured filters alone may select the documents: then no text is needed.
  if (!structured || !absl::StripAsciiWhitespace(query.query).empty()) {
    VNA_ASSIGN_OR_RETURN(parsed, internal::ParseQueryParts(query.query, query_options));
  }
  for (size_t i = 0; i < query.filters.size(); ++i) {
    const FilterSpec& spec = query.filters[i];
    const std::optional<FilterField> field = FilterFieldFromName(spec.field);
    if (!field) {
      return absl::InvalidArgumentError(
          absl::StrCat("filters[", i, "]: unknown field '", spec.field,
                       "'; fields are person, org, loc, ref, source and date"));
    }
    absl::Status value_ok = text::ValidateUtf8(spec.value);
    if (value_ok.ok() && spec.value.size() > query_options.max_query_bytes) {
      value_ok = absl::InvalidArgumentError(
          absl::StrCat("value is ", spec.value.size(), " bytes; the limit is ",
                       query_options.max_query_bytes));
    }
    absl::StatusOr<Filter> filter =
        value_ok.ok() ? ParseFilter(*field, normalize::CanonicalizeSyllable(
                                                spec.value, options_.tone_style),
                                    spec.exclude)
                      : absl::StatusOr<Filter>(value_ok);
    if (!filter.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("filters[", i, "] (",
                                                     FilterFieldName(*field), "): ",
                                                     filter.status().message()));
    }
    parsed.filters.push_back({*std::move(filter)});
  }
  if (query.published_after || query.published_before) {
    if (query.published_after && query.published_before &&
        *query.published_after >= *query.published_before) {
      return absl::InvalidArgumentError(
          absl::StrCat("published_after (", *query.published_after,
                       ") must be before published_before (", *query.published_before, ")"));
    }
    Filter dates;
    dates.field = FilterField::kDate;
    dates.from_unix = query.published_after;
    dates.to_unix = query.published_before;
    parsed.filters.push_back({std::move(dates)});
  }
  size_t filter_count = 0;
  for (const std::vector<Filter>& group : parsed.filters) filter_count += group.size();
  if (filter_count > query_options.max_filters) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the search has ", filter_count, " filters; the limit is ", query_options.max_filters));
  }
  VNA_RETURN_IF_ERROR(CheckHasPositivePart(parsed));

  absl::MutexLock lock(&mu_);
  // One read transaction: the total, the page and the facets see the same
  // documents even while another process writes to the file.
  VNA_RETURN_IF_ERROR(Exec(db_, "BEGIN"));
  absl::StatusOr<SearchResult> result = SearchLocked(query, parsed, limit, facets);
  absl::Status end = Exec(db_, result.ok() ? "COMMIT" : "ROLLBACK");
  if (!result.ok()) return result.status();
  if (!end.ok()) return end;
  return result;
}

absl::StatusOr<SearchResult> SearchIndex::SearchLocked(const SearchQuery& query,
                                                       const ParsedQuery& parsed, int limit,
                                                       const std::vector<std::string>& facets) {
  SearchResult result;
  bool counted = false;
  if (!facets.empty()) {
    VNA_RETURN_IF_ERROR(CountMatchesAndFacets(query, parsed, facets, &result));
    counted = true;
  }
  std::vector<std::pair<int64_t, double>> page;  // rowid, score
  if (!parsed.match.empty() && query.sort == SortOrder::kRelevance && limit > 0) {
    VNA_RETURN_IF_ERROR(RankPage(query, parsed, limit, counted, &result.total,
                                 &result.total_estimated, &page));
  } else {
    if (!counted) {
      VNA_ASSIGN_OR_RETURN(result.total, CountMatches(parsed, std::nullopt));
    }
    if (limit > 0 && query.offset < result.total) {
      VNA_RETURN_IF_ERROR(DatePage(query, parsed, limit, &page));
    }
  }
  VNA_RETURN_IF_ERROR(FillHits(query, parsed, page, &result));
  return result;
}

absl::StatusOr<int64_t> SearchIndex::CountMatches(const ParsedQuery& parsed,
                                                  std::optional<int64_t> below) {
  SqlParams params;
  const std::string matched = MatchedSql(parsed, &params, below);
  VNA_ASSIGN_OR_RETURN(Statement count,
                       Statement::Prepare(db_, absl::StrCat("SELECT count(*) FROM (", matched, ")")));
  VNA_RETURN_IF_ERROR(params.Bind(count));
  VNA_ASSIGN_OR_RETURN(bool row, count.Step());
  return row ? count.ColumnInt64(0) : 0;
}

absl::StatusOr<int64_t> SearchIndex::CountOlderMatches(const ParsedQuery& parsed,
                                                       int64_t below, bool* estimated) {
  // Counting costs about 0.15 us per match (FTS5 merging the words'
  // postings): most of a broad query's time. Sixteen strata of the ids
  // below `below`, a sixteenth of each counted from its middle: FTS5 seeks
  // to each range in the postings, so about a sixteenth is read. Strata
  // follow the archive's order, so a word common only in some years is
  // sampled in proportion; more and thinner strata follow clusters better
  // but restart the FTS5 query more often (8 strata: median error 6%, p90
  // 15% on the VNTC articles; 16: 3.4% and 9.3%, for about 0.1 ms more).
  constexpr int64_t kStrata = 16;
  constexpr int64_t kPart = 16;
  constexpr int64_t kMinSampled = 200;
  *estimated = false;
  VNA_ASSIGN_OR_RETURN(Statement first,
                       Statement::Prepare(db_, "SELECT coalesce(min(id), 0) FROM documents"));
  VNA_ASSIGN_OR_RETURN(bool has_first, first.Step());
  const int64_t lowest = has_first ? first.ColumnInt64(0) : 0;
  const int64_t span = below - lowest;
  if (span < kStrata * kPart * 8) return CountMatches(parsed, below);

  SqlParams params;
  int range[2] = {0, 0};
  const std::string matched = MatchedSql(parsed, &params, std::nullopt, range);
  VNA_ASSIGN_OR_RETURN(
      Statement count,
      Statement::Prepare(db_, absl::StrCat("SELECT count(*) FROM (", matched, ")")));
  int64_t sampled = 0, sampled_ids = 0;
  for (int64_t stratum = 0; stratum < kStrata; ++stratum) {
    VNA_RETURN_IF_ERROR(params.Bind(count));  // Reset() cleared them
    const int64_t from = lowest + span * stratum / kStrata;
    const int64_t to = lowest + span * (stratum + 1) / kStrata;
    const int64_t width = (to - from) / kPart;
    const int64_t start = from + (to - from - width) / 2;
    VNA_RETURN_IF_ERROR(count.BindInt64(range[0], start));
    VNA_RETURN_IF_ERROR(count.BindInt64(range[1], start + width));
    VNA_ASSIGN_OR_RETURN(bool row, count.Step());
    sampled += row ? count.ColumnInt64(0) : 0;
    sampled_ids += width;
    count.Reset();
  }
  // Few matches down there: counting them all is cheap, and exact.
  if (sampled < kMinSampled) return CountMatches(parsed, below);
  *estimated = true;
  return std::llround(static_cast<double>(sampled) * static_cast<double>(span) /
                      static_cast<double>(sampled_ids));
}

absl::Status SearchIndex::RankPage(const SearchQuery& query, const ParsedQuery& parsed,
                                   int limit, bool counted, int64_t* total,
                                   bool* total_estimated,
                                   std::vector<std::pair<int64_t, double>>* page) {
  // One pass over the matches, newest (highest rowid) first, computing per
  // row bm25 and the tier (rank_function.h: as typed, words adjacent) and
  // keeping the best offset + limit rows. Ranking is bounded: only the
  // `window` newest matches are ranked (early termination by a static
  // order), so its cost no longer grows with the archive; the matches past
  // the window are only counted, which FTS5 does without ranking anything.
  // A query with no more matches than the window is thus counted and ranked
  // by one evaluation of its MATCH.
  const int64_t wanted = static_cast<int64_t>(query.offset) + limit;
  const int64_t window = options_.rank_candidates > 0
                             ? std::max<int64_t>(options_.rank_candidates, wanted)
                             : std::numeric_limits<int64_t>::max();
  SqlParams params;
  const std::vector<std::string> conditions = Conditions(parsed, &params);
  int plan_index = 0;
  const std::string plan = params.Slot(&plan_index);
  int inputs_index = 0;
  const std::string inputs_slot = params.Slot(&inputs_index);
  RankInputs inputs{{}, options_.title_weight, options_.text_weight};
  VNA_ASSIGN_OR_RETURN(inputs.phrase_documents, PhraseDocuments(parsed.rank_plan));
  inputs.row_tokens = &row_tokens_;
  const std::string sql = absl::StrCat(
      "SELECT f.rowid, ", kBm25FunctionName, "(docs_fts, ", inputs_slot, "), ",
      kRankTierFunctionName, "(docs_fts, ", plan, ") FROM docs_fts AS f",
      HasDateFilter(parsed) ? absl::StrCat(" CROSS JOIN ", kDocKeys, " ON d.id = f.rowid") : "",
      " WHERE docs_fts MATCH ", params.Text(parsed.match), AndConditions(conditions),
      " ORDER BY f.rowid DESC");
  VNA_ASSIGN_OR_RETURN(Statement rank, Statement::Prepare(db_, sql));
  VNA_RETURN_IF_ERROR(params.Bind(rank));
  VNA_RETURN_IF_ERROR(BindRankPlan(rank, plan_index, &parsed.rank_plan));
  VNA_RETURN_IF_ERROR(BindRankInputs(rank, inputs_index, &inputs));

  struct Candidate {
    int64_t rowid;
    double relevance;
    int tier;
  };
  // Best first: higher tier, then higher relevance, then the older row.
  auto better = [](const Candidate& a, const Candidate& b) {
    if (a.tier != b.tier) return a.tier > b.tier;
    if (a.relevance != b.relevance) return a.relevance > b.relevance;
    return a.rowid < b.rowid;
  };
  std::vector<Candidate> best;  // a heap whose front is the worst kept
  best.reserve(static_cast<size_t>(std::min<int64_t>(wanted, 4096)) + 1);
  int64_t ranked = 0;
  int64_t oldest_ranked = 0;
  bool more = false;
  while (true) {
    VNA_ASSIGN_OR_RETURN(bool row, rank.Step());
    if (!row) break;
    if (ranked == window) {
      more = true;
      break;
    }
    ++ranked;
    const Candidate c{rank.ColumnInt64(0), rank.ColumnDouble(1),
                      static_cast<int>(rank.ColumnInt64(2))};
    oldest_ranked = c.rowid;
    if (static_cast<int64_t>(best.size()) < wanted) {
      best.push_back(c);
      std::push_heap(best.begin(), best.end(), better);
    } else if (better(c, best.front())) {
      std::pop_heap(best.begin(), best.end(), better);
      best.back() = c;
      std::push_heap(best.begin(), best.end(), better);
    }
  }
  rank.Reset();
  if (!counted) {
    *total = ranked;
    // A filter is evaluated again for each range (its set of documents
    // rebuilt each time): filtered queries are counted.
    if (more && (query.exact_total || !options_.estimate_totals || !parsed.filters.empty())) {
      VNA_ASSIGN_OR_RETURN(const int64_t rest, CountMatches(parsed, oldest_ranked));
      *total += rest;
    } else if (more) {
      VNA_ASSIGN_OR_RETURN(const int64_t rest,
                           CountOlderMatches(parsed, oldest_ranked, total_estimated));
      *total += rest;
    }
  }
  std::sort(best.begin(), best.end(), better);
  for (size_t i = static_cast<size_t>(query.offset); i < best.size(); ++i) {
    double score = best[i].relevance;
    if ((best[i].tier & 2) != 0) score += options_.exact_match_bonus;
    if ((best[i].tier & 1) != 0) score += options_.adjacent_match_bonus;
    page->emplace_back(best[i].rowid, score);
  }
  return absl::OkStatus();
}

absl::Status SearchIndex::DatePage(const SearchQuery& query, const ParsedQuery& parsed,
                                   int limit, std::vector<std::pair<int64_t, double>>* page) {
  const char* const direction = query.sort == SortOrder::kOldestFirst ? "ASC" : "DESC";
  SqlParams params;
  const std::vector<std::string> conditions = Conditions(parsed, &params);
  std::string sql;
  RankInputs inputs{{}, options_.title_weight, options_.text_weight};
  int inputs_index = 0;
  if (!parsed.match.empty()) {
    // The relevance score is still shown to the caller; undated documents go last.
    VNA_ASSIGN_OR_RETURN(inputs.phrase_documents, PhraseDocuments(parsed.rank_plan));
    inputs.row_tokens = &row_tokens_;
    const std::string inputs_slot = params.Slot(&inputs_index);
    sql = absl::StrCat("SELECT f.rowid, ", kBm25FunctionName, "(docs_fts, ", inputs_slot,
                       ") FROM docs_fts AS f CROSS JOIN ",
                       kDocKeys, " ON d.id = f.rowid WHERE docs_fts MATCH ",
                       params.Text(parsed.match), AndConditions(conditions),
                       " ORDER BY (d.published_at = 0), d.published_at ", direction, ", f.rowid");
  } else {
    // Without text there is no relevance: newest first, unless asked otherwise.
    sql = absl::StrCat("SELECT d.id, 0.0 FROM documents AS d WHERE ",
                       absl::StrJoin(conditions, " AND "),
                       " ORDER BY (d.published_at = 0), d.published_at ", direction, ", d.id");
  }
  absl::StrAppend(&sql, " LIMIT ", params.Int(limit), " OFFSET ", params.Int(query.offset));
  VNA_ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, sql));
  VNA_RETURN_IF_ERROR(params.Bind(select));
  if (inputs_index != 0) VNA_RETURN_IF_ERROR(BindRankInputs(select, inputs_index, &inputs));
  while (true) {
    VNA_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    page->emplace_back(select.ColumnInt64(0), select.ColumnDouble(1));
  }
  return absl::OkStatus();
}

absl::Status SearchIndex::FillHits(const SearchQuery& query, const ParsedQuery& parsed,
                                   const std::vector<std::pair<int64_t, double>>& page,
                                   SearchResult* result) {
  const bool has_text = !parsed.match.empty();
  // Snippets are made here from each hit's text (snippet.h), not by FTS5's
  // snippet(), which needs a MATCH query positioned on each row.
  const bool snippet_of_match = has_text && query.snippets;
  const int head_chars = query.snippets ? options_.snippet_tokens * 24 : 0;
  const SnippetOptions snippet_options{options_.snippet_tokens, kMarkOpen, kMarkClose,
                                       options_.snippet_ellipsis};
  // ?2: the characters of text to read; -1 for all of it.
  VNA_ASSIGN_OR_RETURN(
      Statement fetch,
      Statement::Prepare(db_,
                         "SELECT doc_id, name, title, source, published_at, "
                         "iif(?2 < 0, text, substr(text, 1, ?2)) FROM documents WHERE id = ?1"));
  VNA_ASSIGN_OR_RETURN(Statement select_entities, Statement::Prepare(db_, kSelectEntitiesSql));
  std::vector<std::string> marked;
  for (size_t i = 0; i < page.size(); ++i) {
    const auto& [rowid, score] = page[i];
    VNA_RETURN_IF_ERROR(fetch.BindInt64(1, rowid));
    VNA_RETURN_IF_ERROR(fetch.BindInt64(2, snippet_of_match ? -1 : head_chars));
    VNA_ASSIGN_OR_RETURN(bool row, fetch.Step());
    if (!row) {  // cannot happen inside the read transaction; skip rather than fail
      fetch.Reset();
      continue;
    }
    Hit hit;
    hit.doc_id = fetch.ColumnText(0);
    hit.name = fetch.ColumnText(1);
    hit.title = fetch.ColumnText(2);
    hit.source = fetch.ColumnText(3);
    hit.published_at_unix = fetch.ColumnInt64(4);
    hit.score = score;
    if (snippet_of_match) {
      std::string snippet =
          MakeSnippet(fetch.ColumnText(5), parsed.rank_plan.phrase_terms, snippet_options);
      if (static_cast<int>(i) < options_.suggestion_hits) CollectMarked(snippet, &marked);
      // A snippet may cross paragraph breaks; one line reads better in a list.
      absl::StrReplaceAll({{kMarkOpen, options_.snippet_open},
                           {kMarkClose, options_.snippet_close},
                           {"\n\n", " "},
                           {"\n", " "}},
                          &snippet);
      hit.snippet = std::move(snippet);
    } else if (query.snippets) {
      hit.snippet = LeadSnippet(fetch.ColumnText(5), static_cast<size_t>(head_chars),
                                options_.snippet_tokens, options_.snippet_ellipsis);
    }
    fetch.Reset();

    if (options_.max_hit_entities > 0) {
      VNA_ASSIGN_OR_RETURN(std::vector<StoredEntity> all, LoadEntities(select_entities, rowid));
      // Each (type, canonical) once, as first written; attributes are Get's.
      absl::flat_hash_set<std::pair<std::string, std::string>> seen;
      for (StoredEntity& e : all) {
        if (static_cast<int>(hit.entities.size()) >= options_.max_hit_entities) break;
        if (!seen.emplace(e.type, e.canonical).second) continue;
        e.attributes.clear();
        hit.entities.push_back(std::move(e));
      }
    }
    result->hits.push_back(std::move(hit));
  }
  if (!parsed.plain_terms.empty() && !marked.empty()) {
    result->suggestion =
        SuggestDiacritics(query.query, parsed.plain_terms, marked, options_.suggestion);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<int64_t>> SearchIndex::PhraseDocuments(const RankPlan& plan) {
  // Counts are kept across queries: fts5vocab counts a term by reading all
  // its postings, as long as bm25()'s own count. They are dropped when
  // another connection (process) has committed since (PRAGMA data_version),
  // once this connection has written 1% as many documents as there were
  // when they were first read, and when too many terms are kept.
  // A common term is estimated from the documents with the newest ids
  // (IndexOptions::word_count_sample): FTS5 seeks to the first of them in
  // the term's postings, so the read is bounded whatever the archive's size.
  constexpr size_t kMaxTerms = 200000;
  constexpr int64_t kMinSampled = 64;
  VNA_ASSIGN_OR_RETURN(Statement version, Statement::Prepare(db_, "PRAGMA data_version"));
  VNA_ASSIGN_OR_RETURN(bool has_version, version.Step());
  const int64_t data_version = has_version ? version.ColumnInt64(0) : -1;
  if (data_version != counted_data_version_ ||
      writes_since_counted_ * 100 > counted_documents_ ||
      term_documents_.size() > kMaxTerms) {
    term_documents_.clear();
    VNA_ASSIGN_OR_RETURN(Statement size,
                         Statement::Prepare(db_, "SELECT coalesce(max(id), 0) FROM documents"));
    VNA_ASSIGN_OR_RETURN(bool row, size.Step());
    counted_documents_ = row ? size.ColumnInt64(0) : 0;
    counted_data_version_ = data_version;
    writes_since_counted_ = 0;
    row_tokens_.assign(static_cast<size_t>(counted_documents_) + 1, 0);
    sample_after_ = 0;
    sample_scale_ = 1;
    if (options_.word_count_sample > 0 && counted_documents_ > options_.word_count_sample) {
      // Ids have gaps where documents were deleted: scale by documents, not ids.
      VNA_ASSIGN_OR_RETURN(
          Statement live,
          Statement::Prepare(db_, absl::StrCat("SELECT count(*), (SELECT count(*) FROM ", kDocKeys,
                                               " WHERE d.id > ?1) FROM documents")));
      const int64_t after = counted_documents_ - options_.word_count_sample;
      VNA_RETURN_IF_ERROR(live.BindInt64(1, after));
      VNA_ASSIGN_OR_RETURN(bool counted, live.Step());
      const int64_t all = counted ? live.ColumnInt64(0) : 0;
      const int64_t in_sample = counted ? live.ColumnInt64(1) : 0;
      if (in_sample > 0 && in_sample < all) {
        sample_after_ = after;
        sample_scale_ = static_cast<double>(all) / static_cast<double>(in_sample);
      }
    }
  }
  std::optional<Statement> count, sampled;
  auto count_term = [&](const std::string& term) -> absl::StatusOr<int64_t> {
    if (sample_after_ > 0) {
      if (!sampled.has_value()) {
        VNA_ASSIGN_OR_RETURN(sampled, Statement::Prepare(db_,
                                                         "SELECT count(*) FROM docs_fts WHERE "
                                                         "docs_fts MATCH ?1 AND rowid > ?2"));
      }
      VNA_RETURN_IF_ERROR(sampled->BindText(1, QuoteFts5(term)));
      VNA_RETURN_IF_ERROR(sampled->BindInt64(2, sample_after_));
      VNA_ASSIGN_OR_RETURN(bool row, sampled->Step());
      const int64_t in_sample = row ? sampled->ColumnInt64(0) : 0;
      sampled->Reset();
      if (in_sample >= kMinSampled) {
        return std::llround(static_cast<double>(in_sample) * sample_scale_);
      }
    }
    if (!count.has_value()) {
      VNA_ASSIGN_OR_RETURN(
          count, Statement::Prepare(db_, "SELECT doc FROM temp.docs_vocab WHERE term = ?1"));
    }
    VNA_RETURN_IF_ERROR(count->BindText(1, term));
    VNA_ASSIGN_OR_RETURN(bool row, count->Step());
    const int64_t documents = row ? count->ColumnInt64(0) : 0;
    count->Reset();
    return documents;
  };
  std::vector<int64_t> documents;
  documents.reserve(plan.phrase_terms.size());
  for (const std::vector<std::string>& terms : plan.phrase_terms) {
    int64_t rarest = terms.empty() ? 0 : std::numeric_limits<int64_t>::max();
    for (const std::string& term : terms) {
      auto it = term_documents_.find(term);
      if (it == term_documents_.end()) {
        VNA_ASSIGN_OR_RETURN(const int64_t counted, count_term(term));
        it = term_documents_.emplace(term, counted).first;
      }
      rarest = std::min(rarest, it->second);
    }
    documents.push_back(rarest);
  }
  return documents;
}

absl::Status SearchIndex::CountMatchesAndFacets(const SearchQuery& query,
                                                const ParsedQuery& parsed,
                                                const std::vector<std::string>& facets,
                                                SearchResult* result) {
  // Two steps. First every match is counted (the exact total) while the ids
  // of a sample are kept: those whose SampleHash is a multiple of 2^k, k
  // growing whenever more than facet_sample are kept. Then, per kept id,
  // only what the requested facets need is read: source and date from
  // documents_keys, the entity values from the small facet_values blob
  // (entity_codec.h). Counting happens here rather than in SQL: a GROUP BY
  // per facet would walk the matches once per facet.
  struct Counter {
    const FacetInfo* info;
    absl::flat_hash_map<std::string, int64_t> counts;
    absl::flat_hash_map<int, int64_t> years;  // the year facet, turned into text once
  };
  std::vector<Counter> counters;
  bool read_keys = false;
  bool read_entities = false;
  for (const std::string& name : facets) {
    const FacetInfo* info = nullptr;
    for (const FacetInfo& f : kFacets) {
      if (f.name == name) info = &f;
    }
    if (info == nullptr) return absl::InternalError(absl::StrCat("facet '", name, "'"));
    counters.push_back({info, {}, {}});
    (info->entity_type.empty() ? read_keys : read_entities) = true;
  }

  const int64_t sample_limit = query.exact_facets || options_.facet_sample == 0
                                   ? std::numeric_limits<int64_t>::max()
                                   : options_.facet_sample;
  std::vector<int64_t> sample;
  uint64_t mask = 0;  // a kept id has SampleHash(id) & mask == 0
  int64_t total = 0;
  {
    SqlParams params;
    const std::string matched = MatchedSql(parsed, &params);
    VNA_ASSIGN_OR_RETURN(Statement select,
                         Statement::Prepare(db_, absl::StrCat("SELECT id FROM (", matched, ")")));
    VNA_RETURN_IF_ERROR(params.Bind(select));
    while (true) {
      VNA_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      ++total;
      const int64_t id = select.ColumnInt64(0);
      if ((SampleHash(id) & mask) != 0) continue;
      sample.push_back(id);
      if (static_cast<int64_t>(sample.size()) <= sample_limit) continue;
      // Twice as selective: about half the kept ids stay.
      mask = (mask << 1) | 1;
      sample.erase(std::remove_if(sample.begin(), sample.end(),
                                  [mask](int64_t kept) { return (SampleHash(kept) & mask) != 0; }),
                   sample.end());
    }
  }

  VNA_ASSIGN_OR_RETURN(Statement keys,
                       Statement::Prepare(db_,
                                          "SELECT source, published_at FROM documents "
                                          "INDEXED BY documents_keys WHERE id = ?1"));
  VNA_ASSIGN_OR_RETURN(Statement entities,
                       Statement::Prepare(db_, "SELECT facet_values FROM doc_entities WHERE doc = ?1"));
  // Years in Vietnam time (UTC+7), as the dateline gives them.
  const absl::TimeZone vietnam = absl::FixedTimeZone(7 * 3600);
  for (const int64_t id : sample) {
    if (read_entities) {
      VNA_RETURN_IF_ERROR(entities.BindInt64(1, id));
      VNA_ASSIGN_OR_RETURN(bool row, entities.Step());
      if (row && sqlite3_column_type(entities.get(), 0) == SQLITE_BLOB) {
        VNA_RETURN_IF_ERROR(ForEachFacetValue(
            entities.ColumnBlob(0), [&](absl::string_view type, absl::string_view canonical) {
              for (Counter& counter : counters) {
                if (counter.info->entity_type != type) continue;
                auto it = counter.counts.find(canonical);
                if (it == counter.counts.end()) {
                  counter.counts.emplace(std::string(canonical), 1);
                } else {
                  ++it->second;
                }
              }
            }));
      }
      entities.Reset();
    }
    if (!read_keys) continue;
    VNA_RETURN_IF_ERROR(keys.BindInt64(1, id));
    VNA_ASSIGN_OR_RETURN(bool row, keys.Step());
    if (row) {
      const std::string source = keys.ColumnText(0);
      const int64_t published_at = keys.ColumnInt64(1);
      for (Counter& counter : counters) {
        if (counter.info->name == "source") {
          if (!source.empty()) ++counter.counts[source];
        } else if (counter.info->name == "year") {
          if (published_at == 0) continue;
          ++counter.years[static_cast<int>(
              absl::ToCivilYear(absl::FromUnixSeconds(published_at), vietnam).year())];
        }
      }
    }
    keys.Reset();
  }
  result->facet_sample = static_cast<int64_t>(sample.size());
  if (mask != 0 && !sample.empty()) {
    // An estimate: each count scaled to the whole, never below 1 for a value seen.
    const double scale = static_cast<double>(total) / static_cast<double>(sample.size());
    auto scaled = [scale](int64_t count) {
      return std::max<int64_t>(1, std::llround(static_cast<double>(count) * scale));
    };
    for (Counter& counter : counters) {
      for (auto& [value, count] : counter.counts) count = scaled(count);
      for (auto& [year, count] : counter.years) count = scaled(count);
    }
  }
  result->total = total;

  const size_t limit =
      static_cast<size_t>(std::min(query.facet_limit, options_.max_facet_values));
  for (Counter& counter : counters) {
    Facet& facet = result->facets.emplace_back();
    facet.field = std::string(counter.info->name);
    for (auto& [value, count] : counter.counts) facet.values.push_back({value, count});
    for (const auto& [year, count] : counter.years) {
      facet.values.push_back({absl::StrFormat("%04d", year), count});
    }
    // Most frequent first; ties by value, except years: the latest first.
    const bool years = counter.info->name == "year";
    auto before = [years](const FacetValue& a, const FacetValue& b) {
      if (a.count != b.count) return a.count > b.count;
      return years ? a.value > b.value : a.value < b.value;
    };
    if (facet.values.size() > limit) {
      std::partial_sort(facet.values.begin(), facet.values.begin() + limit, facet.values.end(),
                        before);
      facet.values.resize(limit);
    } else {
      std::sort(facet.values.begin(), facet.values.end(), before);
    }
  }
  return absl::OkStatus();
}

// Integrity checks (CheckIntegrity). Self-contained: no ranking code.

absl::StatusOr<IntegrityReport> SearchIndex::CheckIntegrity() {
  absl::MutexLock lock(&mu_);
  IntegrityReport report;
  // A corrupt file can make a check fail outright (DataLoss) instead of
  // answering with rows: that is a finding, not an error of the check.
  auto record = [&report](absl::string_view check, const absl::Status& status) -> absl::Status {
    if (!absl::IsDataLoss(status)) return status;
    report.problems.push_back(absl::StrCat(check, ": ", status.message()));
    return absl::OkStatus();
  };

  absl::Status pragma = [&]() -> absl::Status {
    // SQLite 3.44 and later also ask FTS5 here (xIntegrity), which needs
    // the tokenizer this connection registered: an external sqlite3 shell
    // cannot check a shard.
    VNA_ASSIGN_OR_RETURN(Statement check, Statement::Prepare(db_, "PRAGMA integrity_check"));
    while (true) {
      VNA_ASSIGN_OR_RETURN(bool row, check.Step());
      if (!row) return absl::OkStatus();
      const std::string line = check.ColumnText(0);
      if (line != "ok") report.problems.push_back(absl::StrCat("integrity_check: ", line));
    }
  }();
  VNA_RETURN_IF_ERROR(record("integrity_check", pragma));

  // rank 1: also compare the index with the external content (`documents`).
  // The command writes nothing, but it is an INSERT: it runs in a savepoint
  // that is always rolled back.
  VNA_RETURN_IF_ERROR(Exec(db_, "SAVEPOINT integrity"));
  const absl::Status fts =
      Exec(db_, "INSERT INTO docs_fts(docs_fts, rank) VALUES('integrity-check', 1)");
  Exec(db_, "ROLLBACK TO integrity; RELEASE integrity").IgnoreError();
  VNA_RETURN_IF_ERROR(record("fts", fts));

  struct Count {
    const char* what;
    const char* sql;
  };
  static constexpr Count kCounts[] = {
      {"entities without a document",
       "SELECT coalesce(sum(count), 0) FROM doc_entities "
       "WHERE doc NOT IN (SELECT id FROM documents)"},
      {"filter keys without a document",
       "SELECT count(*) FROM filter_keys WHERE doc NOT IN (SELECT id FROM documents)"},
  };
  for (const Count& count : kCounts) {
    VNA_ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, count.sql));
    absl::StatusOr<bool> row = select.Step();
    VNA_RETURN_IF_ERROR(record("orphans", row.status()));
    const int64_t n = row.ok() && *row ? select.ColumnInt64(0) : 0;
    if (n != 0) report.problems.push_back(absl::StrCat("orphans: ", n, " ", count.what));
  }
  VNA_ASSIGN_OR_RETURN(Statement documents,
                       Statement::Prepare(db_, "SELECT count(*) FROM documents"));
  absl::StatusOr<bool> row = documents.Step();
  VNA_RETURN_IF_ERROR(record("integrity_check", row.status()));
  if (row.ok() && *row) report.documents = documents.ColumnInt64(0);
  return report;
}

}  // namespace search
}  // namespace vnarchive
