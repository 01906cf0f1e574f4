#include "services/ingest/rpc/ingest_service.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/base/status_matchers.h"
#include "common/queue/memory_admission_store.h"
#include "common/queue/memory_queue.h"
#include "gtest/gtest.h"
#include "vnarchive/v1/queue.pb.h"

namespace vnarchive {
namespace ingest {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

class IngestServiceTest : public ::testing::Test {
 protected:
  IngestServiceTest()
      : service_(Ingestor({}), *NearDuplicateDetector::Create({}), &admission_, &queue_, &status_,
                 Options()) {}

  static IngestServiceOptions Options() {
    IngestServiceOptions options;
    options.ingested_stream = "t:ingested";
    options.high_water = 3;
    options.backlog_check_interval = absl::ZeroDuration();
    return options;
  }

  grpc::Status Ingest(const std::string& text, v1::IngestResponse* response,
                      const std::string& doc_id = "") {
    v1::IngestRequest request;
    request.set_text(text);
    request.set_doc_id(doc_id);
    request.set_name("bai-viet.txt");
    grpc::ServerContext context;
    return service_.Ingest(&context, &request, response);
  }

  v1::GetStatusResponse Status(const std::string& doc_id, grpc::Status* status) {
    v1::GetStatusRequest request;
    request.set_doc_id(doc_id);
    v1::GetStatusResponse response;
    grpc::ServerContext context;
    *status = service_.GetStatus(&context, &request, &response);
    return response;
  }

  queue::MemoryQueue queue_;
  queue::MemoryStatusStore status_;
  queue::MemoryAdmissionStore admission_{&queue_, &status_};
  IngestServiceImpl service_;
};

TEST_F(IngestServiceTest, InvalidUtf8IsInvalidArgumentAndEnqueuesNothing) {
  v1::IngestResponse response;
  const grpc::Status status = Ingest("Hội nghị \xc3\x28", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("byte"));
  EXPECT_THAT(queue_.Range("t:ingested"), SizeIs(0));
}

TEST_F(IngestServiceTest, RedisAwayIsUnavailableAndARetryIsNotADuplicate) {
  queue_.SetAvailable(false);
  v1::IngestResponse response;
  EXPECT_EQ(Ingest("Sáng 20/7, tại Hà Nội", &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  queue_.SetAvailable(true);
  ASSERT_TRUE(Ingest("Sáng 20/7, tại Hà Nội", &response).ok());
  EXPECT_EQ(response.outcome(), v1::IngestResponse::ACCEPTED);
  EXPECT_THAT(queue_.Range("t:ingested"), SizeIs(1));
}

TEST_F(IngestServiceTest, BacklogOverHighWaterIsResourceExhaustedWithRetryHint) {
  v1::IngestResponse response;
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(Ingest("Văn bản số " + std::to_string(i), &response).ok()) << i;
  }
  const grpc::Status status = Ingest("Văn bản số 4", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("retry"));
  EXPECT_THAT(queue_.Range("t:ingested"), SizeIs(4));
}

TEST_F(IngestServiceTest, AcceptsEnqueuesPipelineMessageAndRecordsStatus) {
  v1::IngestResponse response;
  ASSERT_TRUE(Ingest("Chỉ thị số 05-CT/TW", &response, "dn-2019-001").ok());
  EXPECT_EQ(response.outcome(), v1::IngestResponse::ACCEPTED);
  EXPECT_EQ(response.doc_id(), "dn-2019-001");

  const auto records = queue_.Range("t:ingested");
  ASSERT_THAT(records, SizeIs(1));
  EXPECT_EQ(records[0].Field("id"), "dn-2019-001");
  v1::PipelineMessage message;
  ASSERT_TRUE(message.ParseFromString(records[0].Field("pb").value_or("")));
  EXPECT_EQ(message.document().text(), "Chỉ thị số 05-CT/TW");
  EXPECT_EQ(message.document().name(), "bai-viet.txt");
  EXPECT_EQ(message.document().content_hash(), response.content_hash());
  EXPECT_TRUE(message.document().has_ingested_at());

  grpc::Status status;
  const v1::GetStatusResponse doc_status = Status("dn-2019-001", &status);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(doc_status.stage(), v1::GetStatusResponse::ACCEPTED);
  EXPECT_EQ(doc_status.content_hash(), response.content_hash());
}

TEST_F(IngestServiceTest, SameTextTwiceIsDuplicateButChangedTextIsANewVersion) {
  v1::IngestResponse first, second, changed;
  ASSERT_TRUE(Ingest("Nghị quyết số 18-NQ/TW", &first).ok());
  ASSERT_TRUE(Ingest("Nghị quyết số 18-NQ/TW", &second).ok());
  EXPECT_EQ(second.outcome(), v1::IngestResponse::DUPLICATE);
  EXPECT_EQ(second.duplicate_of(), first.doc_id());

  ASSERT_TRUE(Ingest("Bản một", &first, "caller-7").ok());
  ASSERT_TRUE(Ingest("Bản hai, đã sửa", &changed, "caller-7").ok());
  EXPECT_EQ(changed.outcome(), v1::IngestResponse::ACCEPTED);
  EXPECT_THAT(queue_.Range("t:ingested"), SizeIs(3));
}

TEST_F(IngestServiceTest, FillsMissingMetadataFromTheTextAndSaysWhereFrom) {
  v1::IngestResponse response;
  const std::string text =
      "Hội nghị sơ kết công tác dân vận năm 2019 (15:25 20/07/2019)\n\n"
      "HNP - Sáng 20/7, Ban Dân vận Thành ủy tổ chức hội nghị sơ kết.\n\n"
      "Các đại biểu thống nhất đề ra nhiều giải pháp cho thời gian tới.\n\n"
      "Huy Kiên\n";
  ASSERT_TRUE(Ingest(text, &response).ok());
  const auto records = queue_.Range("t:ingested");
  ASSERT_THAT(records, SizeIs(1));
  v1::PipelineMessage message;
  ASSERT_TRUE(message.ParseFromString(records[0].Field("pb").value_or("")));
  const v1::Document& document = message.document();
  EXPECT_EQ(document.title(), "Hội nghị sơ kết công tác dân vận năm 2019");
  // 15:25 in Vietnam (UTC+7) is 08:25 UTC.
  EXPECT_EQ(document.published_at().seconds(), 1563611100);
  EXPECT_EQ(document.dateline(), "(15:25 20/07/2019)");
  ASSERT_EQ(document.authors_size(), 1);
  EXPECT_EQ(document.authors(0), "Huy Kiên");
  EXPECT_EQ(document.source(), "HNP");
  EXPECT_TRUE(document.metadata_origins().contains("title"));
  EXPECT_TRUE(document.metadata_origins().contains("published_at"));
}

TEST_F(IngestServiceTest, PageTooCostlyToParseIsInvalidArgumentAndEnqueuesNothing) {
  std::string page = "<html><body>";
  for (int i = 0; i < 30000; ++i) page += "<div>";
  v1::IngestResponse response;
  const grpc::Status status = Ingest(page + "Hội nghị", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("html"));
  EXPECT_THAT(queue_.Range("t:ingested"), SizeIs(0));
}

TEST_F(IngestServiceTest, ReadsHtmlMarksCaptionsAndReportsWhatItRemoved) {
  v1::IngestRequest request;
  request.set_text(
      "<html><head><title>Hội nghị sơ kết công tác dân vận</title>"
      "<meta property=\"article:published_time\" content=\"2019-07-20T15:25:00+07:00\">"
      "<link rel=\"canonical\" href=\"https://example.vn/hoi-nghi.html\">"
      "<script>var tracker = 1;</script></head><body>"
      "<nav><a href=\"/\">Trang chủ</a></nav>"
      "<div>In tin bàiLưu tin bài</div>"
      "<p>Sáng 20/7, Ban Dân vận Thành ủy tổ chức hội nghị sơ kết.</p>"
      "<figure><img src=\"a.jpg\"><figcaption>Toàn cảnh hội nghị</figcaption></figure>"
      "<p>Các đại biểu thống nhất đề ra nhiều giải pháp.</p></body></html>");
  request.set_content_type("text/html");
  request.set_name("hoi-nghi.html");
  v1::IngestResponse response;
  grpc::ServerContext context;
  ASSERT_TRUE(service_.Ingest(&context, &request, &response).ok());
  EXPECT_EQ(response.outcome(), v1::IngestResponse::ACCEPTED);
  EXPECT_EQ(response.content_type(), "text/html");
  EXPECT_FALSE(response.content_type_sniffed());
  EXPECT_EQ(response.boilerplate_lines_removed(), 1u);

  const auto records = queue_.Range("t:ingested");
  ASSERT_THAT(records, SizeIs(1));
  v1::PipelineMessage message;
  ASSERT_TRUE(message.ParseFromString(records[0].Field("pb").value_or("")));
  const v1::Document& document = message.document();
  EXPECT_EQ(document.text(),
            "Sáng 20/7, Ban Dân vận Thành ủy tổ chức hội nghị sơ kết.\n\n"
            "Toàn cảnh hội nghị\n\n"
            "Các đại biểu thống nhất đề ra nhiều giải pháp.");
  ASSERT_EQ(document.captions_size(), 1);
  EXPECT_EQ(document.text().substr(document.captions(0).begin(),
                                   document.captions(0).end() - document.captions(0).begin()),
            "Toàn cảnh hội nghị");
  EXPECT_EQ(document.title(), "Hội nghị sơ kết công tác dân vận");
  EXPECT_EQ(document.metadata_origins().at("title"), "html <title>");
  EXPECT_EQ(document.published_at().seconds(), 1563611100);  // 15:25 at UTC+7
  EXPECT_EQ(document.metadata_origins().at("published_at"),
            "html <meta property=\"article:published_time\">");
  EXPECT_EQ(document.url(), "https://example.vn/hoi-nghi.html");
  EXPECT_EQ(document.metadata_origins().at("url"), "html <link rel=\"canonical\">");
}

TEST_F(IngestServiceTest, SameBytesAsTheOtherContentTypeAreANewVersionNotADuplicate) {
  const std::string page = "<html><body><p>Sáng 20/7, Tỉnh ủy họp phiên thường kỳ.</p></body></html>";
  v1::IngestRequest request;
  request.set_text(page);
  request.set_doc_id("caller-8");
  v1::IngestResponse as_html, again, as_text;
  grpc::ServerContext context;
  ASSERT_TRUE(service_.Ingest(&context, &request, &as_html).ok());
  ASSERT_TRUE(service_.Ingest(&context, &request, &again).ok());
  EXPECT_EQ(again.outcome(), v1::IngestResponse::DUPLICATE);
  request.set_content_type("text/plain");
  ASSERT_TRUE(service_.Ingest(&context, &request, &as_text).ok());
  EXPECT_EQ(as_text.outcome(), v1::IngestResponse::ACCEPTED);
  EXPECT_EQ(as_text.content_type(), "text/plain");
  EXPECT_THAT(queue_.Range("t:ingested"), SizeIs(2));
}

TEST_F(IngestServiceTest, PlainTextIsReportedAsSniffedPlainText) {
  v1::IngestResponse response;
  ASSERT_TRUE(Ingest("Chỉ thị số 05-CT/TW\nChia sẻ: Facebook | Zalo\n", &response).ok());
  EXPECT_EQ(response.content_type(), "text/plain");
  EXPECT_TRUE(response.content_type_sniffed());
  EXPECT_EQ(response.boilerplate_lines_removed(), 1u);
}

TEST_F(IngestServiceTest, UnknownDocIdIsNotFound) {
  grpc::Status status;
  Status("never-seen", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(IngestServiceTest, RejectionsAreCountedByReasonInStats) {
  v1::IngestResponse response;
  EXPECT_FALSE(Ingest(" \n ", &response).ok());
  EXPECT_FALSE(Ingest("Hội nghị \xc3\x28", &response).ok());
  EXPECT_FALSE(Ingest("Hội nghị", &response, "bad id with spaces").ok());
  EXPECT_FALSE(Ingest("   ", &response).ok());
  ASSERT_TRUE(Ingest("Văn bản số 1", &response).ok());
  ASSERT_TRUE(Ingest("Văn bản số 1", &response).ok());
  v1::IngestStatsResponse stats;
  grpc::ServerContext context;
  ASSERT_TRUE(service_.Stats(&context, nullptr, &stats).ok());
  EXPECT_EQ(stats.accepted(), 1u);
  EXPECT_EQ(stats.duplicates(), 1u);
  EXPECT_EQ(stats.rejected().at("empty"), 2u);
  EXPECT_EQ(stats.rejected().at("bad_doc_id"), 1u);
  EXPECT_EQ(stats.rejected().size(), 3u);  // and one undecodable or encoding_uncertain
  EXPECT_EQ(stats.high_water(), 3);
}

TEST_F(IngestServiceTest, GetStatusesAnswersInOrderAndMarksUnknownIds) {
  v1::IngestResponse response;
  ASSERT_TRUE(Ingest("Chỉ thị số 05-CT/TW", &response, "known").ok());
  v1::GetStatusesRequest request;
  request.add_doc_ids("known");
  request.add_doc_ids("unknown");
  v1::GetStatusesResponse statuses;
  grpc::ServerContext context;
  ASSERT_TRUE(service_.GetStatuses(&context, &request, &statuses).ok());
  ASSERT_EQ(statuses.statuses_size(), 2);
  EXPECT_EQ(statuses.statuses(0).stage(), v1::GetStatusResponse::ACCEPTED);
  EXPECT_EQ(statuses.statuses(0).content_hash(), response.content_hash());
  EXPECT_EQ(statuses.statuses(1).doc_id(), "unknown");
  EXPECT_EQ(statuses.statuses(1).stage(), v1::GetStatusResponse::STAGE_UNSPECIFIED);

  for (int i = 0; i < 1001; ++i) request.add_doc_ids("x");
  EXPECT_EQ(service_.GetStatuses(&context, &request, &statuses).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(IngestServiceTest, SameTextUnderANewIdIsADuplicateOfTheFirstId) {
  const std::string text = "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12, khóa XV.";
  v1::IngestResponse first, second, reformatted;
  ASSERT_TRUE(Ingest(text, &first, "outlet-a/1").ok());
  ASSERT_TRUE(Ingest(text, &second, "outlet-b/9").ok());
  EXPECT_EQ(second.outcome(), v1::IngestResponse::DUPLICATE);
  EXPECT_EQ(second.duplicate_of(), "outlet-a/1");
  // The same words with other punctuation, case and tone style.
  ASSERT_TRUE(Ingest("hội nghị ban chấp hành đảng bộ tỉnh lần thứ 12 – khoá XV", &reformatted)
                  .ok());
  EXPECT_EQ(reformatted.outcome(), v1::IngestResponse::DUPLICATE);
  EXPECT_EQ(reformatted.duplicate_of(), "outlet-a/1");
  EXPECT_THAT(queue_.Range("t:ingested"), SizeIs(1));
}

TEST_F(IngestServiceTest, AnUpdateIsNeverANearDuplicateOfItsOwnEarlierVersion) {
  const std::string base =
      "Sáng 14/6, Huyện ủy Long Mỹ tổ chức hội nghị sơ kết 5 năm thực hiện Chỉ thị số "
      "05-CT/TW của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong "
      "cách Hồ Chí Minh. Đồng chí Trần Văn Hùng, Phó Bí thư Thường trực Huyện ủy chủ trì "
      "hội nghị. Toàn huyện có 48 chi bộ đưa nội dung làm theo tấm gương của Bác vào sinh "
      "hoạt định kỳ hằng tháng.";
  v1::IngestResponse first, update, copy;
  ASSERT_TRUE(Ingest(base, &first, "art-1").ok());
  ASSERT_TRUE(Ingest(base + " Minh Tâm", &update, "art-1").ok());
  EXPECT_EQ(update.outcome(), v1::IngestResponse::ACCEPTED);
  EXPECT_EQ(update.duplicate_of(), "");
  // Another id with nearly the same text is linked to it.
  ASSERT_TRUE(Ingest(base + " Nguồn: Báo Hậu Giang", &copy, "art-2").ok());
  EXPECT_EQ(copy.outcome(), v1::IngestResponse::ACCEPTED);
  EXPECT_EQ(copy.duplicate_of(), "art-1");
  EXPECT_GE(copy.similarity(), 0.8);
  EXPECT_EQ(admission_.DuplicateOf("art-2"), "art-1");
  EXPECT_THAT(queue_.Range("t:ingested"), SizeIs(3));
}

// The duplicate set (tests/data/duplicates), in the order of expected.tsv.
struct DuplicateSetFile {
  std::string file;
  std::string expected;  // accepted, near, duplicate
  std::string of;        // file it is linked to
};

std::vector<DuplicateSetFile> DuplicateSet() {
  std::vector<DuplicateSetFile> out;
  std::ifstream tsv(std::string(VNA_DUPLICATES_DIR) + "/expected.tsv");
  std::string line;
  while (std::getline(tsv, line)) {
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    if (fields.empty() || fields[0] == "file" || fields[0].empty()) continue;
    fields.resize(3);
    out.push_back({fields[0], fields[1], fields[2]});
  }
  return out;
}

v1::IngestRequest DuplicateSetRequest(const std::string& file) {
  std::ifstream in(std::string(VNA_DUPLICATES_DIR) + "/" + file, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  v1::IngestRequest request;
  request.set_text(content.str());
  request.set_name(file);
  return request;
}

// Checks the answers to the duplicate set against expected.tsv.
void ExpectDuplicateSetOutcomes(const std::vector<DuplicateSetFile>& files,
                                const std::vector<v1::IngestResponse>& responses,
                                queue::MemoryQueue& queue) {
  ASSERT_EQ(responses.size(), files.size());
  std::map<std::string, std::string> doc_ids;  // file -> doc_id
  for (size_t i = 0; i < files.size(); ++i) doc_ids[files[i].file] = responses[i].doc_id();
  size_t stored = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    const v1::IngestResponse& response = responses[i];
    SCOPED_TRACE(files[i].file);
    if (files[i].expected == "duplicate") {
      EXPECT_EQ(response.outcome(), v1::IngestResponse::DUPLICATE);
      EXPECT_EQ(response.duplicate_of(), doc_ids[files[i].of]);
      continue;
    }
    ++stored;
    EXPECT_EQ(response.outcome(), v1::IngestResponse::ACCEPTED);
    if (files[i].expected == "near") {
      EXPECT_EQ(response.duplicate_of(), doc_ids[files[i].of]);
      EXPECT_GE(response.similarity(), 0.8);
    } else {
      EXPECT_EQ(response.duplicate_of(), "");
      EXPECT_EQ(response.similarity(), 0);
    }
  }
  // Near-duplicates are stored and enqueued, with Document.duplicate_of.
  const auto records = queue.Range("t:ingested");
  ASSERT_THAT(records, SizeIs(stored));
  for (const auto& record : records) {
    v1::PipelineMessage message;
    ASSERT_TRUE(message.ParseFromString(record.Field("pb").value_or("")));
    const std::string name = message.document().name();
    for (const DuplicateSetFile& file : files) {
      if (file.file != name) continue;
      EXPECT_EQ(message.document().duplicate_of(),
                file.expected == "near" ? doc_ids[file.of] : std::string())
          << name;
    }
  }
}

TEST_F(IngestServiceTest, DuplicateSetIsLinkedAsExpectedOneDocumentAtATime) {
  IngestServiceOptions options = Options();
  options.high_water = 100;
  IngestServiceImpl service(Ingestor({}), *NearDuplicateDetector::Create({}), &admission_,
                            &queue_, &status_, options);
  const std::vector<DuplicateSetFile> files = DuplicateSet();
  ASSERT_THAT(files, SizeIs(9));
  std::vector<v1::IngestResponse> responses;
  for (const DuplicateSetFile& file : files) {
    v1::IngestRequest request = DuplicateSetRequest(file.file);
    grpc::ServerContext context;
    ASSERT_TRUE(service.Ingest(&context, &request, &responses.emplace_back()).ok()) << file.file;
  }
  ExpectDuplicateSetOutcomes(files, responses, queue_);
}

TEST_F(IngestServiceTest, NearDuplicateDetectionCanBeSwitchedOff) {
  IngestServiceImpl service(Ingestor({}), *NearDuplicateDetector::Create({0}), &admission_,
                            &queue_, &status_, Options());
  std::vector<v1::IngestResponse> responses(2);
  for (int i = 0; i < 2; ++i) {
    v1::IngestRequest request =
        DuplicateSetRequest(i == 0 ? "original.txt" : "republished_other_outlet.txt");
    grpc::ServerContext context;
    ASSERT_TRUE(service.Ingest(&context, &request, &responses[i]).ok());
  }
  EXPECT_EQ(responses[1].outcome(), v1::IngestResponse::ACCEPTED);
  EXPECT_EQ(responses[1].duplicate_of(), "");
  // Exact duplicates are still found.
  v1::IngestRequest request = DuplicateSetRequest("reformatted_nfd_modern_tones.txt");
  v1::IngestResponse exact;
  grpc::ServerContext context;
  ASSERT_TRUE(service.Ingest(&context, &request, &exact).ok());
  EXPECT_EQ(exact.outcome(), v1::IngestResponse::DUPLICATE);
  EXPECT_EQ(exact.duplicate_of(), responses[0].doc_id());
}

// IngestStream needs a server: the service runs in-process.
// An admission store whose first Lookup waits until released, so that the
// unary calls arriving meanwhile queue up behind the commit in flight.
class GatedAdmissionStore : public queue::AdmissionStore {
 public:
  GatedAdmissionStore(queue::Queue* queue, queue::StatusStore* status) : inner_(queue, status) {}

  absl::StatusOr<std::vector<queue::AdmissionLookup>> Lookup(
      const std::vector<queue::AdmissionQuery>& queries) override {
    {
      absl::MutexLock lock(&mu_);
      lookup_sizes_.push_back(queries.size());
      if (lookup_sizes_.size() == 1) mu_.Await(absl::Condition(&released_));
    }
    return inner_.Lookup(queries);
  }
  absl::StatusOr<std::vector<queue::AdmissionResult>> Admit(
      absl::string_view stream, const std::vector<queue::Admission>& admissions) override {
    return inner_.Admit(stream, admissions);
  }

  bool FirstLookupStarted() {
    absl::MutexLock lock(&mu_);
    return !lookup_sizes_.empty();
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    released_ = true;
  }
  std::vector<size_t> LookupSizes() {
    absl::MutexLock lock(&mu_);
    return lookup_sizes_;
  }

 private:
  queue::MemoryAdmissionStore inner_;
  absl::Mutex mu_;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<size_t> lookup_sizes_ ABSL_GUARDED_BY(mu_);
};

TEST(IngestGroupCommitTest, ConcurrentUnaryCallsAreAdmittedTogether) {
  queue::MemoryQueue queue;
  queue::MemoryStatusStore status;
  GatedAdmissionStore admission(&queue, &status);
  IngestServiceOptions options;
  options.ingested_stream = "t:ingested";
  options.backlog_check_interval = absl::ZeroDuration();
  IngestServiceImpl service(Ingestor({}), *NearDuplicateDetector::Create({}), &admission, &queue,
                            &status, options);
  auto ingest = [&service](int i, v1::IngestResponse* response) {
    v1::IngestRequest request;
    request.set_text(absl::StrCat("Văn bản số ", i, " của Ủy ban nhân dân tỉnh về công tác ", i));
    request.set_doc_id(absl::StrCat("doc-", i));
    grpc::ServerContext context;
    return service.Ingest(&context, &request, response);
  };
  constexpr int kCalls = 10;
  std::vector<v1::IngestResponse> responses(kCalls);
  std::vector<grpc::Status> results(kCalls);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { results[0] = ingest(0, &responses[0]); });
  while (!admission.FirstLookupStarted()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  for (int i = 1; i < kCalls; ++i) {
    threads.emplace_back([&, i] { results[i] = ingest(i, &responses[i]); });
  }
  // Give the nine time to queue behind the first commit, then let it go.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  admission.Release();
  for (std::thread& t : threads) t.join();

  for (int i = 0; i < kCalls; ++i) {
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].error_message();
    EXPECT_EQ(responses[i].doc_id(), absl::StrCat("doc-", i));
    EXPECT_EQ(responses[i].outcome(), v1::IngestResponse::ACCEPTED);
  }
  // The first alone, then the nine that waited in one or (on a very slow
  // machine) a few batches, never one round trip each.
  const std::vector<size_t> sizes = admission.LookupSizes();
  EXPECT_EQ(sizes[0], 1u);
  EXPECT_LT(sizes.size(), 5u);
  EXPECT_GE(*std::max_element(sizes.begin(), sizes.end()), 3u);
  // Each document once in the stream.
  const auto records = queue.Range("t:ingested");
  ASSERT_THAT(records, SizeIs(kCalls));
  std::set<std::string> ids;
  for (const auto& record : records) ids.insert(record.Field("id").value_or(""));
  EXPECT_EQ(ids.size(), static_cast<size_t>(kCalls));
}

class IngestStreamTest : public ::testing::Test {
 protected:
  void Start(int64_t high_water) {
    IngestServiceOptions options;
    options.ingested_stream = "t:ingested";
    options.high_water = high_water;
    options.backlog_check_interval = absl::ZeroDuration();
    options.max_batch = 4;  // several batches per stream
    service_ = std::make_unique<IngestServiceImpl>(
        Ingestor({}), *NearDuplicateDetector::Create({}), &admission_, &queue_, &status_, options);
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::IngestService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  // Sends every request on one stream (a writer thread, as clients do) and
  // collects the answers; returns the stream's status.
  grpc::Status Stream(const std::vector<v1::IngestRequest>& requests,
                      std::vector<v1::IngestResponse>* responses,
                      std::string* retry_after_ms = nullptr) {
    grpc::ClientContext context;
    auto stream = stub_->IngestStream(&context);
    std::thread writer([&] {
      for (const v1::IngestRequest& request : requests) {
        if (!stream->Write(request)) break;
      }
      stream->WritesDone();
    });
    v1::IngestResponse response;
    while (stream->Read(&response)) responses->push_back(response);
    writer.join();
    grpc::Status status = stream->Finish();
    if (retry_after_ms != nullptr) {
      auto hint = context.GetServerTrailingMetadata().find("retry-after-ms");
      *retry_after_ms = hint == context.GetServerTrailingMetadata().end()
                            ? ""
                            : std::string(hint->second.data(), hint->second.size());
    }
    return status;
  }

  // Acks everything waiting for the normalize stage, as its workers would.
  void Drain() {
    ASSERT_THAT(queue_.EnsureGroup("t:ingested", "normalize"), IsOk());
    auto entries = queue_.Read("t:ingested", "normalize", "c", 1000, absl::ZeroDuration());
    ASSERT_THAT(entries, IsOk());
    std::vector<std::string> ids;
    for (const queue::Entry& entry : *entries) ids.push_back(entry.entry_id);
    ASSERT_THAT(queue_.Ack("t:ingested", "normalize", ids), IsOk());
  }

  v1::IngestStatsResponse Stats() {
    v1::IngestStatsResponse stats;
    grpc::ServerContext context;
    EXPECT_TRUE(service_->Stats(&context, nullptr, &stats).ok());
    return stats;
  }

  queue::MemoryQueue queue_;
  queue::MemoryStatusStore status_;
  queue::MemoryAdmissionStore admission_{&queue_, &status_};
  std::unique_ptr<IngestServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::IngestService::Stub> stub_;
};

TEST_F(IngestStreamTest, RejectedDocumentsAreAnsweredInOrderAndTheStreamGoesOn) {
  Start(100);
  std::vector<v1::IngestRequest> requests(6);
  for (int i = 0; i < 6; ++i) requests[i].set_text("Văn bản số " + std::to_string(i));
  requests[1].set_text("Hội nghị \xff\xfe\x00 nhị phân");
  requests[4].set_text("  ");
  std::vector<v1::IngestResponse> responses;
  ASSERT_TRUE(Stream(requests, &responses).ok());
  ASSERT_THAT(responses, SizeIs(6));
  for (int i : {0, 2, 3, 5}) {
    EXPECT_EQ(responses[i].outcome(), v1::IngestResponse::ACCEPTED) << i;
  }
  EXPECT_EQ(responses[1].outcome(), v1::IngestResponse::REJECTED);
  EXPECT_EQ(responses[1].error_code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_FALSE(responses[1].reason_code().empty());
  EXPECT_EQ(responses[4].outcome(), v1::IngestResponse::REJECTED);
  EXPECT_EQ(responses[4].reason_code(), "empty");
  EXPECT_EQ(Stats().rejected().at("empty"), 1u);
  EXPECT_EQ(Stats().accepted(), 4u);
}

TEST_F(IngestStreamTest, DuplicateSetInOneStreamIsLinkedWithinAndAcrossBatches) {
  Start(100);
  const std::vector<DuplicateSetFile> files = DuplicateSet();
  std::vector<v1::IngestRequest> requests;
  for (const DuplicateSetFile& file : files) requests.push_back(DuplicateSetRequest(file.file));
  std::vector<v1::IngestResponse> responses;
  ASSERT_TRUE(Stream(requests, &responses).ok());
  ExpectDuplicateSetOutcomes(files, responses, queue_);
  EXPECT_EQ(Stats().near_duplicates(), 3u);
  EXPECT_EQ(Stats().duplicates(), 1u);
}

TEST_F(IngestStreamTest, BacklogEndsTheStreamWithAHintAndResendsAreAcceptedExactlyOnce) {
  Start(3);  // at most 4 documents waiting
  std::vector<v1::IngestRequest> requests(10);
  for (int i = 0; i < 10; ++i) requests[i].set_text("Văn bản số " + std::to_string(i));
  std::vector<v1::IngestResponse> responses;
  std::string hint;
  const grpc::Status status = Stream(requests, &responses, &hint);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("retry after 1s"));
  EXPECT_EQ(hint, "1000");
  EXPECT_THAT(responses, SizeIs(4));
  // A client drains nothing itself: it waits for the pipeline (here: a
  // drain) and resends from the first unanswered document.
  size_t next = responses.size();
  for (int round = 0; round < 10 && next < requests.size(); ++round) {
    Drain();
    std::vector<v1::IngestRequest> rest(requests.begin() + next, requests.end());
    std::vector<v1::IngestResponse> more;
    const grpc::Status again = Stream(rest, &more);
    EXPECT_TRUE(again.ok() || again.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
    next += more.size();
    responses.insert(responses.end(), more.begin(), more.end());
  }
  ASSERT_THAT(responses, SizeIs(10));
  for (const v1::IngestResponse& response : responses) {
    EXPECT_EQ(response.outcome(), v1::IngestResponse::ACCEPTED);
  }
  EXPECT_THAT(queue_.Range("t:ingested"), SizeIs(10));
  EXPECT_EQ(Stats().rejected().at("backlog"), 2u);
  EXPECT_EQ(Stats().accepted(), 10u);
}

TEST_F(IngestStreamTest, AClientThatGoesAwayMidStreamLeavesNothingOpen) {
  Start(100);
  {
    grpc::ClientContext context;
    auto stream = stub_->IngestStream(&context);
    v1::IngestRequest request;
    request.set_text("Văn bản thứ nhất");
    ASSERT_TRUE(stream->Write(request));
    v1::IngestResponse response;
    ASSERT_TRUE(stream->Read(&response));
    EXPECT_EQ(response.outcome(), v1::IngestResponse::ACCEPTED);
    context.TryCancel();  // without WritesDone: the client just leaves
    while (stream->Read(&response)) {
    }
    EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (Stats().open_streams() != 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(Stats().open_streams(), 0u);
}

TEST_F(IngestStreamTest, ServerShutdownEndsAStreamWhoseClientIsIdle) {
  Start(100);
  grpc::ClientContext context;
  auto stream = stub_->IngestStream(&context);
  v1::IngestRequest request;
  request.set_text("Văn bản thứ nhất");
  ASSERT_TRUE(stream->Write(request));
  v1::IngestResponse response;
  ASSERT_TRUE(stream->Read(&response));
  // The client neither writes nor half-closes; the server stops.
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
  while (stream->Read(&response)) {
  }
  EXPECT_FALSE(stream->Finish().ok());
  server_.reset();
  EXPECT_EQ(Stats().open_streams(), 0u);
}

}  // namespace
}  // namespace ingest
}  // namespace vnarchive
