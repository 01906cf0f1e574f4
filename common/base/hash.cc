#include "common/base/hash.h"

#include <xxhash.h>

#include "absl/strings/str_cat.h"

namespace vnarchive {

std::string ContentHash(absl::string_view data) {
  const XXH128_hash_t h = XXH3_128bits(data.data(), data.size());
  return absl::StrCat(absl::Hex(h.high64, absl::kZeroPad16), absl::Hex(h.low64, absl::kZeroPad16));
}

}  // namespace vnarchive
