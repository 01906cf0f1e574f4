// vnarchive: the command-line client. Talks gRPC to a running suite
// (ingest, search, get, status, health, reflect) or runs the stages
// in-process on files (normalize, extract, and index / search --db: the
// embedded archive). Wiring only: see commands.h.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <string>

#include "absl/strings/str_join.h"
#include "services/cli/client_util.h"
#include "services/cli/commands.h"

namespace {

// Default addresses follow deploy/local/up.sh's default port base (7600).
std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vnarchive::cli;
  CLI::App app{"vnarchive: Vietnamese document archive client"};
  app.require_subcommand(1);
  int exit_code = 0;

  // Connection security for every subcommand that talks to a server. The
  // token is best given as VNA_TOKEN: a command line is visible to others.
  ClientSecurity security;
  app.add_flag("--tls", security.tls, "use TLS, verifying servers with the system's CAs")
      ->envname("VNA_TLS");
  app.add_option("--tls-ca-file,--tls_ca_file", security.ca_file,
                 "PEM CA bundle that signs the servers' certificates (implies TLS)")
      ->envname("VNA_TLS_CA_FILE");
  app.add_option("--tls-cert-file,--tls_cert_file", security.cert_file,
                 "PEM client certificate, for servers that require one (mTLS)")
      ->envname("VNA_TLS_CERT_FILE");
  app.add_option("--tls-key-file,--tls_key_file", security.key_file,
                 "PEM private key of --tls-cert-file")
      ->envname("VNA_TLS_KEY_FILE");
  app.add_option("--token", security.token, "bearer token for ingest and search (needs TLS)")
      ->envname("VNA_TOKEN");
  app.add_option("--trace-id,--trace_id", security.trace_id,
                 "trace id sent with every call (x-trace-id): ingested documents carry it")
      ->envname("VNA_TRACE_ID");
  // Global options may also follow the subcommand name.
  app.fallthrough();
  // Runs after parsing, before any subcommand's callback.
  app.parse_complete_callback([&] {
    const absl::Status configured = ConfigureClientSecurity(security);
    if (!configured.ok()) throw CLI::ValidationError(std::string(configured.message()));
  });

  IngestCommand ingest;
  ingest.addr = EnvOr("VNA_INGEST_ADDR", "127.0.0.1:7601");
  auto* ingest_cmd =
      app.add_subcommand("ingest", "Send files (directories: recursively) to ingest");
  ingest_cmd->add_option("--addr", ingest.addr, "ingest service host:port (env VNA_INGEST_ADDR)")
      ->capture_default_str();
  ingest_cmd->add_option("--source", ingest.source, "source recorded on every document");
  ingest_cmd
      ->add_option("--content-type", ingest.content_type,
                   "text/plain, text/html, or auto: *.html/*.htm as text/html, other files "
                   "sniffed by the service")
      ->check(CLI::IsMember({"auto", "text/plain", "text/html"}))
      ->capture_default_str();
  ingest_cmd->add_flag("--wait", ingest.wait,
                       "return only when every accepted document is indexed or failed");
  ingest_cmd->add_option("--wait-timeout", ingest.wait_timeout_s, "seconds to wait at most")
      ->capture_default_str();
  ingest_cmd->add_flag("--json", ingest.json, "print one JSON object");
  ingest_cmd->add_flag("--resume", ingest.resume,
                       "skip files whose text ingest already accepted (env VNA_INGEST_RESUME=1)");
  ingest_cmd->add_option("paths", ingest.paths, "files or directories")->required();
  ingest_cmd->callback([&] { exit_code = RunIngest(ingest); });

  IndexCommand index;
  auto* index_cmd = app.add_subcommand(
      "index", "Index files into a database file in-process (no server, no Redis)");
  index_cmd->add_option("--db", index.db, "database file; created when missing")->required();
  index_cmd->add_option("--source", index.source, "source recorded on every document");
  index_cmd
      ->add_option("--content-type", index.content_type,
                   "text/plain, text/html, or auto: *.html/*.htm as text/html, other files "
                   "sniffed")
      ->check(CLI::IsMember({"auto", "text/plain", "text/html"}))
      ->capture_default_str();
  index_cmd
      ->add_option("--tone-style", index.tone_style,
                   "tone placement of the stored text: traditional (default) or modern")
      ->check(CLI::IsMember({"traditional", "modern"}));
  index_cmd->add_flag("--json", index.json, "print one JSON object");
  index_cmd->add_option("paths", index.paths, "files or directories")->required();
  index_cmd->callback([&] { exit_code = RunIndex(index); });

  SearchCommand search;
  search.addr = EnvOr("VNA_SEARCH_ADDR", "127.0.0.1:7604");
  std::vector<std::string> query_words;
  auto* search_cmd = app.add_subcommand("search", "Search the archive");
  auto* addr_opt =
      search_cmd
          ->add_option("--addr", search.addr, "search service host:port (env VNA_SEARCH_ADDR)")
          ->capture_default_str();
  search_cmd
      ->add_option("--db", search.db,
                   "search this database file in-process instead (see vnarchive index)")
      ->excludes(addr_opt);
  search_cmd
      ->add_option("--tone-style", search.tone_style,
                   "with --db: the tone style the file was indexed with (traditional, modern)")
      ->check(CLI::IsMember({"traditional", "modern"}));
  search_cmd->add_option("--limit", search.limit, "hits to return (1-100)")
      ->check(CLI::Range(1, 100))->capture_default_str();
  search_cmd->add_option("--offset", search.offset, "hits to skip")->check(CLI::NonNegativeNumber);
  search_cmd->add_option("--sort", search.sort, "relevance, date (newest first) or date-asc")
      ->check(CLI::IsMember({"relevance", "date", "date-asc"}));
  search_cmd
      ->add_option("--facet", search.facets,
                   "count values over all matches: person, org, loc, ref, source, year "
                   "(repeat or separate with commas)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::IsMember({"person", "org", "loc", "ref", "source", "year"}));
  search_cmd->add_flag("--exact-facets", search.exact_facets,
                       "count facets over every match (broad queries otherwise have them "
                       "estimated from a sample)");
  search_cmd->add_flag("--exact-total", search.exact_total,
                       "count every match (broad queries otherwise have the matches beyond "
                       "the ranked ones estimated)");
  search_cmd->add_flag("--json", search.json, "print one JSON object");
  search_cmd->add_option("query", query_words, "query words; quote phrases")->required();
  search_cmd->callback([&] {
    search.query = absl::StrJoin(query_words, " ");
    exit_code = RunSearch(search);
  });

  CheckCommand check;
  auto* check_cmd = app.add_subcommand(
      "check", "Check a database file's integrity: SQLite, full-text index, orphaned rows");
  check_cmd->add_option("--db", check.db, "database file (a search shard or vnarchive index file)")
      ->required();
  check_cmd->add_flag("--json", check.json, "print one JSON object");
  check_cmd->callback([&] { exit_code = RunCheck(check); });

  GetCommand get;
  get.addr = EnvOr("VNA_SEARCH_ADDR", "127.0.0.1:7604");
  auto* get_cmd = app.add_subcommand("get", "Show a stored document with its entities");
  get_cmd->add_option("--addr", get.addr, "search service host:port (env VNA_SEARCH_ADDR)")
      ->capture_default_str();
  get_cmd->add_flag("--json", get.json, "print one JSON object");
  get_cmd->add_option("doc_id", get.doc_id, "document id")->required();
  get_cmd->callback([&] { exit_code = RunGet(get); });

  StatusCommand status;
  status.addr = EnvOr("VNA_INGEST_ADDR", "127.0.0.1:7601");
  auto* status_cmd = app.add_subcommand("status", "Show which pipeline stage a document reached");
  status_cmd->add_option("--addr", status.addr, "ingest service host:port (env VNA_INGEST_ADDR)")
      ->capture_default_str();
  status_cmd->add_flag("--json", status.json, "print one JSON object");
  status_cmd->add_option("doc_id", status.doc_id, "document id")->required();
  status_cmd->callback([&] { exit_code = RunStatus(status); });

  HealthCommand health;
  auto* health_cmd = app.add_subcommand("health", "Check a server's grpc.health.v1 status");
  health_cmd->add_option("--addr", health.addr, "server host:port")->required();
  health_cmd->add_option("--service", health.service, "service name (default: whole server)");
  health_cmd->add_flag("--json", health.json, "print one JSON object");
  health_cmd->callback([&] { exit_code = RunHealth(health); });

  ReflectCommand reflect;
  auto* reflect_cmd =
      app.add_subcommand("reflect", "List a server's services and methods through reflection");
  reflect_cmd->add_option("--addr", reflect.addr, "server host:port")->required();
  reflect_cmd->add_flag("--json", reflect.json, "print one JSON object");
  reflect_cmd->callback([&] { exit_code = RunReflect(reflect); });

  NormalizeCommand normalize;
  normalize.path = "-";
  auto* normalize_cmd =
      app.add_subcommand("normalize", "Normalise a text file offline (no server needed)");
  normalize_cmd->add_flag("--json", normalize.json, "print the full result as JSON");
  normalize_cmd
      ->add_option("--style", normalize.style, "tone placement: traditional (default) or modern")
      ->check(CLI::IsMember({"traditional", "modern"}));
  normalize_cmd->add_option("--from", normalize.from,
                            "force the input encoding: utf-8, utf-16le, utf-16be, windows-1258, "
                            "tcvn3, vni, viscii, utf-8-mojibake (default: detect)");
  normalize_cmd->add_flag("--lenient", normalize.lenient,
                          "replace undecodable bytes with U+FFFD (counted) instead of failing");
  normalize_cmd->add_option("file", normalize.path, "file, or - for stdin")->capture_default_str();
  normalize_cmd->callback([&] { exit_code = RunNormalize(normalize); });

  ExtractCommand extract;
  auto* extract_cmd =
      app.add_subcommand("extract", "Find entities in text files offline (no server needed)");
  extract_cmd->add_flag("--json", extract.json, "print one JSON object per file");
  extract_cmd->add_option("files", extract.paths, "files, or - for stdin")->capture_default_str();
  extract_cmd->callback([&] { exit_code = RunExtract(extract); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : 2;
  }
  return exit_code;
}
