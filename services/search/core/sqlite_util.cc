#include "services/search/core/sqlite_util.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace vnarchive {
namespace search {
namespace internal {

absl::Status SqliteStatus(sqlite3* db, int rc, absl::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) {
    return absl::OkStatus();
  }
  // Prefer the connection's message when it describes this failure.
  const char* detail = (db != nullptr && sqlite3_errcode(db) == rc)
                           ? sqlite3_errmsg(db)
                           : sqlite3_errstr(rc);
  std::string message = absl::StrCat(what, ": ", detail, " (code ", rc, ")");
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
      return absl::UnavailableError(message);
    case SQLITE_FULL:
    case SQLITE_NOMEM:
    case SQLITE_TOOBIG:
      return absl::ResourceExhaustedError(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(message);
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      return absl::FailedPreconditionError(message);
    case SQLITE_INTERRUPT:
      return absl::CancelledError(message);
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return absl::InvalidArgumentError(message);
    default:
      return absl::InternalError(message);
  }
}

absl::Status Exec(sqlite3* db, absl::string_view sql) {
  std::string owned(sql);
  int rc = sqlite3_exec(db, owned.c_str(), nullptr, nullptr, nullptr);
  return SqliteStatus(db, rc, "exec");
}

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

absl::StatusOr<Statement> Statement::Prepare(sqlite3* db, absl::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt,
                              nullptr);
  if (rc != SQLITE_OK) {
    if (stmt != nullptr) sqlite3_finalize(stmt);
    return SqliteStatus(db, rc, "prepare");
  }
  return Statement(db, stmt);
}

absl::Status Statement::BindText(int index, absl::string_view value) {
  // A non-null pointer even for "" so the value binds as '' and not NULL.
  const char* data = value.data() != nullptr ? value.data() : "";
  return SqliteStatus(db_,
                      sqlite3_bind_text64(stmt_, index, data, value.size(),
                                          SQLITE_TRANSIENT, SQLITE_UTF8),
                      "bind");
}

absl::Status Statement::BindInt64(int index, int64_t value) {
  return SqliteStatus(db_, sqlite3_bind_int64(stmt_, index, value), "bind");
}

absl::Status Statement::BindDouble(int index, double value) {
  return SqliteStatus(db_, sqlite3_bind_double(stmt_, index, value), "bind");
}

absl::StatusOr<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(db_, rc, "step");
}

absl::Status Statement::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

absl::Status Statement::BindBlob(int index, absl::string_view value) {
  // A non-null pointer even for "" so the value binds as x'' and not NULL.
  const char* data = value.data() != nullptr ? value.data() : "";
  return SqliteStatus(db_, sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT),
                      "bind");
}

absl::string_view Statement::ColumnBlob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  if (blob == nullptr) return absl::string_view();
  return absl::string_view(static_cast<const char*>(blob),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::ColumnDouble(int column) const {
  return sqlite3_column_double(stmt_, column);
}

absl::StatusOr<fts5_api*> GetFts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  auto stmt = Statement::Prepare(db, "SELECT fts5(?1)");
  if (!stmt.ok()) {
    return absl::FailedPreconditionError(
        "SQLite has no FTS5 (SELECT fts5(?) failed): " +
        std::string(stmt.status().message()));
  }
  int rc = sqlite3_bind_pointer(stmt->get(), 1, &api, "fts5_api_ptr", nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db, rc, "bind fts5_api_ptr");
  absl::Status run = stmt->Run();
  if (!run.ok()) return run;
  if (api == nullptr || api->iVersion < 2) {
    return absl::FailedPreconditionError("SQLite FTS5 API version 2 is required");
  }
  return api;
}

}  // namespace internal
}  // namespace search
}  // namespace vnarchive
