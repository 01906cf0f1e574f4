#include "services/ingest/rpc/ingest_service.h"

#include <string>

#include "common/base/status_matchers.h"
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
  IngestServiceTest() : service_(Ingestor({}), &queue_, &status_, Options()) {}

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

}  // namespace
}  // namespace ingest
}  // namespace vnarchive
