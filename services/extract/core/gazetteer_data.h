// The gazetteer's data files (services/extract/data/*.tsv), compiled into the
// library at build time by embed_data.cmake, so that the extractor finds its
// knowledge base without a data directory at run time. Gazetteer::Default()
// reads them; nothing else needs to.
//
//   for (const EmbeddedFile& f : internal::EmbeddedGazetteerFiles()) {
//     // f.name == "provinces.tsv", f.contents == the file's bytes
//   }
#ifndef VNARCHIVE_SERVICES_EXTRACT_CORE_GAZETTEER_DATA_H_
#define VNARCHIVE_SERVICES_EXTRACT_CORE_GAZETTEER_DATA_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace vnarchive {
namespace extract {
namespace internal {

struct EmbeddedFile {
  absl::string_view name;      // file name without directory: "provinces.tsv"
  absl::string_view contents;  // the file's bytes, exactly as in the source tree
};

// Returns every embedded file, in the order CMake listed them (static storage;
// thread-safe). Defined in the generated gazetteer_data.cc.
absl::Span<const EmbeddedFile> EmbeddedGazetteerFiles();

}  // namespace internal
}  // namespace extract
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_EXTRACT_CORE_GAZETTEER_DATA_H_
