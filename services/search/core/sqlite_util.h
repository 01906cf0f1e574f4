// Small SQLite helpers shared by the search core: the ONE place where SQLite
// result codes become absl::Status, and an owning prepared-statement handle.
//
//   VNA_ASSIGN_OR_RETURN(Statement stmt,
//                        Statement::Prepare(db, "SELECT count(*) FROM documents"));
//   VNA_ASSIGN_OR_RETURN(bool row, stmt.Step());
//   int64_t n = row ? stmt.ColumnInt64(0) : 0;
#ifndef VNARCHIVE_SERVICES_SEARCH_CORE_SQLITE_UTIL_H_
#define VNARCHIVE_SERVICES_SEARCH_CORE_SQLITE_UTIL_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vnarchive {
namespace search {
namespace internal {

// Converts SQLite result code `rc` (primary or extended) into an absl::Status.
// Returns OK for SQLITE_OK / SQLITE_ROW / SQLITE_DONE. Otherwise:
//   SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR      -> Unavailable (retryable)
//   SQLITE_FULL, SQLITE_NOMEM, SQLITE_TOOBIG      -> ResourceExhausted
//   SQLITE_CORRUPT, SQLITE_NOTADB                 -> DataLoss
//   SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_READONLY,
//   SQLITE_AUTH                                   -> FailedPrecondition
//   SQLITE_INTERRUPT                              -> Cancelled
//   SQLITE_MISMATCH, SQLITE_RANGE                 -> InvalidArgument
//   anything else (SQLITE_ERROR, SQLITE_CONSTRAINT, ...) -> Internal
// The message is "<what>: <sqlite message> (code N)"; `db` may be null, in
// which case sqlite3_errstr(rc) is used.
absl::Status SqliteStatus(sqlite3* db, int rc, absl::string_view what);

// Runs `sql` (one or more statements, no results wanted) on `db`.
// Returns OK or SqliteStatus() of the failure.
absl::Status Exec(sqlite3* db, absl::string_view sql);

// The FTS5 API of `db`, for registering tokenizers and auxiliary functions.
// FailedPrecondition if this SQLite has no FTS5 or an fts5_api older than
// version 2.
absl::StatusOr<fts5_api*> GetFts5Api(sqlite3* db);

// An owning sqlite3_stmt. Not thread-safe (callers serialise on the
// connection). Movable, not copyable; finalises the statement on destruction.
class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Compiles `sql` on `db` (which must outlive the statement).
  // Returns the statement, or SqliteStatus() of the failure (Internal for SQL
  // errors).
  static absl::StatusOr<Statement> Prepare(sqlite3* db, absl::string_view sql);

  // Binders use 1-based parameter indexes, copy the value (SQLITE_TRANSIENT),
  // and return OK or SqliteStatus() (InvalidArgument for a bad index).
  absl::Status BindText(int index, absl::string_view value);
  absl::Status BindInt64(int index, int64_t value);
  absl::Status BindDouble(int index, double value);
  absl::Status BindBlob(int index, absl::string_view value);

  // Advances the statement. Returns true when a row is available, false when
  // the statement is done, or SqliteStatus() on failure.
  absl::StatusOr<bool> Step();
  // Steps until done, ignoring rows. OK or SqliteStatus() on failure.
  absl::Status Run();
  // Resets the statement and clears its bindings so it can be reused.
  void Reset();

  // Column readers for the current row (0-based); NULL reads as ""/0.
  std::string ColumnText(int column) const;
  int64_t ColumnInt64(int column) const;
  double ColumnDouble(int column) const;
  // The bytes of a BLOB column, without a copy: valid until the next Step(),
  // Reset() or column read of another type on this row.
  absl::string_view ColumnBlob(int column) const;

  sqlite3_stmt* get() const { return stmt_; }

 private:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace internal
}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_CORE_SQLITE_UTIL_H_
