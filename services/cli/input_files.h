// Which files a subcommand given PATH... reads, and what it calls them: the
// embedded `index` walks directories and names documents the way `ingest`
// does, so both modes store the same name and content type for a file.
//
//   std::vector<InputProblem> problems;
//   for (const std::string& file : ListInputFiles({"tests/data/samples"}, &problems)) {
//     Send(file, DisplayName(file), ContentTypeForPath("auto", file));
//   }
#ifndef VNARCHIVE_SERVICES_CLI_INPUT_FILES_H_
#define VNARCHIVE_SERVICES_CLI_INPUT_FILES_H_

#include <string>
#include <vector>

namespace vnarchive {
namespace cli {

// A PATH argument that names no readable file or directory.
struct InputProblem {
  std::string path;
  std::string error;  // "no such file" or "not a regular file"
};

// Returns the regular files named by `paths`, in argument order; a directory
// contributes its regular files, recursively, in sorted order. Paths that are
// neither are appended to *problems. Unreadable subdirectories are skipped.
std::vector<std::string> ListInputFiles(const std::vector<std::string>& paths,
                                        std::vector<InputProblem>* problems);

// Returns the base name of `path` as valid UTF-8 (invalid bytes become
// U+FFFD): document names must be UTF-8.
std::string DisplayName(const std::string& path);

// Returns the content type to send for `path`: `option` itself unless it is
// "auto"; with "auto", "text/html" for *.html and *.htm (any case) and ""
// (let ingest sniff) for anything else.
std::string ContentTypeForPath(const std::string& option, const std::string& path);

}  // namespace cli
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_CLI_INPUT_FILES_H_
