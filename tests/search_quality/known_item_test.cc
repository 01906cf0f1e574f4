// Search quality, measured: the known-item queries of
// tests/data/search/known_items.tsv (each written to find one document of the
// project's samples and extraction dev set) run against an archive built from
// those documents by the in-process pipeline, exactly as `vnarchive index
// --db` builds it. The mean reciprocal rank of the expected document within
// the first ten hits must be at least 0.95. Every query that does not put its
// document first is printed with the rank it got and what came first, and
// the MRR is broken down by kind of query, so a failure says what to fix.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/base/status_matchers.h"
#include "gtest/gtest.h"
#include "services/pipeline/core/archive.h"
#include "services/pipeline/core/pipeline.h"
#include "services/search/core/index.h"

namespace vnarchive {
namespace {

namespace fs = std::filesystem;

constexpr double kMinimumMrr = 0.95;
constexpr int kCutoff = 10;
// The documents the queries were written for, relative to tests/data.
constexpr const char* kDocumentDirs[] = {"samples", "extract/dev"};

std::string DataPath(const std::string& relative) {
  return std::string(VNA_TEST_DATA_DIR) + "/" + relative;
}

struct KnownItem {
  int line = 0;
  std::string query;
  std::string expected;  // relative to tests/data
  std::set<std::string> kinds;
};

bool HasDiacritics(absl::string_view query) {
  return std::any_of(query.begin(), query.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

std::vector<KnownItem> LoadKnownItems() {
  std::ifstream in(DataPath("search/known_items.tsv"));
  EXPECT_TRUE(in) << "cannot read known_items.tsv";
  std::vector<KnownItem> items;
  std::string line;
  bool header_seen = false;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    if (!header_seen) {
      header_seen = true;  // query, expected, kinds
      continue;
    }
    std::vector<std::string> columns = absl::StrSplit(line, '\t');
    EXPECT_EQ(columns.size(), 3u) << "known_items.tsv:" << number << ": " << line;
    if (columns.size() != 3) continue;
    KnownItem item;
    item.line = number;
    item.query = columns[0];
    item.expected = columns[1];
    if (columns[2] != "-") {
      for (absl::string_view kind : absl::StrSplit(columns[2], ',')) {
        item.kinds.insert(std::string(kind));
      }
    }
    items.push_back(std::move(item));
  }
  return items;
}

// The archive of every document in kDocumentDirs, and each one's doc_id by
// its path relative to tests/data.
struct Archive {
  std::unique_ptr<search::SearchIndex> index;
  std::map<std::string, std::string> doc_ids;    // relative path -> doc_id
  std::map<std::string, std::string> by_doc_id;  // doc_id -> relative path
};

Archive BuildArchive() {
  Archive archive;
  search::IndexOptions options;
  options.path = ":memory:";
  absl::StatusOr<std::unique_ptr<search::SearchIndex>> index =
      pipeline::OpenArchive(options, pipeline::ArchiveMode::kCreateIfMissing);
  EXPECT_THAT(index, IsOk());
  if (!index.ok()) return archive;
  archive.index = *std::move(index);

  const pipeline::DocumentPipeline pipeline;
  pipeline::ArchiveWriter writer(archive.index.get(), pipeline::ArchiveWriterOptions{});
  std::vector<std::string> paths;
  for (const char* dir : kDocumentDirs) {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(DataPath(dir))) {
      if (entry.is_regular_file()) {
        found.push_back(std::string(dir) + "/" + entry.path().filename().string());
      }
    }
    std::sort(found.begin(), found.end());
    paths.insert(paths.end(), found.begin(), found.end());
  }
  for (size_t i = 0; i < paths.size(); ++i) {
    std::ifstream in(DataPath(paths[i]), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    pipeline::PipelineInput input;
    input.bytes = bytes.str();
    input.name = fs::path(paths[i]).filename().string();
    // As `vnarchive index` sends it (content type "auto").
    if (fs::path(paths[i]).extension() == ".html") input.content_type = "text/html";
    absl::StatusOr<pipeline::PipelineOutput> out = pipeline.Process(input);
    EXPECT_THAT(out, IsOk()) << paths[i];
    if (!out.ok()) continue;
    archive.doc_ids[paths[i]] = out->document.doc_id;
    archive.by_doc_id[out->document.doc_id] = paths[i];
    EXPECT_THAT(writer.Add(std::move(out->document), i), IsOk()) << paths[i];
  }
  EXPECT_THAT(writer.Flush(), IsOk());
  return archive;
}

TEST(KnownItemQuerySetTest, HasTheQueriesTheIssueAsksFor) {
  const std::vector<KnownItem> items = LoadKnownItems();
  EXPECT_GE(items.size(), 60u);
  size_t plain = 0, tone = 0, abbr = 0, entity = 0, phrase = 0;
  std::set<std::string> documents;
  for (const KnownItem& item : items) {
    EXPECT_TRUE(fs::is_regular_file(DataPath(item.expected)))
        << "known_items.tsv:" << item.line << ": no document " << item.expected;
    EXPECT_FALSE(item.query.empty()) << "known_items.tsv:" << item.line;
    for (const std::string& kind : item.kinds) {
      EXPECT_TRUE(kind == "tone" || kind == "abbr" || kind == "entity" || kind == "phrase")
          << "known_items.tsv:" << item.line << ": unknown kind " << kind;
    }
    // A phrase query is one with quotes, and the other way round.
    EXPECT_EQ(item.kinds.count("phrase") == 1, item.query.find('"') != std::string::npos)
        << "known_items.tsv:" << item.line;
    plain += HasDiacritics(item.query) ? 0 : 1;
    tone += item.kinds.count("tone");
    abbr += item.kinds.count("abbr");
    entity += item.kinds.count("entity");
    phrase += item.kinds.count("phrase");
    documents.insert(item.expected);
  }
  EXPECT_GE(plain * 3, items.size()) << "a third must be typed without diacritics";
  EXPECT_GE(tone, 5u);
  EXPECT_GE(abbr, 5u);
  EXPECT_GE(entity, 10u);
  EXPECT_GE(phrase, 3u);
  EXPECT_GE(documents.size(), 60u) << "the queries should cover most documents";
}

TEST(KnownItemSearchTest, MeanReciprocalRankAtTenIsAtLeast095) {
  const std::vector<KnownItem> items = LoadKnownItems();
  ASSERT_FALSE(items.empty());
  Archive archive = BuildArchive();
  ASSERT_NE(archive.index, nullptr);

  // Sums of reciprocal ranks and counts, overall and per kind of query.
  std::map<std::string, std::pair<double, int>> by_kind;
  double total = 0;
  int first = 0, in_top = 0;
  std::string misses;
  for (const KnownItem& item : items) {
    const auto expected = archive.doc_ids.find(item.expected);
    ASSERT_NE(expected, archive.doc_ids.end()) << item.expected << " was not indexed";
    search::SearchQuery query;
    query.query = item.query;
    query.limit = kCutoff;
    absl::StatusOr<search::SearchResult> result = archive.index->Search(query);
    int rank = 0;  // 0: not in the first kCutoff
    std::string top = "(no hits)";
    int64_t matches = 0;
    if (result.ok()) {
      matches = result->total;
      for (size_t i = 0; i < result->hits.size(); ++i) {
        if (result->hits[i].doc_id == expected->second && rank == 0) rank = static_cast<int>(i + 1);
      }
      if (!result->hits.empty()) top = archive.by_doc_id[result->hits[0].doc_id];
    } else {
      top = "error: " + result.status().ToString();
    }
    const double reciprocal = rank == 0 ? 0.0 : 1.0 / rank;
    total += reciprocal;
    first += rank == 1;
    in_top += rank != 0;
    std::set<std::string> kinds = item.kinds;
    kinds.insert(HasDiacritics(item.query) ? "diacritics" : "no-diacritics");
    kinds.insert("all");
    for (const std::string& kind : kinds) {
      by_kind[kind].first += reciprocal;
      by_kind[kind].second += 1;
    }
    if (rank != 1) {
      misses += absl::StrFormat("  line %3d  rank %-3s  %-55s  want %-24s  first %s (%d matches)\n",
                                item.line, rank == 0 ? ">10" : std::to_string(rank), item.query,
                                item.expected, top, matches);
    }
  }
  const double mrr = total / items.size();
  std::string report = absl::StrFormat(
      "known-item search: %d queries over %d documents: MRR@%d %.4f, first %d, in top %d %d\n",
      items.size(), archive.doc_ids.size(), kCutoff, mrr, first, kCutoff, in_top);
  for (const auto& [kind, sum] : by_kind) {
    report += absl::StrFormat("  %-14s %3d queries  MRR@%d %.4f\n", kind, sum.second, kCutoff,
                              sum.first / sum.second);
  }
  if (!misses.empty()) report += "queries whose document is not first:\n" + misses;
  std::printf("%s", report.c_str());
  EXPECT_GE(mrr, kMinimumMrr) << report;
}

}  // namespace
}  // namespace vnarchive
