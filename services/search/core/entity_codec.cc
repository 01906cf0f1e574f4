#include "services/search/core/entity_codec.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace vnarchive {
namespace search {
namespace {

// First byte of each encoding; a new layout gets a new value.
constexpr char kEntitiesVersion = 1;
constexpr char kFacetValuesVersion = 1;

void PutVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

void PutString(absl::string_view s, std::string* out) {
  PutVarint(s.size(), out);
  out->append(s.data(), s.size());
}

// Reads from the front of a blob; every read fails (false) rather than run
// past the end.
class Reader {
 public:
  explicit Reader(absl::string_view blob) : rest_(blob) {}

  bool Varint(uint64_t* value) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (rest_.empty()) return false;
      const auto byte = static_cast<unsigned char>(rest_.front());
      rest_.remove_prefix(1);
      result |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) {
        *value = result;
        return true;
      }
    }
    return false;
  }

  bool String(absl::string_view* s) {
    uint64_t size = 0;
    if (!Varint(&size) || size > rest_.size()) return false;
    *s = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return true;
  }

  bool Byte(char* c) {
    if (rest_.empty()) return false;
    *c = rest_.front();
    rest_.remove_prefix(1);
    return true;
  }

  bool done() const { return rest_.empty(); }

 private:
  absl::string_view rest_;
};

absl::Status Malformed(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("stored ", what, " are malformed"));
}

}  // namespace

std::string EncodeEntities(const std::vector<StoredEntity>& entities) {
  std::string out(1, kEntitiesVersion);
  PutVarint(entities.size(), &out);
  for (const StoredEntity& e : entities) {
    PutString(e.type, &out);
    PutString(e.canonical, &out);
    PutString(e.surface, &out);
    PutVarint(static_cast<uint64_t>(e.begin), &out);
    PutVarint(static_cast<uint64_t>(e.end - e.begin), &out);
    PutVarint(e.attributes.size(), &out);
    for (const auto& [key, value] : e.attributes) {
      PutString(key, &out);
      PutString(value, &out);
    }
  }
  return out;
}

absl::StatusOr<std::vector<StoredEntity>> DecodeEntities(absl::string_view blob) {
  Reader in(blob);
  char version = 0;
  uint64_t count = 0;
  if (!in.Byte(&version) || version != kEntitiesVersion || !in.Varint(&count)) {
    return Malformed("entities");
  }
  std::vector<StoredEntity> entities;
  // Each entity takes at least six bytes: a corrupt count cannot make this
  // reserve more than the blob could hold.
  entities.reserve(std::min<uint64_t>(count, blob.size() / 6));
  for (uint64_t i = 0; i < count; ++i) {
    absl::string_view type, canonical, surface;
    uint64_t begin = 0, length = 0, attributes = 0;
    if (!in.String(&type) || !in.String(&canonical) || !in.String(&surface) ||
        !in.Varint(&begin) || !in.Varint(&length) || !in.Varint(&attributes) ||
        begin > INT64_MAX / 2 || length > INT64_MAX / 2) {
      return Malformed("entities");
    }
    StoredEntity& e = entities.emplace_back();
    e.type = std::string(type);
    e.canonical = std::string(canonical);
    e.surface = std::string(surface);
    e.begin = static_cast<int64_t>(begin);
    e.end = static_cast<int64_t>(begin + length);
    for (uint64_t a = 0; a < attributes; ++a) {
      absl::string_view key, value;
      if (!in.String(&key) || !in.String(&value)) return Malformed("entities");
      e.attributes.emplace_back(std::string(key), std::string(value));
    }
  }
  if (!in.done()) return Malformed("entities");
  return entities;
}

std::string EncodeFacetValues(const std::vector<StoredEntity>& entities) {
  // Types in order of first appearance, each with its distinct values.
  std::vector<std::pair<absl::string_view, std::vector<absl::string_view>>> groups;
  absl::flat_hash_set<std::pair<absl::string_view, absl::string_view>> seen;
  for (const StoredEntity& e : entities) {
    if (e.canonical.empty() || !seen.emplace(e.type, e.canonical).second) continue;
    auto group = groups.begin();
    while (group != groups.end() && group->first != e.type) ++group;
    if (group == groups.end()) group = groups.insert(groups.end(), {e.type, {}});
    group->second.push_back(e.canonical);
  }
  std::string out(1, kFacetValuesVersion);
  PutVarint(groups.size(), &out);
  for (const auto& [type, values] : groups) {
    PutString(type, &out);
    PutVarint(values.size(), &out);
    for (absl::string_view value : values) PutString(value, &out);
  }
  return out;
}

absl::Status ForEachFacetValue(
    absl::string_view blob,
    absl::FunctionRef<void(absl::string_view type, absl::string_view canonical)> visit) {
  Reader in(blob);
  char version = 0;
  uint64_t groups = 0;
  if (!in.Byte(&version) || version != kFacetValuesVersion || !in.Varint(&groups)) {
    return Malformed("facet values");
  }
  for (uint64_t g = 0; g < groups; ++g) {
    absl::string_view type;
    uint64_t values = 0;
    if (!in.String(&type) || !in.Varint(&values)) return Malformed("facet values");
    for (uint64_t v = 0; v < values; ++v) {
      absl::string_view canonical;
      if (!in.String(&canonical)) return Malformed("facet values");
      visit(type, canonical);
    }
  }
  if (!in.done()) return Malformed("facet values");
  return absl::OkStatus();
}

}  // namespace search
}  // namespace vnarchive
