#include "common/base/log.h"

#include <atomic>
#include <cstdio>
#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace vnarchive {
namespace {

std::atomic<int> g_min_level{static_cast<int>(LogLevel::kInfo)};

// The calling thread's scoped fields (ScopedLogFields), outermost first.
LogFields& ThreadFields() {
  thread_local LogFields fields;
  return fields;
}

absl::Mutex g_mu;
std::string* ServiceName() {
  static std::string* name = new std::string;
  return name;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

// Length of the valid UTF-8 sequence starting at `s[i]`, or 0 if invalid.
size_t Utf8SequenceLength(absl::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  size_t len = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) len = 2;
  else if (b0 >= 0xE0 && b0 <= 0xEF) len = 3;
  else if (b0 >= 0xF0 && b0 <= 0xF4) len = 4;
  else return 0;
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return len;
}

}  // namespace

ScopedLogFields::ScopedLogFields(LogFields fields) : previous_size_(ThreadFields().size()) {
  LogFields& all = ThreadFields();
  all.insert(all.end(), std::make_move_iterator(fields.begin()),
             std::make_move_iterator(fields.end()));
}

ScopedLogFields::~ScopedLogFields() { ThreadFields().resize(previous_size_); }

void SetMinLogLevel(LogLevel level) { g_min_level = static_cast<int>(level); }

bool ParseLogLevel(absl::string_view text, LogLevel* level) {
  for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError}) {
    if (text == LevelName(l)) {
      *level = l;
      return true;
    }
  }
  return false;
}

void SetLogService(absl::string_view service) {
  absl::MutexLock lock(&g_mu);
  *ServiceName() = std::string(service);
}

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20) {
            absl::StrAppend(&out, "\\u00", absl::Hex(c, absl::kZeroPad2));
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    const size_t len = Utf8SequenceLength(text, i);
    if (len == 0) {
      absl::StrAppend(&out, "\\u00", absl::Hex(c, absl::kZeroPad2));
      ++i;
    } else {
      out.append(text.data() + i, len);
      i += len;
    }
  }
  return out;
}

void Log(LogLevel level, absl::string_view message, const LogFields& fields) {
  if (static_cast<int>(level) < g_min_level.load(std::memory_order_relaxed)) return;
  std::string line = absl::StrCat(
      "{\"ts\":\"", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
      "\",\"level\":\"", LevelName(level), "\"");
  {
    absl::MutexLock lock(&g_mu);
    if (!ServiceName()->empty()) {
      absl::StrAppend(&line, ",\"service\":\"", JsonEscape(*ServiceName()), "\"");
    }
  }
  absl::StrAppend(&line, ",\"msg\":\"", JsonEscape(message), "\"");
  for (const auto& [key, value] : fields) {
    absl::StrAppend(&line, ",\"", JsonEscape(key), "\":\"", JsonEscape(value), "\"");
  }
  // Scoped fields after the line's own; a key already written is skipped so
  // every line stays an object without duplicate keys.
  const LogFields& scoped = ThreadFields();
  for (size_t i = 0; i < scoped.size(); ++i) {
    const std::string& key = scoped[i].first;
    bool seen = false;
    for (const auto& field : fields) seen = seen || field.first == key;
    for (size_t j = i + 1; j < scoped.size() && !seen; ++j) seen = scoped[j].first == key;
    if (seen) continue;
    absl::StrAppend(&line, ",\"", JsonEscape(key), "\":\"", JsonEscape(scoped[i].second), "\"");
  }
  line += "}\n";
  absl::MutexLock lock(&g_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace vnarchive
