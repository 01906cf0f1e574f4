#include "services/search/core/index.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/base/status_macros.h"
#include "common/text/utf8.h"
#include "services/search/core/fts5_tokenizer.h"
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
CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
  INSERT INTO docs_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
  INSERT INTO docs_fts(docs_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
  DELETE FROM entities WHERE doc_id = old.doc_id;
END;
CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
  INSERT INTO docs_fts(docs_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO docs_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
)sql";

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

std::string AttributesJson(
    const std::vector<std::pair<std::string, std::string>>& attributes) {
  std::string out = "{";
  for (size_t i = 0; i < attributes.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(attributes[i].first, &out);
    out.push_back(':');
    AppendJsonString(attributes[i].second, &out);
  }
  out.push_back('}');
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
  if (o.snippet_tokens < 1 || o.snippet_tokens > 64) {
    return absl::InvalidArgumentError("IndexOptions.snippet_tokens must be 1..64");
  }
  return absl::OkStatus();
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
  VNA_RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode=WAL"));
  VNA_RETURN_IF_ERROR(Exec(db, options.durable_commits ? "PRAGMA synchronous=FULL"
                                                       : "PRAGMA synchronous=NORMAL"));
  VNA_RETURN_IF_ERROR(index->InitSchema());
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
      if (version != std::to_string(kSchemaVersion)) {
        return absl::FailedPreconditionError(
            absl::StrCat("'", options_.path, "' has search schema version ", version,
                         "; this build reads version ", kSchemaVersion));
      }
      return absl::OkStatus();
    }
    VNA_RETURN_IF_ERROR(Exec(db_, kSchemaSql));
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

absl::Status SearchIndex::Upsert(const std::vector<StoredDocument>& batch) {
  for (const StoredDocument& doc : batch) VNA_RETURN_IF_ERROR(ValidateDocument(doc));
  if (batch.empty()) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
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
  VNA_ASSIGN_OR_RETURN(Statement remove,
                       Statement::Prepare(db_, "DELETE FROM documents WHERE doc_id = ?1"));
  VNA_ASSIGN_OR_RETURN(
      Statement insert,
      Statement::Prepare(
          db_,
          "INSERT INTO documents(doc_id, name, source, url, title, published_at, "
          "dateline, authors, language, text, content_hash, duplicate_of, "
          "ingested_at_ms, indexed_at_ms) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"));
  VNA_ASSIGN_OR_RETURN(
      Statement insert_entity,
      Statement::Prepare(db_,
                         "INSERT INTO entities(doc_id, ordinal, type, canonical, "
                         "surface, begin_byte, end_byte, attributes) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  for (const StoredDocument& doc : batch) {
    VNA_RETURN_IF_ERROR(remove.BindText(1, doc.doc_id));
    VNA_RETURN_IF_ERROR(remove.Run());
    remove.Reset();

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

    for (size_t i = 0; i < doc.entities.size(); ++i) {
      const StoredEntity& e = doc.entities[i];
      VNA_RETURN_IF_ERROR(insert_entity.BindText(1, doc.doc_id));
      VNA_RETURN_IF_ERROR(insert_entity.BindInt64(2, static_cast<int64_t>(i)));
      VNA_RETURN_IF_ERROR(insert_entity.BindText(3, e.type));
      VNA_RETURN_IF_ERROR(insert_entity.BindText(4, e.canonical));
      VNA_RETURN_IF_ERROR(insert_entity.BindText(5, e.surface));
      VNA_RETURN_IF_ERROR(insert_entity.BindInt64(6, e.begin));
      VNA_RETURN_IF_ERROR(insert_entity.BindInt64(7, e.end));
      VNA_RETURN_IF_ERROR(insert_entity.BindText(8, AttributesJson(e.attributes)));
      VNA_RETURN_IF_ERROR(insert_entity.Run());
      insert_entity.Reset();
    }
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
                         "duplicate_of, ingested_at_ms FROM documents WHERE doc_id = ?1"));
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

  VNA_ASSIGN_OR_RETURN(
      Statement authors,
      Statement::Prepare(db_, "SELECT value FROM json_each(?1) ORDER BY id"));
  VNA_RETURN_IF_ERROR(authors.BindText(1, authors_json));
  while (true) {
    VNA_ASSIGN_OR_RETURN(bool row, authors.Step());
    if (!row) break;
    doc.authors.push_back(authors.ColumnText(0));
  }
  VNA_RETURN_IF_ERROR(LoadEntities(&doc));
  return std::optional<StoredDocument>(std::move(doc));
}

absl::Status SearchIndex::LoadEntities(StoredDocument* doc) {
  VNA_ASSIGN_OR_RETURN(
      Statement entities,
      Statement::Prepare(db_,
                         "SELECT type, canonical, surface, begin_byte, end_byte "
                         "FROM entities WHERE doc_id = ?1 ORDER BY ordinal"));
  VNA_RETURN_IF_ERROR(entities.BindText(1, doc->doc_id));
  while (true) {
    VNA_ASSIGN_OR_RETURN(bool row, entities.Step());
    if (!row) break;
    StoredEntity e;
    e.type = entities.ColumnText(0);
    e.canonical = entities.ColumnText(1);
    e.surface = entities.ColumnText(2);
    e.begin = entities.ColumnInt64(3);
    e.end = entities.ColumnInt64(4);
    doc->entities.push_back(std::move(e));
  }
  // Ordinals are 0..n-1 as written by Upsert, so they index doc->entities.
  VNA_ASSIGN_OR_RETURN(
      Statement attributes,
      Statement::Prepare(db_,
                         "SELECT e.ordinal, j.key, j.value FROM entities AS e, "
                         "json_each(e.attributes) AS j WHERE e.doc_id = ?1 "
                         "ORDER BY e.ordinal, j.id"));
  VNA_RETURN_IF_ERROR(attributes.BindText(1, doc->doc_id));
  while (true) {
    VNA_ASSIGN_OR_RETURN(bool row, attributes.Step());
    if (!row) break;
    const int64_t ordinal = attributes.ColumnInt64(0);
    if (ordinal < 0 || ordinal >= static_cast<int64_t>(doc->entities.size())) {
      return absl::DataLossError(absl::StrCat("document '", doc->doc_id,
                                              "': entity ordinal ", ordinal,
                                              " out of range"));
    }
    doc->entities[static_cast<size_t>(ordinal)].attributes.emplace_back(
        attributes.ColumnText(1), attributes.ColumnText(2));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> SearchIndex::Delete(absl::string_view doc_id) {
  absl::MutexLock lock(&mu_);
  VNA_ASSIGN_OR_RETURN(Statement remove,
                       Statement::Prepare(db_, "DELETE FROM documents WHERE doc_id = ?1"));
  VNA_RETURN_IF_ERROR(remove.BindText(1, doc_id));
  VNA_RETURN_IF_ERROR(remove.Run());  // one statement: atomic with its triggers
  return sqlite3_changes(db_) > 0;
}

absl::StatusOr<IndexStats> SearchIndex::Stats() {
  absl::MutexLock lock(&mu_);
  VNA_ASSIGN_OR_RETURN(
      Statement stats,
      Statement::Prepare(db_,
                         "SELECT (SELECT count(*) FROM documents), "
                         "(SELECT count(*) FROM entities), "
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
  // Documents were normalised to one tone style; a query typed in the other
  // style ("thuỷ" for "thủy") or in NFD must meet them as the same word.
  const std::string canonical_query =
      normalize::CanonicalizeSyllable(query.query, options_.tone_style);
  VNA_ASSIGN_OR_RETURN(ParsedQuery parsed, ParseQuery(canonical_query, options_.query));

  absl::MutexLock lock(&mu_);
  SearchResult result;
  VNA_ASSIGN_OR_RETURN(
      Statement count,
      Statement::Prepare(db_, "SELECT count(*) FROM docs_fts WHERE docs_fts MATCH ?1"));
  VNA_RETURN_IF_ERROR(count.BindText(1, parsed.match));
  VNA_ASSIGN_OR_RETURN(bool counted, count.Step());
  result.total = counted ? count.ColumnInt64(0) : 0;
  if (limit == 0 || query.offset >= result.total) return result;

  // Rank every match (FTS5 has no top-k pruning), exact-as-typed rows first.
  // The IN subquery is not correlated: SQLite evaluates it once.
  // Date orders still carry the relevance score (shown to the caller) but
  // sort on the indexed published_at column; undated documents go last.
  const char* const kByDate =
      "SELECT f.rowid, -bm25(docs_fts, ?2, ?3) AS rel, 0 AS exact "
      "FROM docs_fts AS f JOIN documents AS d ON d.id = f.rowid "
      "WHERE docs_fts MATCH ?1 ORDER BY (d.published_at = 0), d.published_at %s, f.rowid "
      "LIMIT ?5 OFFSET ?6";
  const std::string by_date = absl::StrFormat(
      kByDate, query.sort == SortOrder::kNewestFirst ? "DESC" : "ASC");
  const bool by_relevance = query.sort == SortOrder::kRelevance;
  VNA_ASSIGN_OR_RETURN(
      Statement rank,
      Statement::Prepare(
          db_, !by_relevance ? by_date.c_str()
               : parsed.has_exact_variant
                   ? "SELECT rowid, -bm25(docs_fts, ?2, ?3) AS rel, "
                     "(rowid IN (SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?4)) "
                     "AS exact FROM docs_fts WHERE docs_fts MATCH ?1 "
                     "ORDER BY exact DESC, rel DESC, rowid LIMIT ?5 OFFSET ?6"
                   : "SELECT rowid, -bm25(docs_fts, ?2, ?3) AS rel, 0 AS exact "
                     "FROM docs_fts WHERE docs_fts MATCH ?1 "
                     "ORDER BY rel DESC, rowid LIMIT ?5 OFFSET ?6"));
  VNA_RETURN_IF_ERROR(rank.BindText(1, parsed.match));
  VNA_RETURN_IF_ERROR(rank.BindDouble(2, options_.title_weight));
  VNA_RETURN_IF_ERROR(rank.BindDouble(3, options_.text_weight));
  if (by_relevance && parsed.has_exact_variant) {
    VNA_RETURN_IF_ERROR(rank.BindText(4, parsed.exact_match));
  }
  VNA_RETURN_IF_ERROR(rank.BindInt64(5, limit));
  VNA_RETURN_IF_ERROR(rank.BindInt64(6, query.offset));
  std::vector<std::pair<int64_t, double>> page;  // rowid, score
  while (true) {
    VNA_ASSIGN_OR_RETURN(bool row, rank.Step());
    if (!row) break;
    double score = rank.ColumnDouble(1);
    if (rank.ColumnInt64(2) != 0) score += options_.exact_match_bonus;
    page.emplace_back(rank.ColumnInt64(0), score);
  }

  // Snippets only for the returned page: snippet() re-tokenizes the text.
  VNA_ASSIGN_OR_RETURN(
      Statement fetch,
      Statement::Prepare(db_,
                         "SELECT d.doc_id, d.name, d.title, d.source, d.published_at, "
                         "snippet(docs_fts, 1, ?2, ?3, ?4, ?5) "
                         "FROM docs_fts JOIN documents AS d ON d.id = docs_fts.rowid "
                         "WHERE docs_fts MATCH ?1 AND docs_fts.rowid = ?6"));
  for (const auto& [rowid, score] : page) {
    VNA_RETURN_IF_ERROR(fetch.BindText(1, parsed.match));
    VNA_RETURN_IF_ERROR(fetch.BindText(2, options_.snippet_open));
    VNA_RETURN_IF_ERROR(fetch.BindText(3, options_.snippet_close));
    VNA_RETURN_IF_ERROR(fetch.BindText(4, options_.snippet_ellipsis));
    VNA_RETURN_IF_ERROR(fetch.BindInt64(5, options_.snippet_tokens));
    VNA_RETURN_IF_ERROR(fetch.BindInt64(6, rowid));
    VNA_ASSIGN_OR_RETURN(bool row, fetch.Step());
    if (row) {
      Hit hit;
      hit.doc_id = fetch.ColumnText(0);
      hit.name = fetch.ColumnText(1);
      hit.title = fetch.ColumnText(2);
      hit.source = fetch.ColumnText(3);
      hit.published_at_unix = fetch.ColumnInt64(4);
      hit.score = score;
      // A snippet may cross paragraph breaks; one line reads better in a list.
      hit.snippet = fetch.ColumnText(5);
      absl::StrReplaceAll({{"\n\n", " "}, {"\n", " "}}, &hit.snippet);
      result.hits.push_back(std::move(hit));
    }
    fetch.Reset();
  }
  return result;
}

}  // namespace search
}  // namespace vnarchive
