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
//
// Freshness mode (--rate R > 0, docs/benchmarks.md "Freshness at 500
// docs/s"): drives a running suite (--addr: ingest, --search_addr: search)
// at a steady R documents/s for --seconds, each document sent by a unary
// Ingest at its scheduled time (--senders threads) and carrying a unique
// token. For every accepted document it records when Ingest returned and
// measures how long until it was searchable:
//   * "status": a poller asks GetStatuses about the oldest --poll_ids
//     documents not yet INDEXED every --poll_ms; INDEXED is written by the
//     search worker after its commit, so the poll's answer time is an upper
//     bound (late by the poll period plus one round trip, or more when a
//     document is indexed before older ones); the INDEXED status's own time
//     (updated_at, written by the search worker) is reported beside it;
//   * "search": every --sample_every-th document is also looked for by its
//     token with real Search queries (the pending ones OR'd in one query per
//     poll), the end-to-end check that the status is not lying.
// Prints p50/p90/p99/max of each, the achieved rate, and a last line
// "freshness: ..." of key=value pairs for scripts
// (tests/bench/freshness_bench.sh).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>
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
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/ingest/client/bulk_ingest.h"
#include "services/ingest/testing/ingest_process.h"
#include "tests/testing/benchmark_corpus.h"
#include "tests/testing/generated_text.h"
#include "tests/testing/redis_server.h"
#include "google/protobuf/util/time_util.h"
#include "vnarchive/v1/ingest.grpc.pb.h"
#include "vnarchive/v1/search.grpc.pb.h"

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
ABSL_FLAG(double, rate, 0,
          "Freshness mode when > 0: documents per second, sent at a steady pace to --addr; "
          "each is then watched until searchable (needs --addr and --search_addr).");
ABSL_FLAG(double, seconds, 60, "Freshness mode: how long to send, seconds.");
ABSL_FLAG(std::string, search_addr, "", "Freshness mode: the search service of the suite.");
ABSL_FLAG(int, senders, 8, "Freshness mode: threads sending Ingest calls.");
ABSL_FLAG(int, poll_ms, 20, "Freshness mode: how often statuses and searches are polled, ms.");
ABSL_FLAG(int, poll_ids, 100,
          "Freshness mode: documents asked about per status poll, the oldest not yet INDEXED "
          "(documents become searchable nearly in order; asking for every pending one would "
          "load the suite being measured).");
ABSL_FLAG(int, sample_every, 20,
          "Freshness mode: every N-th document is also found by a Search for its token.");
ABSL_FLAG(double, wait_seconds, 30,
          "Freshness mode: after the last send, how long to wait for documents to be searchable.");

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

// --- Freshness mode ---------------------------------------------------------

// One document of the freshness run. Times are absl::Time; InfinitePast
// means "not (yet)".
struct Tracked {
  std::string doc_id;
  std::string token;           // unique in the run; the search sample looks for it
  absl::Time scheduled;        // when it was due to be sent
  absl::Time returned = absl::InfinitePast();  // when Ingest returned
  absl::Time indexed_seen = absl::InfinitePast();    // poll answer saying INDEXED
  absl::Time indexed_written = absl::InfinitePast();  // the INDEXED status's updated_at
  absl::Time found = absl::InfinitePast();           // Search found the token (samples)
  bool accepted = false;
  bool failed = false;  // the pipeline gave up on it (FAILED)
};

struct Percentiles {
  size_t count = 0;     // values, the missing ones included
  size_t missing = 0;   // documents never seen: slower than anything measured
  double p50 = 0, p90 = 0, p99 = 0, max = 0;  // milliseconds; infinity when missing
};

// Percentiles of `values` with `missing` more that never arrived (they rank
// last, as infinity: a percentile that falls on them is "not within the run").
Percentiles ComputePercentiles(std::vector<double> values, size_t missing) {
  Percentiles p;
  p.missing = missing;
  values.insert(values.end(), missing, std::numeric_limits<double>::infinity());
  p.count = values.size();
  if (values.empty()) return p;
  std::sort(values.begin(), values.end());
  // Nearest rank: the smallest value with at least q of the values at or below it.
  auto at = [&](double q) {
    size_t rank = static_cast<size_t>(std::ceil(q * values.size()));
    return values[std::min(values.size(), std::max<size_t>(rank, 1)) - 1];
  };
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p99 = at(0.99);
  p.max = values.back();
  return p;
}

std::string Ms(double ms) {
  return std::isinf(ms) ? std::string("never") : absl::StrFormat("%.0f ms", ms);
}

std::string DescribePercentiles(const Percentiles& p) {
  return absl::StrCat("n=", p.count, p.missing > 0 ? absl::StrCat(" (", p.missing, " never)") : "",
                      "  p50 ", Ms(p.p50), "  p90 ", Ms(p.p90), "  p99 ", Ms(p.p99), "  max ",
                      Ms(p.max));
}

class FreshnessRun {
 public:
  FreshnessRun(const std::vector<std::string>& texts, double rate, std::string run_id)
      : rate_(rate), run_id_(std::move(run_id)), docs_(texts.size()) {
    for (size_t i = 0; i < texts.size(); ++i) {
      docs_[i].token = absl::StrCat("fr", run_id_, "n", i, "q");
    }
  }

  int Run(const std::string& ingest_addr, const std::string& search_addr, int senders,
          absl::Duration poll, int sample_every, absl::Duration wait,
          const std::vector<std::string>& texts) {
    sample_every_ = std::max(1, sample_every);
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(64 << 20);
    auto ingest_channel =
        grpc::CreateCustomChannel(ingest_addr, grpc::InsecureChannelCredentials(), args);
    auto search_channel =
        grpc::CreateCustomChannel(search_addr, grpc::InsecureChannelCredentials(), args);
    for (const auto& channel : {ingest_channel, search_channel}) {
      if (!channel->WaitForConnected(absl::ToChronoTime(absl::Now() + absl::Seconds(10)))) {
        std::fprintf(stderr, "cannot connect to %s or %s\n", ingest_addr.c_str(),
                     search_addr.c_str());
        return 1;
      }
    }
    ingest_ = v1::IngestService::NewStub(ingest_channel);
    search_ = v1::SearchService::NewStub(search_channel);

    start_ = absl::Now() + absl::Milliseconds(100);
    for (size_t i = 0; i < docs_.size(); ++i) {
      docs_[i].scheduled = start_ + absl::Seconds(static_cast<double>(i) / rate_);
    }
    std::thread status_poller([&] { PollStatuses(poll, absl::GetFlag(FLAGS_poll_ids)); });
    std::thread search_poller([&] { PollSearches(poll); });
    std::vector<std::thread> threads;
    for (int t = 0; t < senders; ++t) threads.emplace_back([&] { Send(texts); });
    for (std::thread& thread : threads) thread.join();
    sent_end_ = absl::Now();
    {
      absl::MutexLock lock(&mu_);
      sending_done_ = true;
      deadline_ = sent_end_ + wait;
    }
    status_poller.join();
    search_poller.join();
    return Report();
  }

 private:
  // Sends the next due document until none is left.
  void Send(const std::vector<std::string>& texts) {
    while (true) {
      const size_t i = next_.fetch_add(1);
      if (i >= docs_.size()) return;
      Tracked& doc = docs_[i];
      v1::IngestRequest request;
      request.set_text(absl::StrCat(texts[i], "\nMã theo dõi ", doc.token, ".\n"));
      request.set_name(absl::StrCat("fresh-", i, ".txt"));
      request.set_source("vna_ingest_load");
      absl::SleepFor(doc.scheduled - absl::Now());
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
      v1::IngestResponse response;
      const grpc::Status status = ingest_->Ingest(&context, request, &response);
      const absl::Time returned = absl::Now();
      absl::MutexLock lock(&mu_);
      doc.returned = returned;
      if (!status.ok()) {
        ++errors_[absl::StrCat("rpc ", status.error_code())];
        continue;
      }
      if (response.outcome() != v1::IngestResponse::ACCEPTED) {
        ++errors_[response.reason_code().empty() ? v1::IngestResponse::Outcome_Name(
                                                       response.outcome())
                                                 : response.reason_code()];
        continue;
      }
      doc.accepted = true;
      doc.doc_id = response.doc_id();
      pending_status_.push_back(i);
      if (i % sample_every_ == 0) pending_search_.push_back(i);
    }
  }

  // True once everything sent is resolved, or the wait is over.
  bool Finished(const std::vector<size_t>& pending) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return sending_done_ && (pending.empty() || absl::Now() > deadline_);
  }

  void PollStatuses(absl::Duration poll, int poll_ids) {
    while (true) {
      const absl::Time round = absl::Now();
      std::vector<size_t> asked;
      {
        absl::MutexLock lock(&mu_);
        if (Finished(pending_status_)) return;
        // pending_status_ is in order of acceptance: the oldest first.
        asked.assign(pending_status_.begin(),
                     pending_status_.begin() +
                         std::min(pending_status_.size(), static_cast<size_t>(poll_ids)));
      }
      std::vector<size_t> resolved;
      for (size_t from = 0; from < asked.size(); from += 1000) {
        v1::GetStatusesRequest request;
        const size_t to = std::min(asked.size(), from + 1000);
        for (size_t k = from; k < to; ++k) request.add_doc_ids(docs_[asked[k]].doc_id);
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
        v1::GetStatusesResponse response;
        if (!ingest_->GetStatuses(&context, request, &response).ok() ||
            response.statuses_size() != static_cast<int>(to - from)) {
          ++status_poll_errors_;
          continue;
        }
        const absl::Time answered = absl::Now();
        absl::MutexLock lock(&mu_);
        for (size_t k = from; k < to; ++k) {
          const v1::GetStatusResponse& status = response.statuses(static_cast<int>(k - from));
          Tracked& doc = docs_[asked[k]];
          if (status.stage() == v1::GetStatusResponse::INDEXED) {
            doc.indexed_seen = answered;
            doc.indexed_written = absl::FromUnixMillis(
                google::protobuf::util::TimeUtil::TimestampToMilliseconds(status.updated_at()));
            resolved.push_back(asked[k]);
          } else if (status.stage() == v1::GetStatusResponse::FAILED) {
            doc.failed = true;
            resolved.push_back(asked[k]);
          }
        }
      }
      {
        absl::MutexLock lock(&mu_);
        std::sort(resolved.begin(), resolved.end());
        pending_status_.erase(
            std::remove_if(pending_status_.begin(), pending_status_.end(),
                           [&](size_t i) {
                             return std::binary_search(resolved.begin(), resolved.end(), i);
                           }),
            pending_status_.end());
        ++status_polls_;
      }
      absl::SleepFor(round + poll - absl::Now());
    }
  }

  void PollSearches(absl::Duration poll) {
    while (true) {
      const absl::Time round = absl::Now();
      std::vector<size_t> asked;
      {
        absl::MutexLock lock(&mu_);
        if (Finished(pending_search_)) return;
        // The oldest first; a query holds at most 1 KB of text.
        for (size_t i : pending_search_) {
          if (asked.size() == 30) break;
          asked.push_back(i);
        }
      }
      if (!asked.empty()) {
        std::vector<std::string> tokens;
        for (size_t i : asked) tokens.push_back(docs_[i].token);
        v1::SearchRequest request;
        request.set_query(absl::StrJoin(tokens, " OR "));
        request.set_page_size(100);
        request.set_no_snippet(true);
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
        v1::SearchResponse response;
        const grpc::Status status = search_->Search(&context, request, &response);
        const absl::Time answered = absl::Now();
        absl::MutexLock lock(&mu_);
        ++searches_;
        if (!status.ok()) {
          ++search_errors_;
        } else {
          for (const v1::SearchHit& hit : response.hits()) {
            size_t i = 0;
            if (!absl::SimpleAtoi(absl::StripSuffix(absl::StripPrefix(hit.name(), "fresh-"),
                                                    ".txt"),
                                  &i) ||
                i >= docs_.size() || docs_[i].found != absl::InfinitePast()) {
              continue;
            }
            docs_[i].found = answered;
          }
          pending_search_.erase(
              std::remove_if(pending_search_.begin(), pending_search_.end(),
                             [&](size_t i) { return docs_[i].found != absl::InfinitePast(); }),
              pending_search_.end());
        }
      }
      absl::SleepFor(round + poll - absl::Now());
    }
  }

  int Report() {
    absl::MutexLock lock(&mu_);
    std::vector<double> seen, written, found;
    size_t accepted = 0, failed = 0, not_indexed = 0, sample = 0, not_found = 0;
    absl::Time last_return = start_;
    double late_ms = 0;  // worst lateness of a send against its schedule
    for (const Tracked& doc : docs_) {
      if (doc.returned != absl::InfinitePast()) {
        last_return = std::max(last_return, doc.returned);
      }
      if (!doc.accepted) continue;
      ++accepted;
      late_ms = std::max(late_ms, absl::ToDoubleMilliseconds(doc.returned - doc.scheduled));
      if (doc.failed) {
        ++failed;
      } else if (doc.indexed_seen == absl::InfinitePast()) {
        ++not_indexed;
      } else {
        seen.push_back(absl::ToDoubleMilliseconds(doc.indexed_seen - doc.returned));
        // updated_at has millisecond precision and may precede the return
        // by a hair when the call's reply was slow: floor at 0.
        written.push_back(
            std::max(0.0, absl::ToDoubleMilliseconds(doc.indexed_written - doc.returned)));
      }
      if ((&doc - docs_.data()) % sample_every_ == 0) {
        ++sample;
        if (doc.found == absl::InfinitePast()) {
          ++not_found;
        } else {
          found.push_back(absl::ToDoubleMilliseconds(doc.found - doc.returned));
        }
      }
    }
    const double seconds = absl::ToDoubleSeconds(last_return - start_);
    const double achieved = seconds > 0 ? accepted / seconds : 0;
    std::string refused;
    for (const auto& [reason, count] : errors_) absl::StrAppend(&refused, " ", reason, "=", count);
    std::printf("sent %zu at %.0f docs/s target: %zu accepted in %.1f s = %.1f docs/s "
                "(latest send %.0f ms behind schedule)%s%s\n",
                docs_.size(), rate_, accepted, seconds, achieved, late_ms,
                refused.empty() ? "" : "; not accepted:", refused.c_str());
    const Percentiles status_seen = ComputePercentiles(seen, not_indexed);
    const Percentiles status_written = ComputePercentiles(written, not_indexed);
    const Percentiles search_found = ComputePercentiles(found, not_found);
    std::printf("freshness, status polled every %d ms (upper bound): %s\n",
                absl::GetFlag(FLAGS_poll_ms), DescribePercentiles(status_seen).c_str());
    std::printf("freshness, INDEXED status time:                 %s\n",
                DescribePercentiles(status_written).c_str());
    std::printf("freshness, found by Search (every %d-th):       %s\n", sample_every_,
                DescribePercentiles(search_found).c_str());
    std::printf("status polls %d (%d failed), searches %d (%d failed); not indexed in time %zu, "
                "failed %zu, sample not found %zu\n",
                status_polls_, status_poll_errors_, searches_, search_errors_, not_indexed, failed,
                not_found);
    // "inf" for a percentile that falls on documents never seen.
    std::printf(
        "freshness: rate=%.1f accepted=%zu not_indexed=%zu failed=%zu p50=%.0f p90=%.0f "
        "p99=%.0f max=%.0f written_p99=%.0f search_p50=%.0f search_p99=%.0f search_max=%.0f "
        "search_missing=%zu\n",
        achieved, accepted, not_indexed, failed, status_seen.p50, status_seen.p90,
        status_seen.p99, status_seen.max, status_written.p99, search_found.p50,
        search_found.p99, search_found.max, not_found);
    std::fflush(stdout);
    return accepted > 0 && not_indexed == 0 && failed == 0 && not_found == 0 ? 0 : 1;
  }

  const double rate_;
  const std::string run_id_;
  int sample_every_ = 20;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
  std::unique_ptr<v1::SearchService::Stub> search_;
  absl::Time start_;
  absl::Time sent_end_;
  std::atomic<size_t> next_{0};

  absl::Mutex mu_;
  // Sized once; an element's fields are written under mu_ (token and
  // scheduled before the threads start).
  std::vector<Tracked> docs_;
  std::vector<size_t> pending_status_ ABSL_GUARDED_BY(mu_);  // accepted, not INDEXED/FAILED
  std::vector<size_t> pending_search_ ABSL_GUARDED_BY(mu_);  // samples not found yet
  std::map<std::string, int64_t> errors_ ABSL_GUARDED_BY(mu_);
  bool sending_done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time deadline_ ABSL_GUARDED_BY(mu_);
  int status_polls_ = 0, status_poll_errors_ = 0;  // status poller only (read after join)
  int searches_ ABSL_GUARDED_BY(mu_) = 0;
  int search_errors_ ABSL_GUARDED_BY(mu_) = 0;
};

int RunFreshness(const char* corpus) {
  const std::string addr = absl::GetFlag(FLAGS_addr);
  const std::string search_addr = absl::GetFlag(FLAGS_search_addr);
  const double rate = absl::GetFlag(FLAGS_rate);
  const double seconds = absl::GetFlag(FLAGS_seconds);
  const int senders = absl::GetFlag(FLAGS_senders);
  const int poll_ms = absl::GetFlag(FLAGS_poll_ms);
  if (addr.empty() || search_addr.empty() || seconds <= 0 || senders < 1 || poll_ms < 1 ||
      absl::GetFlag(FLAGS_poll_ids) < 1) {
    std::fprintf(stderr, "freshness mode (--rate) needs --addr and --search_addr of a running "
                         "suite, --seconds > 0, --senders, --poll_ms and --poll_ids >= 1\n");
    return 2;
  }
  const int count = static_cast<int>(rate * seconds);
  if (count < 1) {
    std::fprintf(stderr, "--rate * --seconds is less than one document\n");
    return 2;
  }
  const std::vector<std::string> texts =
      MakeDocuments(corpus, count, absl::GetFlag(FLAGS_doc_bytes));
  size_t bytes = 0;
  for (const std::string& text : texts) bytes += text.size();
  std::printf("freshness: %d documents (%.0f bytes each, %s) at %.0f/s for %.0f s, %d senders, "
              "polling every %d ms\n",
              count, static_cast<double>(bytes) / count, corpus != nullptr ? corpus : "generated",
              rate, seconds, senders, poll_ms);
  std::fflush(stdout);
  FreshnessRun run(texts, rate, absl::StrCat(absl::ToUnixMillis(absl::Now())));
  return run.Run(addr, search_addr, senders, absl::Milliseconds(poll_ms),
                 absl::GetFlag(FLAGS_sample_every),
                 absl::Seconds(absl::GetFlag(FLAGS_wait_seconds)), texts);
}

int Main(int argc, char** argv) {
  const char* corpus = testutil::TakeCorpusFlag(&argc, argv);
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_rate) > 0) return RunFreshness(corpus);
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
