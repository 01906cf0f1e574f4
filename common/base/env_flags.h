// Environment-variable fallbacks for Abseil flags: every flag `--foo_bar` can
// also be set as `VNA_FOO_BAR`; a flag given on the command line wins.
//
//   int main(int argc, char** argv) {
//     std::vector<char*> args = vnarchive::ParseFlagsWithEnv(argc, argv, "usage...");
//   }
#ifndef VNARCHIVE_COMMON_BASE_ENV_FLAGS_H_
#define VNARCHIVE_COMMON_BASE_ENV_FLAGS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace vnarchive {

// Returns the environment variable name for a flag: "redis_addr" -> "VNA_REDIS_ADDR".
std::string EnvNameForFlag(absl::string_view flag_name);

// Applies every set `VNA_*` variable to its flag, then parses the command line
// (which overrides). Exits with a clear message when an environment value does
// not parse. Returns the positional arguments, like absl::ParseCommandLine.
std::vector<char*> ParseFlagsWithEnv(int argc, char** argv, absl::string_view usage);

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_BASE_ENV_FLAGS_H_
