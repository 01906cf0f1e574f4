// Structured logging: one JSON object per line on stderr, so that a log
// collector can parse every line without a custom grammar.
//
//   vnarchive::Log(vnarchive::LogLevel::kWarning, "redis unavailable",
//                  {{"addr", "127.0.0.1:6379"}, {"retry_ms", "400"}});
// prints
//   {"ts":"2026-11-22T03:20:01.123Z","level":"warning","msg":"redis unavailable",
//    "addr":"127.0.0.1:6379","retry_ms":"400"}
//
// Fields that belong to every line a thread writes while it works on one
// thing (a document's doc_id and trace_id) come from a ScopedLogFields:
//
//   ScopedLogFields scope({{"doc_id", id}, {"trace_id", trace}});
//   LogWarning("no dateline");  // ... "msg":"no dateline","doc_id":"...","trace_id":"..."
//
// Thread-safe: each line is written with one fwrite under a mutex.
#ifndef VNARCHIVE_COMMON_BASE_LOG_H_
#define VNARCHIVE_COMMON_BASE_LOG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace vnarchive {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

using LogFields = std::vector<std::pair<std::string, std::string>>;

// Lines below `level` are dropped. Default: kInfo.
void SetMinLogLevel(LogLevel level);
// Parses "debug", "info", "warning" or "error"; returns false otherwise.
bool ParseLogLevel(absl::string_view text, LogLevel* level);
// Names the process in every line ("service" field), e.g. "ingest".
void SetLogService(absl::string_view service);

void Log(LogLevel level, absl::string_view message, const LogFields& fields = {});

inline void LogInfo(absl::string_view message, const LogFields& fields = {}) {
  Log(LogLevel::kInfo, message, fields);
}
inline void LogWarning(absl::string_view message, const LogFields& fields = {}) {
  Log(LogLevel::kWarning, message, fields);
}
inline void LogError(absl::string_view message, const LogFields& fields = {}) {
  Log(LogLevel::kError, message, fields);
}

// Adds `fields` to every line the calling thread logs until this object is
// destroyed. Scopes nest (inner fields come after outer ones); a field given
// to Log() itself wins over a scoped field of the same key. Never put a
// secret (token, password) in a scope. Not copyable or movable: it must be
// destroyed on the thread that made it, in reverse order of creation.
class ScopedLogFields {
 public:
  explicit ScopedLogFields(LogFields fields);
  ~ScopedLogFields();
  ScopedLogFields(const ScopedLogFields&) = delete;
  ScopedLogFields& operator=(const ScopedLogFields&) = delete;

 private:
  size_t previous_size_;
};

// Escapes `text` for use inside a JSON string literal (no surrounding quotes).
// Invalid UTF-8 bytes are written as \u00XX so the line stays valid JSON.
std::string JsonEscape(absl::string_view text);

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_BASE_LOG_H_
