// Content hashing for idempotency and document ids. XXH3-128 from libxxhash:
// fast (several GB/s), stable across platforms and versions, which matters
// because hashes are stored and compared across releases.
//
//   std::string h = vnarchive::ContentHash(text);  // 32 lower-case hex digits
#ifndef VNARCHIVE_COMMON_BASE_HASH_H_
#define VNARCHIVE_COMMON_BASE_HASH_H_

#include <string>

#include "absl/strings/string_view.h"

namespace vnarchive {

// Returns the XXH3-128 hash of `data` as 32 lower-case hex digits.
std::string ContentHash(absl::string_view data);

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_BASE_HASH_H_
