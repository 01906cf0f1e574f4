// The in-process pipeline stores exactly what the distributed suite stores.
// Every sample and dev document goes once through the real stages, wired as
// their binaries wire them but over in-memory queues (the ingest adapter, the
// normalize and extract stage handlers, the search index handler), and once
// through DocumentPipeline; the two stored documents must be equal. A change
// to one stage's adapter that the pipeline library does not follow fails here.
// (No two of these documents are near-duplicates, so ingest links none:
// DocumentPipeline does not compute duplicate_of.)
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/base/status_matchers.h"
#include "common/queue/memory_admission_store.h"
#include "common/queue/memory_queue.h"
#include "common/queue/status_store.h"
#include "common/service/document_stage.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/extract/core/extractor.h"
#include "services/extract/rpc/extract_convert.h"
#include "services/ingest/core/ingestor.h"
#include "services/ingest/core/near_duplicate.h"
#include "services/ingest/rpc/ingest_service.h"
#include "services/normalize/core/normalizer.h"
#include "services/normalize/rpc/normalize_convert.h"
#include "services/pipeline/core/pipeline.h"
#include "services/search/core/index.h"
#include "services/search/rpc/search_service.h"

namespace vnarchive {
namespace pipeline {
namespace {

namespace fs = std::filesystem;

struct TestFile {
  std::string name;
  std::string bytes;
  std::string content_type;
};

std::vector<TestFile> DataFiles() {
  std::vector<TestFile> files;
  for (const char* dir : {"samples", "extract/dev"}) {
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(std::string(VNA_TEST_DATA_DIR) + "/" + dir)) {
      if (entry.is_regular_file()) paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const fs::path& path : paths) {
      std::ifstream in(path, std::ios::binary);
      std::ostringstream content;
      content << in.rdbuf();
      // What `vnarchive ingest` and `index` send: *.html as a web page.
      files.push_back({path.filename().string(), content.str(),
                       path.extension() == ".html" ? "text/html" : ""});
    }
  }
  return files;
}

std::vector<queue::Entry> Entries(const queue::MemoryQueue& queue, const std::string& stream) {
  std::vector<queue::Entry> entries;
  for (const queue::MemoryQueue::Record& record : queue.Range(stream)) {
    queue::Entry& entry = entries.emplace_back();
    entry.entry_id = record.entry_id;
    entry.key = record.Field("id").value_or("");
    entry.payload = record.Field("pb").value_or("");
  }
  return entries;
}

std::unique_ptr<search::SearchIndex> MemoryIndex() {
  search::IndexOptions options;
  options.path = ":memory:";
  absl::StatusOr<std::unique_ptr<search::SearchIndex>> index = search::SearchIndex::Open(options);
  EXPECT_THAT(index, IsOk());
  return index.ok() ? *std::move(index) : nullptr;
}

// The distributed suite in one process: returns what the search stage stored
// for each file (in file order), indexed by `index`.
std::vector<std::string> RunDistributed(const std::vector<TestFile>& files,
                                        normalize::ToneStyle style, search::SearchIndex* index) {
  queue::MemoryQueue queue;
  queue::MemoryStatusStore status;
  queue::MemoryAdmissionStore admission(&queue, &status);
  ingest::IngestServiceOptions ingest_options;
  ingest_options.ingested_stream = "t:ingested";
  absl::StatusOr<ingest::NearDuplicateDetector> detector =
      ingest::NearDuplicateDetector::Create(ingest::NearDuplicateOptions{});
  EXPECT_THAT(detector, IsOk());
  if (!detector.ok()) return {};
  ingest::IngestServiceImpl ingest_service(ingest::Ingestor(ingest::IngestorOptions{}),
                                           *std::move(detector), &admission, &queue, &status,
                                           ingest_options);
  std::vector<std::string> doc_ids;
  for (const TestFile& file : files) {
    v1::IngestRequest request;
    request.set_text(file.bytes);
    request.set_name(file.name);
    request.set_content_type(file.content_type);
    v1::IngestResponse response;
    grpc::ServerContext context;
    const grpc::Status accepted = ingest_service.Ingest(&context, &request, &response);
    EXPECT_TRUE(accepted.ok()) << file.name << ": " << accepted.error_message();
    doc_ids.push_back(response.doc_id());
  }

  // As services/normalize/main.cc configures its worker.
  normalize::NormalizerOptions normalizer_options;
  normalizer_options.tone_style = style;
  normalizer_options.tokenize = false;
  normalizer_options.find_abbreviations = false;
  const normalize::Normalizer normalizer(normalizer_options);
  auto normalize_stage = MakeDocumentStageHandler(
      &queue, &status, {queue::kStageNormalized, "t:normalized"},
      [&](v1::Document& document) { return normalize::NormalizeDocument(normalizer, document); });
  for (const absl::Status& s : normalize_stage(Entries(queue, "t:ingested"))) {
    EXPECT_THAT(s, IsOk());
  }
  const extract::Extractor extractor;
  auto extract_stage = MakeDocumentStageHandler(
      &queue, &status, {queue::kStageExtracted, "t:extracted"},
      [&](v1::Document& document) { return extract::ExtractDocument(extractor, document); });
  for (const absl::Status& s : extract_stage(Entries(queue, "t:normalized"))) {
    EXPECT_THAT(s, IsOk());
  }
  auto index_stage = search::MakeIndexHandler(index, &status);
  for (const absl::Status& s : index_stage(Entries(queue, "t:extracted"))) {
    EXPECT_THAT(s, IsOk());
  }
  return doc_ids;
}

// Attribute order is not part of the contract (the Document holds a map).
search::StoredDocument Canonical(search::StoredDocument doc) {
  for (search::StoredEntity& entity : doc.entities) {
    std::sort(entity.attributes.begin(), entity.attributes.end());
  }
  doc.ingested_at_unix_ms = 0;  // a clock reading on each side
  return doc;
}

void ExpectSameDocument(const search::StoredDocument& embedded,
                        const search::StoredDocument& distributed) {
  const search::StoredDocument a = Canonical(embedded);
  const search::StoredDocument b = Canonical(distributed);
  EXPECT_EQ(a.doc_id, b.doc_id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.published_at_unix, b.published_at_unix);
  EXPECT_EQ(a.dateline, b.dateline);
  EXPECT_EQ(a.authors, b.authors);
  EXPECT_EQ(a.language, b.language);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.content_hash, b.content_hash);
  EXPECT_EQ(a.duplicate_of, b.duplicate_of);
  ASSERT_EQ(a.entities.size(), b.entities.size());
  for (size_t i = 0; i < a.entities.size(); ++i) {
    const search::StoredEntity& x = a.entities[i];
    const search::StoredEntity& y = b.entities[i];
    EXPECT_EQ(x.type, y.type) << "entity " << i;
    EXPECT_EQ(x.surface, y.surface) << "entity " << i;
    EXPECT_EQ(x.begin, y.begin) << "entity " << i;
    EXPECT_EQ(x.end, y.end) << "entity " << i;
    EXPECT_EQ(x.canonical, y.canonical) << "entity " << i;
    EXPECT_EQ(x.attributes, y.attributes) << "entity " << i;
  }
  EXPECT_GT(embedded.ingested_at_unix_ms, 0);
  EXPECT_GT(distributed.ingested_at_unix_ms, 0);
}

class PipelineEquivalenceTest : public ::testing::TestWithParam<normalize::ToneStyle> {};

TEST_P(PipelineEquivalenceTest, StoresWhatTheDistributedSuiteStores) {
  const std::vector<TestFile> files = DataFiles();
  ASSERT_GE(files.size(), 60u);
  std::unique_ptr<search::SearchIndex> distributed = MemoryIndex();
  std::unique_ptr<search::SearchIndex> embedded = MemoryIndex();
  ASSERT_NE(distributed, nullptr);
  ASSERT_NE(embedded, nullptr);
  const std::vector<std::string> doc_ids = RunDistributed(files, GetParam(), distributed.get());

  PipelineOptions options;
  options.tone_style = GetParam();
  const DocumentPipeline pipeline(options);
  for (size_t i = 0; i < files.size(); ++i) {
    SCOPED_TRACE(files[i].name);
    PipelineInput input;
    input.bytes = files[i].bytes;
    input.name = files[i].name;
    input.content_type = files[i].content_type;
    absl::StatusOr<PipelineOutput> out = pipeline.Process(input);
    ASSERT_THAT(out, IsOk());
    EXPECT_EQ(out->document.doc_id, doc_ids[i]);
    absl::StatusOr<std::optional<search::StoredDocument>> stored =
        distributed->Get(out->document.doc_id);
    ASSERT_THAT(stored, IsOk());
    ASSERT_TRUE(stored->has_value());
    ExpectSameDocument(out->document, **stored);
    // And what the embedded archive reads back is the same again.
    ASSERT_THAT(embedded->Upsert({out->document}), IsOk());
    absl::StatusOr<std::optional<search::StoredDocument>> reread =
        embedded->Get(out->document.doc_id);
    ASSERT_THAT(reread, IsOk());
    ASSERT_TRUE(reread->has_value());
    ExpectSameDocument(**reread, **stored);
  }
}

INSTANTIATE_TEST_SUITE_P(BothToneStyles, PipelineEquivalenceTest,
                         ::testing::Values(normalize::ToneStyle::kTraditional,
                                           normalize::ToneStyle::kModern),
                         [](const ::testing::TestParamInfo<normalize::ToneStyle>& info) {
                           return info.param == normalize::ToneStyle::kModern
                                      ? std::string("Modern")
                                      : std::string("Traditional");
                         });

}  // namespace
}  // namespace pipeline
}  // namespace vnarchive
