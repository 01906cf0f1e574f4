// `vnarchive ingest`: sends files through IngestService.IngestStream, backs
// off and resumes when the service is busy, and with --wait follows every
// accepted document until it is indexed or failed.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/text/utf8.h"
#include "services/cli/client_util.h"
#include "services/cli/commands.h"
#include "vnarchive/v1/ingest.grpc.pb.h"

namespace vnarchive {
namespace cli {
namespace {

namespace fs = std::filesystem;

struct FileResult {
  std::string path;
  std::string name;
  std::string doc_id;
  std::string outcome;  // accepted, duplicate, rejected, unreadable, indexed, failed
  std::string error;
  bool duplicate = false;  // ingest answered DUPLICATE (the text was already accepted)
  std::string encoding;    // what ingest decoded the file from
  std::string content_type;  // how ingest read it: text/plain or text/html
  uint32_t boilerplate_removed = 0;  // lines ingest removed as boilerplate
};

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
      problem.error = fs::exists(path, error) ? "not a regular file" : "no such file";
    }
  }
  return files;
}

// A one-line progress bar on stderr, only when stderr is a terminal.
class Progress {
 public:
  Progress(const char* label, size_t total, bool enabled)
      : label_(label), total_(total), enabled_(enabled && isatty(STDERR_FILENO)),
        start_(absl::Now()) {}
  void Update(size_t done, size_t failed) {
    if (!enabled_) return;
    const absl::Time now = absl::Now();
    if (done != total_ && now - last_ < absl::Milliseconds(100)) return;
    last_ = now;
    const int width = 30;
    const int filled = total_ == 0 ? width : static_cast<int>(width * done / total_);
    const double seconds = absl::ToDoubleSeconds(now - start_);
    std::fprintf(stderr, "\r%-8s [%s%s] %zu/%zu  %.1f docs/s  %zu failed ", label_,
                 std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), done,
                 total_, seconds > 0 ? done / seconds : 0.0, failed);
    if (done == total_) std::fprintf(stderr, "\n");
  }

 private:
  const char* label_;
  size_t total_;
  bool enabled_;
  absl::Time start_;
  absl::Time last_ = absl::InfinitePast();
};

// Sends files[next..] on one IngestStream; records each answer and advances
// `next`. Returns the status the stream ended with.
grpc::Status SendOnce(v1::IngestService::Stub& stub, const IngestCommand& command,
                      const std::vector<std::string>& files, size_t* next,
                      std::vector<FileResult>* results, Progress* progress, size_t* failed) {
  grpc::ClientContext context;
  auto stream = stub.IngestStream(&context);
  const size_t first = *next;
  std::thread writer([&] {
    for (size_t i = first; i < files.size(); ++i) {
      v1::IngestRequest request;
      absl::StatusOr<std::string> text = ReadFileOrStdin(files[i]);
      // An unreadable file is sent empty: the service rejects it in order,
      // which keeps requests and responses paired.
      if (text.ok()) request.set_text(*std::move(text));
      request.set_name(DisplayName(files[i]));
      request.set_source(command.source);
      request.set_content_type(ContentTypeFor(command, files[i]));
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  v1::IngestResponse response;
  while (*next < files.size() && stream->Read(&response)) {
    FileResult& result = (*results)[*next];
    result.doc_id = response.doc_id();
    result.encoding = response.encoding();
    result.content_type = response.content_type();
    result.boilerplate_removed = response.boilerplate_lines_removed();
    switch (response.outcome()) {
      case v1::IngestResponse::ACCEPTED: result.outcome = "accepted"; break;
      case v1::IngestResponse::DUPLICATE:
        result.outcome = "duplicate";
        result.duplicate = true;
        break;
      default:
        result.outcome = "rejected";
        result.error = response.reason();
        ++*failed;
    }
    ++*next;
    progress->Update(*next, *failed);
  }
  // Read() failing means the server has finished the call (e.g. UNAVAILABLE
  // or RESOURCE_EXHAUSTED after some answers): the writer's next Write fails,
  // so it ends by itself, and Finish() reports the server's status. Cancelling
  // here would replace that status with CANCELLED and hide whether to retry.
  writer.join();
  return stream->Finish();
}

// Polls GetStatus until every accepted document is indexed or failed.
void WaitForPipeline(v1::IngestService::Stub& stub, const IngestCommand& command,
                     std::vector<FileResult>* results, size_t* failed) {
  std::vector<FileResult*> waiting;
  for (FileResult& result : *results) {
    if (result.outcome == "accepted" || result.outcome == "duplicate") waiting.push_back(&result);
  }
  Progress progress("indexing", waiting.size(), !command.json);
  const absl::Time deadline = absl::Now() + absl::Seconds(command.wait_timeout_s);
  size_t done = 0;
  absl::Duration pause = absl::Milliseconds(50);
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
    progress.Update(done, *failed);
    if (!waiting.empty()) {
      absl::SleepFor(pause);
      pause = std::min(pause * 2, absl::Milliseconds(500));
    }
  }
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
  size_t next = 0;
  size_t failed = problems.size();
  Progress progress("ingest", files.size(), !command.json);
  absl::Duration backoff = absl::Milliseconds(200);
  absl::Time unavailable_since = absl::InfiniteFuture();
  while (next < files.size()) {
    const size_t before = next;
    const grpc::Status status = SendOnce(*stub, command, files, &next, &results, &progress, &failed);
    if (next == files.size()) break;
    const bool busy = status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED;
    const bool away = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                      (status.ok() && next < files.size());
    if (!busy && !away) return ReportRpcError("ingest", status, command.json);
    if (next > before) {
      backoff = absl::Milliseconds(200);
      unavailable_since = absl::InfiniteFuture();
    }
    if (away) {
      unavailable_since = std::min(unavailable_since, absl::Now());
      // The service may be restarting; give up only after a minute without progress.
      if (absl::Now() - unavailable_since > absl::Seconds(60)) {
        return ReportRpcError("ingest", status, command.json);
      }
    }
    absl::SleepFor(backoff);  // busy: the pipeline is backed up; retry the rest
    backoff = std::min(backoff * 2, absl::Seconds(5));
  }
  const double send_seconds = absl::ToDoubleSeconds(absl::Now() - start);

  if (command.wait) WaitForPipeline(*stub, command, &results, &failed);
  results.insert(results.end(), problems.begin(), problems.end());

  size_t accepted = 0, duplicate = 0, indexed = 0;
  for (const FileResult& result : results) {
    if (result.duplicate) ++duplicate;
    if (!result.duplicate && (result.outcome == "accepted" || result.outcome == "indexed" ||
                              (result.outcome == "failed" && !result.doc_id.empty()))) {
      ++accepted;
    }
    if (result.outcome == "indexed") ++indexed;
  }
  const double rate = send_seconds > 0 ? files.size() / send_seconds : 0.0;
  if (command.json) {
    std::string out = absl::StrCat("{\"files\":", results.size(), ",\"accepted\":",
                                   accepted, ",\"duplicate\":", duplicate,
                                   ",\"indexed\":", indexed, ",\"failed\":", failed,
                                   ",\"seconds\":", absl::StrFormat("%.3f", send_seconds),
                                   ",\"documents\":[");
    for (size_t i = 0; i < results.size(); ++i) {
      const FileResult& r = results[i];
      absl::StrAppend(&out, i ? "," : "", "{\"name\":", JsonString(r.name),
                      ",\"path\":", JsonString(r.path), ",\"doc_id\":", JsonString(r.doc_id),
                      ",\"outcome\":", JsonString(r.outcome));
      if (!r.encoding.empty()) absl::StrAppend(&out, ",\"encoding\":", JsonString(r.encoding));
      if (!r.content_type.empty()) {
        absl::StrAppend(&out, ",\"content_type\":", JsonString(r.content_type),
                        ",\"boilerplate_removed\":", r.boilerplate_removed);
      }
      if (!r.error.empty()) absl::StrAppend(&out, ",\"error\":", JsonString(r.error));
      out += "}";
    }
    std::cout << out << "]}\n";
  } else {
    for (const FileResult& r : results) {
      if (!r.error.empty()) std::cerr << "vnarchive: " << r.path << ": " << r.error << "\n";
    }
    std::cout << absl::StrFormat(
        "%zu files: %zu accepted, %zu duplicate, %zu failed in %.2fs (%.1f docs/s)%s\n",
        results.size(), accepted, duplicate, failed, send_seconds, rate,
        command.wait ? absl::StrCat("; ", indexed, " indexed") : std::string());
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace cli
}  // namespace vnarchive
