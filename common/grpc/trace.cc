#include "common/grpc/trace.h"

#include <cstdint>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace vnarchive {
namespace {

bool IsLowerHex(absl::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string NewTraceId() {
  // Seeded from the OS once per thread; trace ids need to be unique, not
  // unguessable.
  thread_local absl::BitGen bits;
  const uint64_t high = absl::Uniform<uint64_t>(bits);
  const uint64_t low = absl::Uniform<uint64_t>(bits);
  return absl::StrCat(absl::Hex(high, absl::kZeroPad16), absl::Hex(low, absl::kZeroPad16));
}

bool IsValidTraceId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

std::string TraceIdFromTraceparent(absl::string_view header) {
  // version "-" trace-id "-" parent-id "-" flags; later versions may append
  // fields, so only the first 55 characters are read.
  if (header.size() < 55 || header[2] != '-' || header[35] != '-' || header[52] != '-') return "";
  if (header.size() > 55 && header[55] != '-') return "";
  const std::string lowered = absl::AsciiStrToLower(header.substr(0, 55));
  const absl::string_view version = absl::string_view(lowered).substr(0, 2);
  const absl::string_view trace = absl::string_view(lowered).substr(3, 32);
  if (!IsLowerHex(version) || version == "ff" || !IsLowerHex(trace) ||
      !IsLowerHex(absl::string_view(lowered).substr(36, 16)) ||
      !IsLowerHex(absl::string_view(lowered).substr(53, 2))) {
    return "";
  }
  if (trace == std::string(32, '0')) return "";
  return std::string(trace);
}

std::string TraceIdFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  // Every x-trace-id is looked at: the interceptor adds a valid one after
  // an invalid one the caller sent.
  const auto [begin, end] = metadata.equal_range(kTraceIdKey);
  for (auto it = begin; it != end; ++it) {
    const absl::string_view id(it->second.data(), it->second.size());
    if (IsValidTraceId(id)) return std::string(id);
  }
  const auto it = metadata.find(kTraceparentKey);
  if (it != metadata.end()) {
    return TraceIdFromTraceparent(absl::string_view(it->second.data(), it->second.size()));
  }
  return "";
}

std::string TraceIdForCall(const grpc::ServerContextBase& context) {
  std::string id = TraceIdFromMetadata(context.client_metadata());
  return id.empty() ? NewTraceId() : id;
}

}  // namespace vnarchive
