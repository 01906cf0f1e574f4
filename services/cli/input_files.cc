#include "services/cli/input_files.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/ascii.h"
#include "common/text/utf8.h"

namespace vnarchive {
namespace cli {

namespace fs = std::filesystem;

std::vector<std::string> ListInputFiles(const std::vector<std::string>& paths,
                                        std::vector<InputProblem>* problems) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<std::string> found;
      const auto options = fs::directory_options::skip_permission_denied;
      for (auto it = fs::recursive_directory_iterator(path, options, error);
           !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        std::error_code kind_error;
        if (it->is_regular_file(kind_error)) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, error)) {
      files.push_back(path);
    } else {
      problems->push_back({path, fs::exists(path, error) ? "not a regular file" : "no such file"});
    }
  }
  return files;
}

std::string DisplayName(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  if (text::ValidateUtf8(name).ok()) return name;
  std::string repaired;
  for (size_t pos = 0; pos < name.size();) {
    text::AppendUtf8(text::DecodeUtf8(name, &pos), &repaired);
  }
  return repaired;
}

std::string ContentTypeForPath(const std::string& option, const std::string& path) {
  if (option != "auto") return option;
  const std::string extension = absl::AsciiStrToLower(fs::path(path).extension().string());
  return extension == ".html" || extension == ".htm" ? "text/html" : "";
}

}  // namespace cli
}  // namespace vnarchive
