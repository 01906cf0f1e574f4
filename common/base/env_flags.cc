#include "common/base/env_flags.h"

#include <cstdio>
#include <cstdlib>

#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace vnarchive {

std::string EnvNameForFlag(absl::string_view flag_name) {
  return absl::StrCat("VNA_", absl::AsciiStrToUpper(flag_name));
}

std::vector<char*> ParseFlagsWithEnv(int argc, char** argv, absl::string_view usage) {
  absl::SetProgramUsageMessage(absl::StrCat(
      usage, "\n\nEvery flag --name can also be set with the environment variable "
             "VNA_NAME (upper case); the command line wins."));
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    const std::string env_name = EnvNameForFlag(name);
    const char* value = std::getenv(env_name.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      std::fprintf(stderr, "invalid value for %s: %s\n", env_name.c_str(), error.c_str());
      std::exit(2);
    }
  }
  return absl::ParseCommandLine(argc, argv);
}

}  // namespace vnarchive
