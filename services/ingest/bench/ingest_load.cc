// vna_ingest_load: the ingest load generator. Streams N article-sized
// documents through IngestService.IngestStream (BulkIngest: in order, with
// back-off and resend on RESOURCE_EXHAUSTED / UNAVAILABLE) and reports
// documents/s and MB/s with the outcomes, per run and the median of the runs.
//
//   vna_ingest_load [--corpus FILE] [--docs 20000] [--runs 3] [--streams 1]
//                   [--addr HOST:PORT] [--ingest_binary PATH] [--doc_bytes 3000]
//
// Without --addr it starts its own redis-server (TCP, loopback) and
// vnarchive-ingest for every run, so each run ingests into empty storage.
// With --addr it drives a running service; documents then get a line naming
// the run, so a second run is not refused as duplicates of the first (it is
// still near-duplicates of it, which costs the service a little more).
//
// Documents: FILE (plain UTF-8 text, e.g. the VNTC articles extracted with
// jq, see docs/benchmarks.md) cut at line ends into pieces of about
// --doc_bytes; without --corpus, generated Vietnamese prose cut the same way.
// When FILE holds fewer than N pieces they are reused with a numbered line
// added (the service sees near-duplicates then), and the program says so.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/ingest/client/bulk_ingest.h"
#include "services/ingest/testing/ingest_process.h"
#include "tests/testing/benchmark_corpus.h"
#include "tests/testing/generated_text.h"
#include "tests/testing/redis_server.h"
#include "vnarchive/v1/ingest.grpc.pb.h"

ABSL_FLAG(std::string, addr, "", "Ingest service to drive; empty: start redis-server and "
                                 "vnarchive-ingest for each run.");
ABSL_FLAG(std::string, ingest_binary, VNA_INGEST_BINARY, "vnarchive-ingest to start.");
ABSL_FLAG(std::string, ingest_flags, "",
          "Extra flags for the started vnarchive-ingest, comma-separated.");
ABSL_FLAG(int, docs, 20000, "Documents per run.");
ABSL_FLAG(int, doc_bytes, 3000, "Approximate size of a document, bytes.");
ABSL_FLAG(int, runs, 3, "Runs; the median is reported.");
ABSL_FLAG(int, streams, 1, "Concurrent IngestStreams (the documents are split among them).");
ABSL_FLAG(int64_t, high_water, 10000000, "--high_water of the started service.");

namespace vnarchive {
namespace ingest {
namespace {

struct RunResult {
  double seconds = 0;
  double docs_per_second = 0;
  double megabytes_per_second = 0;
  int64_t accepted = 0, near = 0, duplicates = 0, busy = 0, unavailable = 0;
  std::map<std::string, int64_t> rejected;
  uint64_t admit_batches = 0;
  std::string error;
};

std::vector<std::string> MakeDocuments(const char* corpus, int count, int doc_bytes) {
  // Generated paragraphs run past --doc_bytes before a line ends: twice the
  // bytes leave enough pieces.
  const std::string text = testutil::ReadCorpus(corpus, [&] {
    return testutil::GenerateVietnameseProse(2 * (static_cast<size_t>(count) + 1) * doc_bytes);
  });
  std::vector<std::string> pieces = testutil::SplitIntoDocuments(text, doc_bytes);
  if (pieces.empty()) pieces.push_back("Văn bản trống.");
  std::vector<std::string> documents;
  documents.reserve(count);
  for (int i = 0; i < count; ++i) {
    if (static_cast<size_t>(i) < pieces.size()) {
      documents.push_back(pieces[i]);
    } else {
      documents.push_back(absl::StrCat(pieces[i % pieces.size()], "\nBản lưu số ", i, ".\n"));
    }
  }
  if (pieces.size() < static_cast<size_t>(count)) {
    std::fprintf(stderr,
                 "note: the corpus has %zu pieces of ~%d bytes; %d documents reuse them with a "
                 "numbered line (near-duplicates for the service)\n",
                 pieces.size(), doc_bytes, count - static_cast<int>(pieces.size()));
  }
  return documents;
}

RunResult RunOnce(const std::string& addr, const std::vector<std::string>& documents,
                  const std::string& run_marker, int streams) {
  RunResult result;
  std::vector<std::vector<v1::IngestRequest>> slices(streams);
  size_t bytes = 0;
  for (size_t i = 0; i < documents.size(); ++i) {
    v1::IngestRequest request;
    request.set_text(run_marker.empty() ? documents[i]
                                        : absl::StrCat(run_marker, "\n", documents[i]));
    request.set_name(absl::StrCat("load-", i, ".txt"));
    request.set_source("vna_ingest_load");
    bytes += request.text().size();
    slices[i * streams / documents.size()].push_back(std::move(request));
  }
  std::vector<absl::StatusOr<BulkIngestReport>> reports(streams, absl::UnknownError("not run"));
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int s = 0; s < streams; ++s) {
    threads.emplace_back([&, s] {
      // A channel each, so that streams do not share one HTTP/2 connection.
      grpc::ChannelArguments args;
      args.SetInt("vna.load.stream", s);
      args.SetMaxReceiveMessageSize(64 << 20);
      auto stub = v1::IngestService::NewStub(
          grpc::CreateCustomChannel(addr, grpc::InsecureChannelCredentials(), args));
      reports[s] = BulkIngest(*stub, slices[s]);
    });
  }
  for (std::thread& thread : threads) thread.join();
  result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  for (const auto& report : reports) {
    if (!report.ok()) {
      result.error = report.status().ToString();
      return result;
    }
    result.busy += report->busy;
    result.unavailable += report->unavailable;
    for (const v1::IngestResponse& response : report->responses) {
      switch (response.outcome()) {
        case v1::IngestResponse::ACCEPTED:
          ++result.accepted;
          if (!response.duplicate_of().empty()) ++result.near;
          break;
        case v1::IngestResponse::DUPLICATE:
          ++result.duplicates;
          break;
        default:
          ++result.rejected[response.reason_code().empty() ? "?" : response.reason_code()];
      }
    }
  }
  result.docs_per_second = documents.size() / result.seconds;
  result.megabytes_per_second = bytes / result.seconds / 1e6;
  auto stub = v1::IngestService::NewStub(
      grpc::CreateChannel(addr, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  v1::IngestStatsResponse stats;
  if (stub->Stats(&context, v1::IngestStatsRequest(), &stats).ok()) {
    result.admit_batches = stats.admit_batches();
  }
  return result;
}

std::string Describe(const RunResult& r) {
  std::string reasons;
  int64_t rejected = 0;
  for (const auto& [reason, count] : r.rejected) {
    absl::StrAppend(&reasons, " ", reason, "=", count);
    rejected += count;
  }
  return absl::StrFormat(
      "%6.0f docs/s %6.2f MB/s %6.2fs  accepted %d (near-duplicates %d)  duplicates %d  "
      "rejected %d%s  busy %d  unavailable %d  admit batches %d",
      r.docs_per_second, r.megabytes_per_second, r.seconds, r.accepted, r.near, r.duplicates,
      rejected, reasons, r.busy, r.unavailable, r.admit_batches);
}

int Main(int argc, char** argv) {
  const char* corpus = testutil::TakeCorpusFlag(&argc, argv);
  absl::ParseCommandLine(argc, argv);
  const int count = absl::GetFlag(FLAGS_docs);
  const int runs = absl::GetFlag(FLAGS_runs);
  const int streams = absl::GetFlag(FLAGS_streams);
  if (count < 1 || runs < 1 || streams < 1 || streams > count) {
    std::fprintf(stderr, "--docs, --runs and --streams must be positive, --streams <= --docs\n");
    return 2;
  }
  const std::vector<std::string> documents =
      MakeDocuments(corpus, count, absl::GetFlag(FLAGS_doc_bytes));
  size_t bytes = 0;
  for (const std::string& d : documents) bytes += d.size();
  std::printf("documents: %d, %.1f MB (%.0f bytes each), %d stream(s), %d run(s)\n", count,
              bytes / 1e6, static_cast<double>(bytes) / count, streams, runs);

  std::vector<RunResult> results;
  for (int run = 0; run < runs; ++run) {
    std::string addr = absl::GetFlag(FLAGS_addr);
    std::unique_ptr<testutil::TestRedisServer> redis;
    std::unique_ptr<IngestProcess> ingest;
    std::string marker;
    if (addr.empty()) {
      testutil::TestRedisServerOptions redis_options;
      redis_options.unix_socket = false;  // loopback TCP, as deployed
      auto started = testutil::TestRedisServer::Start(redis_options);
      if (!started.ok()) {
        std::fprintf(stderr, "cannot start redis-server: %s\n",
                     started.status().ToString().c_str());
        return 1;
      }
      redis = *std::move(started);
      IngestProcessOptions options;
      options.binary = absl::GetFlag(FLAGS_ingest_binary);
      options.log_path = redis->dir() + "/ingest.log";
      options.flags = {"--redis=" + redis->address(),
                       absl::StrCat("--high_water=", absl::GetFlag(FLAGS_high_water))};
      for (absl::string_view flag :
           absl::StrSplit(absl::GetFlag(FLAGS_ingest_flags), ',', absl::SkipEmpty())) {
        options.flags.emplace_back(flag);
      }
      auto process = IngestProcess::Start(options);
      if (!process.ok()) {
        std::fprintf(stderr, "cannot start ingest: %s\n", process.status().ToString().c_str());
        return 1;
      }
      ingest = *std::move(process);
      addr = ingest->address();
    } else {
      marker = absl::StrCat("Lô tải thử ", absl::ToUnixMillis(absl::Now()), "-", run, ".");
    }
    RunResult result = RunOnce(addr, documents, marker, streams);
    if (!result.error.empty()) {
      std::fprintf(stderr, "run %d failed: %s\n", run + 1, result.error.c_str());
      if (ingest != nullptr) std::fprintf(stderr, "%s\n", ingest->LogTail().c_str());
      return 1;
    }
    std::printf("run %d: %s\n", run + 1, Describe(result).c_str());
    std::fflush(stdout);
    results.push_back(result);
  }
  std::sort(results.begin(), results.end(), [](const RunResult& a, const RunResult& b) {
    return a.docs_per_second < b.docs_per_second;
  });
  const RunResult& median = results[results.size() / 2];
  std::printf("median of %d: %.0f docs/s, %.2f MB/s (runs: %.0f..%.0f docs/s)\n", runs,
              median.docs_per_second, median.megabytes_per_second, results.front().docs_per_second,
              results.back().docs_per_second);
  return 0;
}

}  // namespace
}  // namespace ingest
}  // namespace vnarchive

int main(int argc, char** argv) { return vnarchive::ingest::Main(argc, argv); }
