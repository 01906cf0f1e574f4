// `vnarchive index --db` and `vnarchive search --db`: the whole pipeline and
// the search index in-process on one database file, with no server and no
// Redis (DESIGN.md §1, embedded mode).
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/cli/client_util.h"
#include "services/cli/commands.h"
#include "services/cli/embedded.h"
#include "services/cli/input_files.h"
#include "services/normalize/core/tone.h"
#include "services/pipeline/core/archive.h"
#include "services/pipeline/core/pipeline.h"
#include "services/search/core/index.h"
#include "services/search/rpc/convert.h"

namespace vnarchive {
namespace cli {
namespace {

namespace fs = std::filesystem;

// Exit code when the database cannot be used at all (like an unreachable
// server): nothing was done.
constexpr int kCannotOpen = 2;

absl::StatusOr<normalize::ToneStyle> ToneStyleOption(const std::string& value) {
  if (value.empty()) return normalize::ToneStyle::kTraditional;
  return normalize::ParseToneStyle(value);
}

// Adds what to do next to the errors a user meets first.
absl::Status ExplainOpenError(const absl::Status& status, const std::string& db) {
  if (absl::IsNotFound(status)) {
    return absl::NotFoundError(absl::StrCat(
        status.message(), " (create one with: vnarchive index --db ", db, " PATH...)"));
  }
  return status;
}

absl::StatusOr<std::unique_ptr<search::SearchIndex>> OpenDatabase(const std::string& db,
                                                                  normalize::ToneStyle style,
                                                                  pipeline::ArchiveMode mode) {
  search::IndexOptions options;
  options.path = db;
  options.tone_style = style;
  // No fsync per batch: WAL keeps the file consistent through a crash, and
  // the batches a crash loses are written again by running the same
  // (idempotent) index command. The search worker needs durable commits
  // because it acks stream entries after them; nothing here is acked.
  options.durable_commits = false;
  absl::StatusOr<std::unique_ptr<search::SearchIndex>> index = pipeline::OpenArchive(options, mode);
  if (!index.ok()) return ExplainOpenError(index.status(), db);
  return index;
}

struct FileResult {
  std::string path;
  std::string name;
  std::string doc_id;
  // indexed, duplicate, rejected (the pipeline refused it), unreadable,
  // failed (the database refused it)
  std::string outcome;
  std::string error;
  std::string encoding;
  std::string content_type;
};

// The database's own files, when it sits inside a directory being indexed:
// they are skipped, not read as documents.
std::vector<std::string> DatabaseFiles(const std::string& db) {
  std::error_code error;
  const std::string base = fs::weakly_canonical(db, error).string();
  if (error) return {};
  return {base, base + "-wal", base + "-shm", base + "-journal"};
}

bool IsDatabaseFile(const std::vector<std::string>& database_files, const std::string& path) {
  std::error_code error;
  const std::string canonical = fs::weakly_canonical(path, error).string();
  return !error &&
         std::find(database_files.begin(), database_files.end(), canonical) != database_files.end();
}

bool IsError(const FileResult& result) {
  return result.outcome != "indexed" && result.outcome != "duplicate";
}

// Reads `path` unless it is larger than ingest would accept anyway.
absl::StatusOr<std::string> ReadInput(const std::string& path, size_t max_bytes) {
  std::error_code error;
  const uintmax_t size = fs::file_size(path, error);
  if (!error && size > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("document is ", size, " bytes; the limit is ", max_bytes));
  }
  return ReadFileOrStdin(path);
}

void PrintIndexJson(const IndexCommand& command, const std::vector<FileResult>& results,
                    size_t indexed, size_t duplicates, size_t errors, double seconds, double rate,
                    int64_t stored) {
  std::string out =
      absl::StrCat("{\"db\":", JsonString(command.db), ",\"files\":", results.size(),
                   ",\"indexed\":", indexed, ",\"duplicate\":", duplicates, ",\"errors\":", errors,
                   ",\"seconds\":", absl::StrFormat("%.3f", seconds),
                   ",\"docs_per_second\":", absl::StrFormat("%.1f", rate));
  if (stored >= 0) absl::StrAppend(&out, ",\"documents_in_db\":", stored);
  out += ",\"documents\":[";
  for (size_t i = 0; i < results.size(); ++i) {
    const FileResult& r = results[i];
    absl::StrAppend(&out, i ? "," : "", "{\"name\":", JsonString(r.name),
                    ",\"path\":", JsonString(r.path));
    if (!r.doc_id.empty()) absl::StrAppend(&out, ",\"doc_id\":", JsonString(r.doc_id));
    absl::StrAppend(&out, ",\"outcome\":", JsonString(r.outcome));
    if (!r.error.empty()) absl::StrAppend(&out, ",\"error\":", JsonString(r.error));
    if (!r.encoding.empty()) absl::StrAppend(&out, ",\"encoding\":", JsonString(r.encoding));
    if (!r.content_type.empty()) {
      absl::StrAppend(&out, ",\"content_type\":", JsonString(r.content_type));
    }
    out += "}";
  }
  std::cout << out << "]}\n";
}

}  // namespace

int RunIndex(const IndexCommand& command) {
  absl::StatusOr<normalize::ToneStyle> style = ToneStyleOption(command.tone_style);
  if (!style.ok()) return ReportStatusError("index", style.status(), command.json, kCannotOpen);
  absl::StatusOr<std::unique_ptr<search::SearchIndex>> index =
      OpenDatabase(command.db, *style, pipeline::ArchiveMode::kCreateIfMissing);
  if (!index.ok()) return ReportStatusError("index", index.status(), command.json, kCannotOpen);
  pipeline::PipelineOptions options;
  options.tone_style = *style;
  const pipeline::DocumentPipeline pipeline(options);
  pipeline::ArchiveWriter writer(index->get(), pipeline::ArchiveWriterOptions{});

  // A long run shows each problem when it happens, not only at the end.
  const auto fail = [&command](FileResult& result, absl::string_view outcome,
                               absl::string_view error) {
    result.outcome = std::string(outcome);
    result.error = std::string(error);
    if (!command.json) {
      std::cerr << "vnarchive: index: " << result.path << ": " << outcome << ": " << error << "\n";
    }
  };
  const absl::Time start = absl::Now();
  std::vector<InputProblem> problems;
  std::vector<std::string> files = ListInputFiles(command.paths, &problems);
  const std::vector<std::string> database_files = DatabaseFiles(command.db);
  files.erase(
      std::remove_if(files.begin(), files.end(),
                     [&](const std::string& path) { return IsDatabaseFile(database_files, path); }),
      files.end());
  std::vector<FileResult> results;
  results.reserve(files.size() + problems.size());
  for (const InputProblem& problem : problems) {
    FileResult& result = results.emplace_back();
    result.path = problem.path;
    result.name = DisplayName(problem.path);
    fail(result, "unreadable", problem.error);
  }
  for (const std::string& path : files) {
    FileResult& result = results.emplace_back();
    result.path = path;
    result.name = DisplayName(path);
    absl::StatusOr<std::string> bytes = ReadInput(path, options.ingest.max_document_bytes);
    if (!bytes.ok()) {
      fail(result, absl::IsInvalidArgument(bytes.status()) ? "rejected" : "unreadable",
           bytes.status().message());
      continue;
    }
    pipeline::PipelineInput input;
    input.bytes = *std::move(bytes);
    input.name = result.name;
    input.content_type = ContentTypeForPath(command.content_type, path);
    input.source = command.source;
    absl::StatusOr<pipeline::PipelineOutput> processed = pipeline.Process(input);
    if (!processed.ok()) {
      fail(result, "rejected", processed.status().message());
      continue;
    }
    result.doc_id = processed->document.doc_id;
    result.encoding = processed->encoding;
    result.content_type = std::string(ingest::ContentTypeName(processed->content_type));
    absl::StatusOr<pipeline::ArchiveWriter::Outcome> added =
        writer.Add(std::move(processed->document), results.size() - 1);
    if (!added.ok()) {
      fail(result, "failed", added.status().message());
      continue;
    }
    // "indexed" becomes "failed" below if its batch cannot be committed.
    result.outcome =
        *added == pipeline::ArchiveWriter::Outcome::kDuplicate ? "duplicate" : "indexed";
  }
  writer.Flush().IgnoreError();  // per-document failures are read just below
  for (const pipeline::ArchiveWriter::Failure& failure : writer.failures()) {
    fail(results[failure.tag], "failed", failure.status.message());
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);

  size_t indexed = 0, duplicates = 0, errors = 0;
  for (const FileResult& result : results) {
    if (result.outcome == "indexed") ++indexed;
    if (result.outcome == "duplicate") ++duplicates;
    if (IsError(result)) ++errors;
  }
  const size_t processed = results.size() - problems.size();
  const double rate = seconds > 0 ? processed / seconds : 0;
  absl::StatusOr<search::IndexStats> stats = (*index)->Stats();
  const int64_t stored = stats.ok() ? stats->documents : -1;

  if (command.json) {
    PrintIndexJson(command, results, indexed, duplicates, errors, seconds, rate, stored);
  } else {
    std::cout << absl::StrFormat("%d %s: %d indexed, %d %s skipped, %d %s (%.2f s, %.1f docs/s)",
                                 results.size(), results.size() == 1 ? "file" : "files", indexed,
                                 duplicates, duplicates == 1 ? "duplicate" : "duplicates", errors,
                                 errors == 1 ? "error" : "errors", seconds, rate);
    if (stored >= 0) {
      std::cout << absl::StrFormat("; %s holds %d %s", command.db, stored,
                                   stored == 1 ? "document" : "documents");
    }
    std::cout << "\n";
  }
  return errors == 0 ? 0 : 1;
}

int SearchArchive(const SearchCommand& command, const v1::SearchRequest& request,
                  v1::SearchResponse* response) {
  absl::StatusOr<normalize::ToneStyle> style = ToneStyleOption(command.tone_style);
  if (!style.ok()) return ReportStatusError("search", style.status(), command.json, kCannotOpen);
  absl::StatusOr<std::unique_ptr<search::SearchIndex>> index =
      OpenDatabase(command.db, *style, pipeline::ArchiveMode::kMustExist);
  if (!index.ok()) return ReportStatusError("search", index.status(), command.json, kCannotOpen);
  absl::StatusOr<search::SearchResult> result = (*index)->Search(search::ToSearchQuery(request));
  if (!result.ok()) return ReportStatusError("search", result.status(), command.json, 1);
  search::ToSearchResponse(*result, response);
  return 0;
}

int RunCheck(const CheckCommand& command) {
  // The tone style only shapes queries; checking reads none.
  absl::StatusOr<std::unique_ptr<search::SearchIndex>> index = OpenDatabase(
      command.db, normalize::ToneStyle::kTraditional, pipeline::ArchiveMode::kMustExist);
  if (!index.ok()) return ReportStatusError("check", index.status(), command.json, kCannotOpen);
  absl::StatusOr<search::IntegrityReport> report = (*index)->CheckIntegrity();
  if (!report.ok()) return ReportStatusError("check", report.status(), command.json, kCannotOpen);
  if (command.json) {
    std::vector<std::string> problems;
    for (const std::string& problem : report->problems) problems.push_back(JsonString(problem));
    std::cout << absl::StrFormat(R"({"db":%s,"ok":%s,"documents":%d,"problems":[%s]})",
                                 JsonString(command.db), report->ok() ? "true" : "false",
                                 report->documents, absl::StrJoin(problems, ","))
              << "\n";
  } else if (report->ok()) {
    std::cout << absl::StrFormat("%s: ok (%d %s)\n", command.db, report->documents,
                                 report->documents == 1 ? "document" : "documents");
  } else {
    for (const std::string& problem : report->problems) {
      std::cout << command.db << ": " << problem << "\n";
    }
  }
  return report->ok() ? 0 : 1;
}

}  // namespace cli
}  // namespace vnarchive
