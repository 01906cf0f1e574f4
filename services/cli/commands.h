// The subcommands of the `vnarchive` command-line client. Each Run* function
// prints its result (human-readable, or one JSON object with --json, see
// docs/cli.md) and returns the process exit code: 0 success, 1 a document
// or request failed, 2 bad usage, unreachable server or unusable database.
#ifndef VNARCHIVE_SERVICES_CLI_COMMANDS_H_
#define VNARCHIVE_SERVICES_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace vnarchive {
namespace cli {

struct IngestCommand {
  std::string addr;                // ingest service
  std::vector<std::string> paths;  // files and directories (recursive)
  std::string source;              // Document.source for every file
  // IngestRequest.content_type for every file: "text/plain" or "text/html";
  // "auto" (default): files named *.html / *.htm (any case) are sent as
  // text/html, others without a type, so the service sniffs them.
  std::string content_type = "auto";
  bool wait = false;               // return only when each accepted doc is indexed or failed
  double wait_timeout_s = 600;     // give up waiting after this long
  bool json = false;
  bool resume = false;             // skip files whose text ingest already accepted
};
int RunIngest(const IngestCommand& command);

struct SearchCommand {
  std::string addr;  // search service
  // Embedded mode: search this database file in-process instead of asking
  // the service (which `addr` names). Empty: use the service.
  std::string db;
  // Embedded mode: the tone style the database was indexed with
  // ("traditional", the default, or "modern"); queries are put in it.
  std::string tone_style;
  std::string query;
  int limit = 10;
  int offset = 0;
  std::string sort;  // "", "relevance", "date", "date-asc"
  // Facets to count over all matches: "person", "org", "loc", "ref",
  // "source", "year".
  std::vector<std::string> facets;
  bool exact_facets = false;  // count facets over every match, never a sample
  bool exact_total = false;   // count every match for the total, never estimate
  bool json = false;
};
// Asks the search service, or with `db` searches the file in-process: same
// output either way. Exit 2 when the service cannot be reached or the file is
// missing or not a vnarchive database; 1 for a query the index refuses.
int RunSearch(const SearchCommand& command);

struct IndexCommand {
  std::string db;                  // database file; created when missing
  std::vector<std::string> paths;  // files and directories (recursive)
  std::string source;              // Document.source for every file
  // As IngestCommand::content_type: "auto" (default), "text/plain", "text/html".
  std::string content_type = "auto";
  std::string tone_style;  // "traditional" (default) or "modern"
  bool json = false;
};
// Embedded mode: runs ingest, normalize and extract in-process on every file
// and writes the documents into `db` (the database format of a search shard),
// 256 per transaction; no server, no Redis. A file already indexed with the
// same text is skipped as a duplicate. A file that cannot be read or is
// refused is reported and the others are still indexed. Exit 0 when every
// file was indexed or skipped, 1 when some file failed, 2 when the database
// cannot be opened.
int RunIndex(const IndexCommand& command);

struct CheckCommand {
  std::string db;  // database file (a search shard or a `vnarchive index` file)
  bool json = false;
};
// Checks a database file in-process (SearchIndex::CheckIntegrity: SQLite's
// integrity_check, FTS5's integrity-check against the documents, no orphaned
// rows); the search tokenizer is registered here, which an external sqlite3
// shell cannot do. Prints "ok" and the document count, or one line per
// problem; with json {"db", "ok", "documents", "problems": [...]}. Exit 0
// when sound, 1 when problems were found, 2 when the file is missing, not a
// vnarchive database, or cannot be checked (e.g. locked past the timeout).
int RunCheck(const CheckCommand& command);

struct GetCommand {
  std::string addr;  // search service (it stores documents)
  std::string doc_id;
  bool json = false;
};
int RunGet(const GetCommand& command);

struct StatusCommand {
  std::string addr;  // ingest service (it records statuses)
  std::string doc_id;
  bool json = false;
};
int RunStatus(const StatusCommand& command);

struct HealthCommand {
  std::string addr;
  std::string service;  // empty: the whole server
  bool json = false;
};
// Exit 0 only when the server answers SERVING.
int RunHealth(const HealthCommand& command);

struct ReflectCommand {
  std::string addr;
  bool json = false;
};
// Lists the services a server exposes through reflection, with their methods.
int RunReflect(const ReflectCommand& command);

struct NormalizeCommand {
  std::string path;   // file, or "-" for stdin
  std::string style;  // "traditional" (default) or "modern"
  std::string from;   // force an encoding; empty: detect
  bool lenient = false;  // undecodable bytes become U+FFFD instead of an error
  bool json = false;
};
// Offline: no server, no Redis.
int RunNormalize(const NormalizeCommand& command);

struct ExtractCommand {
  // Files, or "-" for stdin (any supported encoding).
  std::vector<std::string> paths = {"-"};
  bool json = false;
};
// Offline: decodes, normalises, then extracts, per file; no server, no
// Redis. With json, one line per file:
//   {"file": PATH, "entities": [{"type", "text", "value", "start", "end"}...],
//    "relations": [{"type": "ROLE", "person", "role", "org"}...]}
// (start/end: UTF-8 byte offsets into the normalised text). Otherwise one
// tab-separated line per entity. A file that fails is reported on stderr and
// the others are still processed; the exit code is then 1.
int RunExtract(const ExtractCommand& command);

}  // namespace cli
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_CLI_COMMANDS_H_
