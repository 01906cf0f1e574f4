// `vnarchive ingest`: sends files through IngestService.IngestStream, shows
// progress on stderr as it goes (documents/s; accepted, near-duplicates,
// duplicates and errors by reason), backs off and resumes when the service
// is busy or away, can skip files already accepted (resume), and with --wait
// follows every accepted document until it is indexed or failed.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/grpc/status.h"
#include "common/text/utf8.h"
#include "services/cli/client_util.h"
#include "services/cli/commands.h"
#include "services/ingest/core/content_hash.h"
#include "services/normalize/core/decode.h"
#include "vnarchive/v1/ingest.grpc.pb.h"

namespace vnarchive {
namespace cli {
namespace {

namespace fs = std::filesystem;

struct FileResult {
  std::string path;
  std::string name;
  std::string doc_id;
  // accepted, duplicate, rejected, unreadable, skipped, indexed, failed
  std::string outcome;
  std::string error;
  std::string reason_code;   // why ingest rejected it ("empty", "undecodable", ...)
  bool duplicate = false;    // ingest answered DUPLICATE (the text was already accepted)
  std::string duplicate_of;  // for a duplicate or an accepted near-duplicate
  double similarity = 0;     // for an accepted near-duplicate
  std::string encoding;      // what ingest decoded the file from
  std::string content_type;  // how ingest read it: text/plain or text/html
  uint32_t boilerplate_removed = 0;  // lines ingest removed as boilerplate
};

// Resume: skip files whose text ingest already accepted. Read from
// VNA_INGEST_RESUME ("1", "true", "yes") until the CLI's option table offers
// --resume (see docs/ingest.md).
bool ResumeRequested() {
  const char* value = std::getenv("VNA_INGEST_RESUME");
  if (value == nullptr) return false;
  const std::string v = absl::AsciiStrToLower(value);
  return v == "1" || v == "true" || v == "yes";
}

// The content type sent for `path`: the --content-type value, or with "auto"
// text/html for *.html and *.htm (any case) and none (the service sniffs)
// for other files.
std::string ContentTypeFor(const IngestCommand& command, const std::string& path) {
  if (command.content_type != "auto") return command.content_type;
  std::string extension = fs::path(path).extension().string();
  for (char& c : extension) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  return extension == ".html" || extension == ".htm" ? "text/html" : "";
}

// The file's base name as valid UTF-8 (invalid bytes become U+FFFD): names
// travel in protobuf strings, which must be UTF-8.
std::string DisplayName(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  if (text::ValidateUtf8(name).ok()) return name;
  std::string repaired;
  for (size_t pos = 0; pos < name.size();) text::AppendUtf8(text::DecodeUtf8(name, &pos), &repaired);
  return repaired;
}

// Expands directories recursively (sorted, regular files only).
std::vector<std::string> ListFiles(const std::vector<std::string>& paths,
                                   std::vector<FileResult>* unreadable) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(path, error);
           !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        if (it->is_regular_file(error)) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, error)) {
      files.push_back(path);
    } else {
      FileResult& problem = unreadable->emplace_back();
      problem.path = path;
      problem.name = DisplayName(path);
      problem.outcome = "unreadable";
      problem.reason_code = "unreadable";
      problem.error = fs::exists(path, error) ? "not a regular file" : "no such file";
    }
  }
  return files;
}

// What has happened so far, for the progress line and the summary.
struct Tally {
  size_t answered = 0;  // files with an answer from ingest
  size_t accepted = 0;  // new documents and new versions
  size_t near = 0;      // of which near-duplicates of an earlier document
  size_t duplicates = 0;
  size_t skipped = 0;  // resume: already accepted, not sent
  std::map<std::string, size_t> errors;  // by reason

  size_t error_count() const {
    size_t n = 0;
    for (const auto& entry : errors) n += entry.second;
    return n;
  }
  // "empty 2, undecodable 1"
  std::string ErrorReasons() const {
    std::string out;
    for (const auto& [reason, count] : errors) {
      absl::StrAppend(&out, out.empty() ? "" : ", ", reason, " ", count);
    }
    return out;
  }
};

// Progress on stderr as the files go: a line rewritten in place on a
// terminal (every 100 ms), else a new line every 2 s and one at the end.
// Quiet with --json, whose output is for programs.
class Progress {
 public:
  Progress(const char* label, size_t total, bool enabled)
      : label_(label), total_(total), enabled_(enabled), tty_(isatty(STDERR_FILENO)),
        start_(absl::Now()) {}

  // `note` is shown after the counts (e.g. "busy: retrying in 1s").
  void Update(const Tally& tally, bool final = false, const std::string& note = "") {
    if (!enabled_) return;
    const absl::Time now = absl::Now();
    if (!final && now - last_ < (tty_ ? absl::Milliseconds(100) : absl::Seconds(2))) return;
    last_ = now;
    const double seconds = absl::ToDoubleSeconds(now - start_);
    const size_t done = tally.answered + tally.skipped;
    std::string line = absl::StrFormat(
        "%s %zu/%zu  %.1f docs/s  accepted %zu (near-duplicates %zu)  duplicates %zu", label_,
        done, total_, seconds > 0 ? tally.answered / seconds : 0.0, tally.accepted, tally.near,
        tally.duplicates);
    if (tally.skipped != 0) absl::StrAppend(&line, "  skipped ", tally.skipped);
    absl::StrAppend(&line, "  errors ", tally.error_count());
    if (!tally.errors.empty()) absl::StrAppend(&line, " (", tally.ErrorReasons(), ")");
    if (!note.empty()) absl::StrAppend(&line, "  [", note, "]");
    if (tty_) {
      std::fprintf(stderr, "\r%s\033[K%s", line.c_str(), final ? "\n" : "");
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    std::fflush(stderr);
  }

 private:
  const char* label_;
  size_t total_;
  bool enabled_;
  bool tty_;
  absl::Time start_;
  absl::Time last_ = absl::InfinitePast();
};

// Records one answer of ingest for `result`.
void RecordAnswer(const v1::IngestResponse& response, FileResult* result, Tally* tally) {
  ++tally->answered;
  result->doc_id = response.doc_id();
  result->encoding = response.encoding();
  result->content_type = response.content_type();
  result->boilerplate_removed = response.boilerplate_lines_removed();
  result->duplicate_of = response.duplicate_of();
  switch (response.outcome()) {
    case v1::IngestResponse::ACCEPTED:
      result->outcome = "accepted";
      result->similarity = response.similarity();
      ++tally->accepted;
      if (!response.duplicate_of().empty()) ++tally->near;
      break;
    case v1::IngestResponse::DUPLICATE:
      result->outcome = "duplicate";
      result->duplicate = true;
      ++tally->duplicates;
      break;
    default:
      result->outcome = "rejected";
      result->error = response.reason();
      result->reason_code = response.reason_code().empty() ? "rejected" : response.reason_code();
      ++tally->errors[result->reason_code];
  }
}

// Sends the files send[*next..] on one IngestStream; records each answer and
// advances `next`. Returns the status the stream ended with and the retry
// hint that came with it.
grpc::Status SendOnce(v1::IngestService::Stub& stub, const IngestCommand& command,
                      const std::vector<std::string>& files, const std::vector<size_t>& send,
                      size_t* next, std::vector<FileResult>* results, Tally* tally,
                      Progress* progress, std::optional<absl::Duration>* retry_hint) {
  grpc::ClientContext context;
  auto stream = stub.IngestStream(&context);
  const size_t first = *next;
  std::thread writer([&] {
    for (size_t k = first; k < send.size(); ++k) {
      const std::string& file = files[send[k]];
      v1::IngestRequest request;
      absl::StatusOr<std::string> text = ReadFileOrStdin(file);
      // An unreadable file is sent empty: the service rejects it in order,
      // which keeps requests and responses paired.
      if (text.ok()) request.set_text(*std::move(text));
      request.set_name(DisplayName(file));
      request.set_source(command.source);
      request.set_content_type(ContentTypeFor(command, file));
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  v1::IngestResponse response;
  while (*next < send.size() && stream->Read(&response)) {
    RecordAnswer(response, &(*results)[send[*next]], tally);
    ++*next;
    progress->Update(*tally);
  }
  // Read() failing means the server has finished the call (e.g. UNAVAILABLE
  // or RESOURCE_EXHAUSTED after some answers): the writer's next Write fails,
  // so it ends by itself, and Finish() reports the server's status. Cancelling
  // here would replace that status with CANCELLED and hide whether to retry.
  writer.join();
  grpc::Status status = stream->Finish();
  *retry_hint = RetryAfter(context);
  return status;
}

// Resume: marks as skipped every file whose text ingest has already accepted
// (the content hash, computed here as the service does, is the doc_id of a
// document sent without an id). Returns the indexes of the files to send.
// A file that cannot be read or decoded here is sent: the service decides.
std::vector<size_t> SkipAccepted(v1::IngestService::Stub& stub, const IngestCommand& command,
                                 const std::vector<std::string>& files,
                                 std::vector<FileResult>* results, Tally* tally) {
  // Candidate ids per file: with the content type left to the service, the
  // text may be read as either, so both hashes are asked about.
  std::vector<std::vector<std::string>> candidates(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    absl::StatusOr<std::string> bytes = ReadFileOrStdin(files[i]);
    if (!bytes.ok()) continue;
    absl::StatusOr<normalize::DecodeResult> decoded = normalize::Decode(*bytes, {});
    if (!decoded.ok()) continue;
    const std::string type = ContentTypeFor(command, files[i]);
    if (type.empty() || !absl::StartsWithIgnoreCase(type, "text/html")) {
      candidates[i].push_back(ingest::DocumentContentHash(decoded->utf8, /*html=*/false));
    }
    if (type.empty() || absl::StartsWithIgnoreCase(type, "text/html") ||
        absl::StartsWithIgnoreCase(type, "application/xhtml+xml")) {
      candidates[i].push_back(ingest::DocumentContentHash(decoded->utf8, /*html=*/true));
    }
  }
  // GetStatuses, at most 1,000 ids per call.
  std::map<std::string, std::string> accepted;  // doc_id -> its content hash, if live
  std::vector<std::string> ids;
  for (const auto& per_file : candidates) ids.insert(ids.end(), per_file.begin(), per_file.end());
  for (size_t begin = 0; begin < ids.size(); begin += 1000) {
    v1::GetStatusesRequest request;
    for (size_t k = begin; k < std::min(ids.size(), begin + 1000); ++k) request.add_doc_ids(ids[k]);
    v1::GetStatusesResponse response;
    grpc::ClientContext context;
    SetDeadline(&context, 30);
    const grpc::Status status = stub.GetStatuses(&context, request, &response);
    if (!status.ok()) {
      std::cerr << "vnarchive: resume: cannot ask which files were accepted ("
                << status.error_message() << "); sending every file\n";
      accepted.clear();
      break;
    }
    for (const v1::GetStatusResponse& s : response.statuses()) {
      if (s.stage() != v1::GetStatusResponse::STAGE_UNSPECIFIED &&
          s.stage() != v1::GetStatusResponse::FAILED) {
        accepted[s.doc_id()] = s.content_hash();
      }
    }
  }
  std::vector<size_t> send;
  for (size_t i = 0; i < files.size(); ++i) {
    std::optional<std::string> found;
    for (const std::string& id : candidates[i]) {
      auto hit = accepted.find(id);
      // The id is the hash; a caller-given id that happens to look like one
      // would carry another hash.
      if (hit != accepted.end() && hit->second == id) found = id;
    }
    if (!found.has_value()) {
      send.push_back(i);
      continue;
    }
    FileResult& result = (*results)[i];
    result.outcome = "skipped";
    result.doc_id = *found;
    ++tally->skipped;
  }
  return send;
}

// Polls GetStatus until every accepted document is indexed or failed.
void WaitForPipeline(v1::IngestService::Stub& stub, const IngestCommand& command,
                     std::vector<FileResult>* results, size_t* failed) {
  std::vector<FileResult*> waiting;
  for (FileResult& result : *results) {
    if (result.outcome == "accepted" || result.outcome == "duplicate" ||
        result.outcome == "skipped") {
      waiting.push_back(&result);
    }
  }
  const bool tty = isatty(STDERR_FILENO);
  const absl::Time deadline = absl::Now() + absl::Seconds(command.wait_timeout_s);
  size_t done = 0;
  absl::Duration pause = absl::Milliseconds(50);
  absl::Time shown = absl::InfinitePast();
  while (!waiting.empty() && absl::Now() < deadline) {
    std::vector<FileResult*> still;
    for (FileResult* result : waiting) {
      grpc::ClientContext context;
      SetDeadline(&context, 10);
      v1::GetStatusRequest request;
      request.set_doc_id(result->doc_id);
      v1::GetStatusResponse response;
      const grpc::Status status = stub.GetStatus(&context, request, &response);
      if (status.ok() && response.stage() == v1::GetStatusResponse::INDEXED) {
        result->outcome = "indexed";
        ++done;
      } else if (status.ok() && response.stage() == v1::GetStatusResponse::FAILED) {
        result->outcome = "failed";
        result->error = response.error();
        ++done;
        ++*failed;
      } else {
        still.push_back(result);
      }
    }
    waiting.swap(still);
    if (!command.json && tty && absl::Now() - shown > absl::Milliseconds(100)) {
      shown = absl::Now();
      std::fprintf(stderr, "\rindexing %zu/%zu\033[K", done, done + waiting.size());
    }
    if (!waiting.empty()) {
      absl::SleepFor(pause);
      pause = std::min(pause * 2, absl::Milliseconds(500));
    }
  }
  if (!command.json && tty) std::fprintf(stderr, "\n");
  for (FileResult* result : waiting) {
    result->outcome = "failed";
    result->error = "not indexed before --wait-timeout";
    ++*failed;
  }
}

}  // namespace

int RunIngest(const IngestCommand& command) {
  std::vector<FileResult> problems;
  const std::vector<std::string> files = ListFiles(command.paths, &problems);
  std::vector<FileResult> results(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    results[i].path = files[i];
    results[i].name = DisplayName(files[i]);
  }

  auto stub = v1::IngestService::NewStub(MakeChannel(command.addr));
  const absl::Time start = absl::Now();
  Tally tally;
  for (const FileResult& problem : problems) ++tally.errors[problem.reason_code];
  std::vector<size_t> send;
  if (command.resume || ResumeRequested()) {
    send = SkipAccepted(*stub, command, files, &results, &tally);
  } else {
    for (size_t i = 0; i < files.size(); ++i) send.push_back(i);
  }
  Progress progress("ingest", files.size(), !command.json);
  size_t next = 0;
  absl::Duration backoff = absl::Milliseconds(200);
  absl::Time unavailable_since = absl::InfiniteFuture();
  while (next < send.size()) {
    const size_t before = next;
    std::optional<absl::Duration> hint;
    const grpc::Status status =
        SendOnce(*stub, command, files, send, &next, &results, &tally, &progress, &hint);
    if (next == send.size()) break;
    const bool busy = status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED;
    const bool away = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                      (status.ok() && next < send.size());
    if (!busy && !away) {
      progress.Update(tally, /*final=*/true);
      return ReportRpcError("ingest", status, command.json);
    }
    if (next > before) {
      backoff = absl::Milliseconds(200);
      unavailable_since = absl::InfiniteFuture();
    }
    if (away) {
      unavailable_since = std::min(unavailable_since, absl::Now());
      // The service may be restarting; give up only after a minute without progress.
      if (absl::Now() - unavailable_since > absl::Seconds(60)) {
        progress.Update(tally, /*final=*/true);
        return ReportRpcError("ingest", status, command.json);
      }
    }
    // Busy: the pipeline is backed up; wait as the service asks, then send
    // the rest (answered documents are never sent again).
    const absl::Duration wait = busy && hint.has_value() ? *hint : backoff;
    progress.Update(tally, /*final=*/false,
                    absl::StrCat(busy ? "busy" : "unavailable", ": retrying in ",
                                 absl::FormatDuration(wait)));
    absl::SleepFor(wait);
    if (!busy || !hint.has_value()) backoff = std::min(backoff * 2, absl::Seconds(5));
  }
  const double send_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  progress.Update(tally, /*final=*/true);

  size_t failed = tally.error_count();
  if (command.wait) WaitForPipeline(*stub, command, &results, &failed);
  results.insert(results.end(), problems.begin(), problems.end());

  size_t indexed = 0;
  for (const FileResult& result : results) {
    if (result.outcome == "indexed") ++indexed;
  }
  const double rate = send_seconds > 0 ? tally.answered / send_seconds : 0.0;
  if (command.json) {
    std::string errors;
    for (const auto& [reason, count] : tally.errors) {
      absl::StrAppend(&errors, errors.empty() ? "" : ",", JsonString(reason), ":", count);
    }
    std::string out = absl::StrCat(
        "{\"files\":", results.size(), ",\"accepted\":", tally.accepted,
        ",\"near_duplicate\":", tally.near, ",\"duplicate\":", tally.duplicates,
        ",\"skipped\":", tally.skipped, ",\"indexed\":", indexed, ",\"failed\":", failed,
        ",\"errors\":{", errors, "},\"seconds\":", absl::StrFormat("%.3f", send_seconds),
        ",\"documents\":[");
    for (size_t i = 0; i < results.size(); ++i) {
      const FileResult& r = results[i];
      absl::StrAppend(&out, i ? "," : "", "{\"name\":", JsonString(r.name),
                      ",\"path\":", JsonString(r.path), ",\"doc_id\":", JsonString(r.doc_id),
                      ",\"outcome\":", JsonString(r.outcome));
      if (!r.duplicate_of.empty()) {
        absl::StrAppend(&out, ",\"duplicate_of\":", JsonString(r.duplicate_of));
      }
      if (r.similarity > 0) absl::StrAppend(&out, ",\"similarity\":", r.similarity);
      if (!r.encoding.empty()) absl::StrAppend(&out, ",\"encoding\":", JsonString(r.encoding));
      if (!r.content_type.empty()) {
        absl::StrAppend(&out, ",\"content_type\":", JsonString(r.content_type),
                        ",\"boilerplate_removed\":", r.boilerplate_removed);
      }
      if (!r.reason_code.empty()) absl::StrAppend(&out, ",\"reason\":", JsonString(r.reason_code));
      if (!r.error.empty()) absl::StrAppend(&out, ",\"error\":", JsonString(r.error));
      out += "}";
    }
    std::cout << out << "]}\n";
  } else {
    for (const FileResult& r : results) {
      if (!r.error.empty()) std::cerr << "vnarchive: " << r.path << ": " << r.error << "\n";
    }
    std::string skipped = tally.skipped == 0 ? "" : absl::StrCat(", ", tally.skipped, " skipped");
    std::cout << absl::StrFormat(
        "%zu files: %zu accepted (%zu near-duplicates), %zu duplicate%s, %zu failed in %.2fs "
        "(%.1f docs/s)%s\n",
        results.size(), tally.accepted, tally.near, tally.duplicates, skipped, failed,
        send_seconds, rate, command.wait ? absl::StrCat("; ", indexed, " indexed") : std::string());
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace cli
}  // namespace vnarchive
