// Embedded mode of the client: the search half. `vnarchive search --db FILE`
// answers from the database file in-process (services/pipeline/core/
// archive.h) and prints through the same code as a server's answer, so both
// modes look alike. The index half is RunIndex (commands.h).
#ifndef VNARCHIVE_SERVICES_CLI_EMBEDDED_H_
#define VNARCHIVE_SERVICES_CLI_EMBEDDED_H_

#include "services/cli/commands.h"
#include "vnarchive/v1/search.pb.h"

namespace vnarchive {
namespace cli {

// Opens command.db (it must already be a vnarchive database) and runs
// `request` (SearchRequestFor(command)), filling *response exactly as
// SearchService.Search would (the same conversions, services/search/rpc/
// convert.h). Returns 0, or
// prints the error (ReportStatusError) and returns the exit code: 2 when the
// file is missing, not a vnarchive database or cannot be opened, 1 when the
// query is refused (the message says why and where) or the search fails.
int SearchArchive(const SearchCommand& command, const v1::SearchRequest& request,
                  v1::SearchResponse* response);

}  // namespace cli
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_CLI_EMBEDDED_H_
