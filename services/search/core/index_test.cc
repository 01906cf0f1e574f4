#include "services/search/core/index.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/search/core/fts5_tokenizer.h"

namespace vnarchive {
namespace search {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;

StoredDocument Doc(const std::string& doc_id, const std::string& title,
                   const std::string& text) {
  StoredDocument doc;
  doc.doc_id = doc_id;
  doc.name = doc_id + ".txt";
  doc.source = "baochinhphu.vn";
  doc.title = title;
  doc.text = text;
  return doc;
}

// A private in-memory index with `options` (path set here).
std::unique_ptr<SearchIndex> OpenMemory(IndexOptions options = {}) {
  options.path = ":memory:";
  absl::StatusOr<std::unique_ptr<SearchIndex>> index = SearchIndex::Open(options);
  EXPECT_THAT(index, IsOk());
  return index.ok() ? std::move(index).value() : nullptr;
}

std::vector<std::string> Ids(const SearchResult& result) {
  std::vector<std::string> ids;
  for (const Hit& hit : result.hits) ids.push_back(hit.doc_id);
  return ids;
}

std::vector<std::pair<std::string, int64_t>> FacetPairs(const Facet& facet) {
  std::vector<std::pair<std::string, int64_t>> pairs;
  for (const FacetValue& v : facet.values) pairs.emplace_back(v.value, v.count);
  return pairs;
}

// A unique temporary file path, removed (with its WAL files) at the end.
class TempPath {
 public:
  TempPath() {
    char name[] = "/tmp/vna_search_test_XXXXXX";
    int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    close(fd);
    path_ = name;
    std::remove(path_.c_str());
  }
  ~TempPath() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::remove((path_ + suffix).c_str());
    }
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// --- Open -------------------------------------------------------------------

TEST(SearchIndexOpenTest, EmptyPathIsInvalidArgument) {
  EXPECT_THAT(SearchIndex::Open(IndexOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SearchIndexOpenTest, BadOptionsAreInvalidArgument) {
  IndexOptions options;
  options.path = ":memory:";
  options.snippet_tokens = 65;
  EXPECT_THAT(SearchIndex::Open(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.snippet_tokens = 16;
  options.max_limit = 0;
  EXPECT_THAT(SearchIndex::Open(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.max_limit = 100;
  options.max_facet_values = 0;
  EXPECT_THAT(SearchIndex::Open(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.max_facet_values = 100;
  options.suggestion.min_share = 1.5;
  EXPECT_THAT(SearchIndex::Open(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.suggestion.min_share = 0.75;
  options.max_hit_entities = -1;
  EXPECT_THAT(SearchIndex::Open(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.max_hit_entities = 0;
  options.word_count_sample = -1;
  EXPECT_THAT(SearchIndex::Open(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.word_count_sample = 0;
  EXPECT_THAT(SearchIndex::Open(options), IsOk());
}

TEST(SearchIndexOpenTest, MissingDirectoryIsFailedPrecondition) {
  IndexOptions options;
  options.path = "/nonexistent-dir-vna/x/shard.db";
  EXPECT_THAT(SearchIndex::Open(options),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(SearchIndexOpenTest, NonDatabaseFileIsDataLoss) {
  TempPath temp;
  FILE* f = std::fopen(temp.path().c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::string junk(4096, 'x');
  std::fwrite(junk.data(), 1, junk.size(), f);
  std::fclose(f);
  IndexOptions options;
  options.path = temp.path();
  EXPECT_THAT(SearchIndex::Open(options), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(SearchIndexOpenTest, PersistedFileKeepsDocumentsWhenReopened) {
  TempPath temp;
  IndexOptions options;
  options.path = temp.path();
  {
    absl::StatusOr<std::unique_ptr<SearchIndex>> index = SearchIndex::Open(options);
    ASSERT_THAT(index, IsOk());
    ASSERT_THAT((*index)->Upsert({Doc("a", "Hội nghị", "Đảng ủy xã họp")}), IsOk());
  }
  absl::StatusOr<std::unique_ptr<SearchIndex>> index = SearchIndex::Open(options);
  ASSERT_THAT(index, IsOk());
  absl::StatusOr<SearchResult> result = (*index)->Search({"dang uy"});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 1);
  EXPECT_THAT(Ids(*result), ElementsAre("a"));
}

// --- Upsert / Get / Delete / Stats -----------------------------------------

TEST(SearchIndexTest, EmptyDocIdIsInvalidArgument) {
  auto index = OpenMemory();
  ASSERT_NE(index, nullptr);
  EXPECT_THAT(index->Upsert({Doc("", "t", "x")}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SearchIndexTest, BatchWithOneInvalidDocumentWritesNothing) {
  auto index = OpenMemory();
  ASSERT_NE(index, nullptr);
  absl::Status status = index->Upsert(
      {Doc("good-1", "t", "Đảng ủy"), Doc("bad", "t", "văn bản \xff lỗi"),
       Doc("good-2", "t", "Đảng ủy")});
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(status.message()), HasSubstr("bad"));
  absl::StatusOr<IndexStats> stats = index->Stats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->documents, 0);
  absl::StatusOr<std::optional<StoredDocument>> got = index->Get("good-1");
  ASSERT_THAT(got, IsOk());
  EXPECT_FALSE(got->has_value());
}

TEST(SearchIndexTest, EntityOutsideTheTextIsInvalidArgument) {
  auto index = OpenMemory();
  ASSERT_NE(index, nullptr);
  StoredDocument doc = Doc("a", "t", "Hà Nội");
  doc.entities.push_back({"LOC", "Hà Nội", 0, 100, "Hà Nội", {}});
  EXPECT_THAT(index->Upsert({doc}), StatusIs(absl::StatusCode::kInvalidArgument));
  doc.entities[0].begin = 5;
  doc.entities[0].end = 2;
  EXPECT_THAT(index->Upsert({doc}), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SearchIndexTest, GetReturnsStoredFieldsAndEntities) {
  auto index = OpenMemory();
  ASSERT_NE(index, nullptr);
  StoredDocument doc = Doc("doc-1", "Hội nghị \"quan trọng\"",
                           "Tỉnh Hậu Giang triển khai Chỉ thị 05-CT/TW.\nDòng 2\t\\");
  doc.url = "https://example.vn/a?b=1";
  doc.published_at_unix = 1700000000;
  doc.dateline = "Hậu Giang, 20/7";
  doc.authors = {"Nguyễn Văn A", "Trần \"B\""};
  doc.language = "vi";
  doc.content_hash = "abc123";
  doc.duplicate_of = "doc-0";
  doc.ingested_at_unix_ms = 1700000000123;
  doc.entities.push_back(
      {"LOC", "Tỉnh Hậu Giang", 0, 17, "Hậu Giang", {{"level", "tỉnh"}, {"k", "v\"\n"}}});
  doc.entities.push_back({"DOC_REF", "05-CT/TW", 47, 55, "05-CT/TW", {}});
  ASSERT_THAT(index->Upsert({doc}), IsOk());

  absl::StatusOr<std::optional<StoredDocument>> got = index->Get("doc-1");
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  const StoredDocument& g = **got;
  EXPECT_EQ(g.doc_id, doc.doc_id);
  EXPECT_EQ(g.name, doc.name);
  EXPECT_EQ(g.source, doc.source);
  EXPECT_EQ(g.url, doc.url);
  EXPECT_EQ(g.title, doc.title);
  EXPECT_EQ(g.published_at_unix, doc.published_at_unix);
  EXPECT_EQ(g.dateline, doc.dateline);
  EXPECT_EQ(g.authors, doc.authors);
  EXPECT_EQ(g.language, doc.language);
  EXPECT_EQ(g.text, doc.text);
  EXPECT_EQ(g.content_hash, doc.content_hash);
  EXPECT_EQ(g.duplicate_of, doc.duplicate_of);
  EXPECT_EQ(g.ingested_at_unix_ms, doc.ingested_at_unix_ms);
  ASSERT_THAT(g.entities, SizeIs(2));
  EXPECT_EQ(g.entities[0].type, "LOC");
  EXPECT_EQ(g.entities[0].surface, "Tỉnh Hậu Giang");
  EXPECT_EQ(g.entities[0].begin, 0);
  EXPECT_EQ(g.entities[0].end, 17);
  EXPECT_EQ(g.entities[0].canonical, "Hậu Giang");
  EXPECT_THAT(g.entities[0].attributes,
              ElementsAre(Pair("level", "tỉnh"), Pair("k", "v\"\n")));
  EXPECT_EQ(g.entities[1].canonical, "05-CT/TW");
  EXPECT_THAT(g.entities[1].attributes, IsEmpty());

  absl::StatusOr<std::optional<StoredDocument>> missing = index->Get("nope");
  ASSERT_THAT(missing, IsOk());
  EXPECT_FALSE(missing->has_value());
}

TEST(SearchIndexTest, UpsertTwiceKeepsOneDocumentAndReplacesEntities) {
  auto index = OpenMemory();
  ASSERT_NE(index, nullptr);
  StoredDocument v1 = Doc("a", "Tin cũ", "Đảng ủy phường họp về kinh tế");
  v1.entities.push_back({"ORG", "Đảng ủy phường", 0, 19, "Đảng ủy phường", {}});
  v1.entities.push_back({"DATE", "x", 0, 1, "2024-01-01", {}});
  ASSERT_THAT(index->Upsert({v1}), IsOk());
  ASSERT_THAT(index->Upsert({v1}), IsOk());  // re-delivery
  absl::StatusOr<SearchResult> result = index->Search({"dang uy"});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 1);
  EXPECT_THAT(Ids(*result), ElementsAre("a"));

  StoredDocument v2 = Doc("a", "Tin mới", "Hội đồng nhân dân tỉnh");
  v2.entities.push_back({"ORG", "Hội đồng nhân dân", 0, 24, "HĐND", {}});
  ASSERT_THAT(index->Upsert({v2}), IsOk());
  result = index->Search({"dang uy"});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 0);  // the old text is no longer indexed
  result = index->Search({"hoi dong"});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 1);

  absl::StatusOr<std::optional<StoredDocument>> got = index->Get("a");
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->title, "Tin mới");
  ASSERT_THAT((*got)->entities, SizeIs(1));
  EXPECT_EQ((*got)->entities[0].canonical, "HĐND");
  absl::StatusOr<IndexStats> stats = index->Stats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->documents, 1);
  EXPECT_EQ(stats->entities, 1);
}

TEST(SearchIndexTest, DuplicateDocIdInOneBatchKeepsTheLast) {
  auto index = OpenMemory();
  ASSERT_NE(index, nullptr);
  ASSERT_THAT(index->Upsert({Doc("a", "t", "thứ nhất"), Doc("a", "t", "thứ hai")}),
              IsOk());
  absl::StatusOr<std::optional<StoredDocument>> got = index->Get("a");
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->text, "thứ hai");
  absl::StatusOr<SearchResult> result = index->Search({"thu"});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 1);
}

TEST(SearchIndexTest, DeleteRemovesDocumentEntitiesAndIndexEntry) {
  auto index = OpenMemory();
  ASSERT_NE(index, nullptr);
  StoredDocument doc = Doc("a", "t", "Đảng ủy");
  doc.entities.push_back({"ORG", "Đảng ủy", 0, 11, "Đảng ủy", {}});
  ASSERT_THAT(index->Upsert({doc, Doc("b", "t", "khác")}), IsOk());
  EXPECT_THAT(index->Delete("a"), IsOk());
  absl::StatusOr<bool> again = index->Delete("a");
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(*again);
  absl::StatusOr<SearchResult> result = index->Search({"dang"});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 0);
  absl::StatusOr<IndexStats> stats = index->Stats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->documents, 1);
  EXPECT_EQ(stats->entities, 0);
}

TEST(SearchIndexTest, DeleteReturnsTrueForAnExistingDocument) {
  auto index = OpenMemory();
  ASSERT_NE(index, nullptr);
  ASSERT_THAT(index->Upsert({Doc("a", "t", "x")}), IsOk());
  absl::StatusOr<bool> deleted = index->Delete("a");
  ASSERT_THAT(deleted, IsOk());
  EXPECT_TRUE(*deleted);
}

TEST(SearchIndexTest, StatsCountsDocumentsEntitiesAndBytes) {
  auto index = OpenMemory();
  ASSERT_NE(index, nullptr);
  StoredDocument doc = Doc("a", "t", "Hà Nội và Hậu Giang");
  doc.entities.push_back({"LOC", "Hà Nội", 0, 7, "Hà Nội", {}});
  doc.entities.push_back({"LOC", "Hậu Giang", 13, 24, "Hậu Giang", {}});
  ASSERT_THAT(index->Upsert({doc, Doc("b", "t", "y")}), IsOk());
  absl::StatusOr<IndexStats> stats = index->Stats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->documents, 2);
  EXPECT_EQ(stats->entities, 2);
  EXPECT_GT(stats->db_bytes, 0);
}

TEST(SearchIndexThreadTest, ConcurrentUpsertsAndSearchesAreSerialised) {
  auto index = OpenMemory();
  ASSERT_NE(index, nullptr);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&index, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        EXPECT_THAT(index->Upsert({Doc(id, "Tin", "Đảng ủy xã " + id)}), IsOk());
        EXPECT_THAT(index->Search({"đảng ủy"}), IsOk());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  absl::StatusOr<SearchResult> result = index->Search({"dang uy", 0});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 100);
}

// --- Search ------------------------------------------------------------------

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_ = OpenMemory();
    ASSERT_NE(index_, nullptr);
    ASSERT_THAT(
        index_->Upsert({
            Doc("exact", "Hội nghị", "Đảng ủy bàn giải pháp phát triển kinh tế"),
            Doc("folded", "Tin tức", "dang uy ban giai phap phat trien"),
            Doc("split", "Khác", "ban hành chấp thuận giải thể"),
            Doc("title", "Bàn giải pháp", "nội dung khác"),
        }),
        IsOk());
  }
  SearchResult Run(const std::string& query, int limit = 10, int offset = 0) {
    absl::StatusOr<SearchResult> result = index_->Search({query, limit, offset});
    EXPECT_THAT(result, IsOk()) << query;
    return result.ok() ? *result : SearchResult();
  }

  std::unique_ptr<SearchIndex> index_;
};

TEST_F(SearchTest, QueryErrorsHaveExactCodes) {
  EXPECT_THAT(index_->Search({""}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(index_->Search({"-ban"}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(index_->Search({std::string(2000, 'a')}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(index_->Search({"ban \xc0\xaf"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(index_->Search({"ban OR"}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(index_->Search({"source:"}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(index_->Search({"date:2019-13"}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(index_->Search({"ban", -1, 0}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(index_->Search({"ban", 10, -1}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(index_->Search({"ban", 10, 9995}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SearchTest, LimitIsCappedAndOffsetPages) {
  SearchResult all = Run("ban", 1000);  // capped at max_limit (100), not an error
  EXPECT_EQ(all.total, 4);
  ASSERT_THAT(all.hits, SizeIs(4));
  SearchResult page = Run("ban", 2, 2);
  EXPECT_EQ(page.total, 4);
  ASSERT_THAT(page.hits, SizeIs(2));
  EXPECT_EQ(page.hits[0].doc_id, all.hits[2].doc_id);
  EXPECT_EQ(page.hits[1].doc_id, all.hits[3].doc_id);
  SearchResult count_only = Run("ban", 0);
  EXPECT_EQ(count_only.total, 4);
  EXPECT_THAT(count_only.hits, IsEmpty());
  EXPECT_THAT(Run("ban", 10, 10).hits, IsEmpty());
}

TEST_F(SearchTest, QueryWithoutDiacriticsFindsEveryVariant) {
  SearchResult result = Run("ban giai phap");
  EXPECT_EQ(result.total, 3);
  EXPECT_THAT(Ids(result), ::testing::UnorderedElementsAre("exact", "folded", "title"));
}

TEST_F(SearchTest, ExactDiacriticMatchesRankFirst) {
  SearchResult result = Run("bàn");
  EXPECT_EQ(result.total, 4);  // exact and folded-only rows all match
  ASSERT_THAT(result.hits, SizeIs(4));
  // Exact rows ("exact", "title") first; the title match weighs more.
  EXPECT_EQ(result.hits[0].doc_id, "title");
  EXPECT_EQ(result.hits[1].doc_id, "exact");
  for (size_t i = 1; i < result.hits.size(); ++i) {
    EXPECT_GE(result.hits[i - 1].score, result.hits[i].score);
  }
  EXPECT_GT(result.hits[1].score, result.hits[2].score);
}

TEST_F(SearchTest, AdjacentWordsRankAboveScatteredOnes) {
  auto index = OpenMemory();
  ASSERT_NE(index, nullptr);
  // "scattered" has each word more often (a higher bm25) but never together.
  ASSERT_THAT(index->Upsert({Doc("scattered", "",
                                 "Ban tổ chức họp. Thường trực dự họp. Vụ việc được bàn. "
                                 "Ban kiểm tra và thường trực, vụ án. Ban bí thư thường xuyên."),
                             Doc("adjacent", "", "Hội nghị Ban Thường vụ Tỉnh ủy.")}),
              IsOk());
  for (const char* query : {"ban thuong vu", "Ban Thường vụ", "ban thường vụ tỉnh"}) {
    absl::StatusOr<SearchResult> result = index->Search({query});
    ASSERT_THAT(result, IsOk()) << query;
    if (std::string(query) == "ban thường vụ tỉnh") {
      EXPECT_THAT(Ids(*result), ElementsAre("adjacent")) << query;
      continue;
    }
    ASSERT_THAT(Ids(*result), ElementsAre("adjacent", "scattered")) << query;
    EXPECT_GT(result->hits[0].score, result->hits[1].score) << query;
  }
  // Without the adjacency tier (words joined by OR form no run) bm25 alone
  // puts "scattered" first: the test above measures the tier.
  absl::StatusOr<SearchResult> any = index->Search({"ban OR thuong OR vu"});
  ASSERT_THAT(any, IsOk());
  EXPECT_THAT(Ids(*any), ElementsAre("scattered", "adjacent"));
}

TEST_F(SearchTest, ExactRankingWorksForTheBriefsTwoDocuments) {
  auto index = OpenMemory();
  ASSERT_NE(index, nullptr);
  ASSERT_THAT(index->Upsert({Doc("B", "", "ban giai phap"), Doc("A", "", "bàn giải pháp")}),
              IsOk());
  absl::StatusOr<SearchResult> exact = index->Search({"bàn"});
  ASSERT_THAT(exact, IsOk());
  EXPECT_THAT(Ids(*exact), ElementsAre("A", "B"));
  absl::StatusOr<SearchResult> folded = index->Search({"ban"});
  ASSERT_THAT(folded, IsOk());
  EXPECT_EQ(folded->total, 2);
}

TEST_F(SearchTest, PhraseMatchesOnlyAdjacentSyllables) {
  EXPECT_THAT(Ids(Run("\"giai phap\"")),
              ::testing::UnorderedElementsAre("exact", "folded", "title"));
  EXPECT_THAT(Ids(Run("\"ban chap\"")), IsEmpty());  // "ban hành chấp": not adjacent
  EXPECT_THAT(Ids(Run("ban chap")), ElementsAre("split"));
}

TEST_F(SearchTest, ExclusionRemovesMatches) {
  EXPECT_THAT(Ids(Run("ban -phap")), ElementsAre("split"));
  EXPECT_THAT(Ids(Run("ban -\"giai the\" -dang")), ElementsAre("title"));
  // Exclusion as typed: -"Đảng" removes only the exact form.
  EXPECT_THAT(Ids(Run("ban giai phap -Đảng")),
              ::testing::UnorderedElementsAre("folded", "title"));
}

TEST_F(SearchTest, SnippetMarksMatchesWithBrackets) {
  SearchResult result = Run("kinh tế");
  ASSERT_THAT(result.hits, SizeIs(1));
  EXPECT_EQ(result.hits[0].doc_id, "exact");
  // Each matched term is marked on its own; a phrase is marked as one span.
  EXPECT_EQ(result.hits[0].snippet, "Đảng ủy bàn giải pháp phát triển [kinh] [tế]");
  SearchResult phrase = Run("\"kinh te\"");
  ASSERT_THAT(phrase.hits, SizeIs(1));
  EXPECT_THAT(phrase.hits[0].snippet, HasSubstr("[kinh tế]"));
  EXPECT_EQ(result.hits[0].title, "Hội nghị");
  EXPECT_EQ(result.hits[0].name, "exact.txt");
  EXPECT_EQ(result.hits[0].source, "baochinhphu.vn");
}

TEST_F(SearchTest, SnippetAcrossParagraphsIsOneLine) {
  ASSERT_THAT(index_->Upsert({Doc("paragraphs", "", "Đoạn đầu nói về chi bộ.\n\nĐoạn sau cũng vậy.")}),
              IsOk());
  SearchResult result = Run("\"chi bộ\" đoạn sau");
  ASSERT_THAT(result.hits, SizeIs(1));
  EXPECT_EQ(result.hits[0].snippet.find('\n'), std::string::npos) << result.hits[0].snippet;
  EXPECT_THAT(result.hits[0].snippet, HasSubstr("[chi bộ]. [Đoạn] [sau]"));
}

TEST_F(SearchTest, QueryInTheOtherToneStyleMatchesExactly) {
  // Indexed in the traditional style, as the normaliser writes it.
  ASSERT_THAT(index_->Upsert({Doc("tone", "", "công trình thủy lợi được khởi công")}), IsOk());
  SearchResult modern = Run("thuỷ lợi");
  ASSERT_THAT(modern.hits, SizeIs(1));
  EXPECT_EQ(modern.hits[0].doc_id, "tone");
  EXPECT_THAT(modern.hits[0].snippet, HasSubstr("[thủy] [lợi]"));
  SearchResult traditional = Run("thủy lợi");
  ASSERT_THAT(traditional.hits, SizeIs(1));
  // Both spellings are the same search term: the same (exact-match) score.
  EXPECT_DOUBLE_EQ(modern.hits[0].score, traditional.hits[0].score);
}

TEST_F(SearchTest, SortsByPublicationDateWithUndatedLast) {
  StoredDocument older = Doc("d2017", "", "hội nghị giao ban khối thi đua");
  older.published_at_unix = 1500076920;  // 2017-07-15
  StoredDocument newer = Doc("d2019", "", "hội nghị giao ban cụm thi đua");
  newer.published_at_unix = 1563611100;  // 2019-07-20
  StoredDocument undated = Doc("nodate", "", "giao ban thi đua hằng tháng");
  ASSERT_THAT(index_->Upsert({older, undated, newer}), IsOk());
  SearchQuery query;
  query.query = "giao ban thi dua";
  query.sort = SortOrder::kNewestFirst;
  auto newest = index_->Search(query);
  ASSERT_THAT(newest, IsOk());
  EXPECT_EQ(Ids(*newest), (std::vector<std::string>{"d2019", "d2017", "nodate"}));
  query.sort = SortOrder::kOldestFirst;
  auto oldest = index_->Search(query);
  ASSERT_THAT(oldest, IsOk());
  EXPECT_EQ(Ids(*oldest), (std::vector<std::string>{"d2017", "d2019", "nodate"}));
  EXPECT_EQ(oldest->hits[0].published_at_unix, 1500076920);
}

TEST_F(SearchTest, AbbreviationAndItsExpansionFindTheSameDocuments) {
  ASSERT_THAT(index_->Upsert({Doc("short", "", "Chủ tịch UBND tỉnh dự lễ khởi công"),
                              Doc("long", "", "Ủy ban nhân dân huyện tổ chức tiếp dân")}),
              IsOk());
  for (const char* query : {"UBND", "\"Ủy ban nhân dân\"", "\"uy ban nhan dan\""}) {
    SearchResult result = Run(query);
    std::vector<std::string> ids = Ids(result);
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, (std::vector<std::string>{"long", "short"})) << query;
  }
}

TEST_F(SearchTest, OrFindsEitherPhrase) {
  ASSERT_THAT(index_->Upsert({Doc("congress", "", "đại hội chi bộ nhiệm kỳ mới"),
                              Doc("meeting", "", "hội nghị sơ kết sáu tháng"),
                              Doc("other", "", "lễ khởi công nhà đại đoàn kết")}),
              IsOk());
  // The fixture's own documents may match too ("Hội nghị" is a title there).
  const std::vector<std::string> ids = Ids(Run("\"đại hội\" OR \"hoi nghi\""));
  EXPECT_THAT(ids, ::testing::Contains("congress"));
  EXPECT_THAT(ids, ::testing::Contains("meeting"));
  EXPECT_THAT(ids, ::testing::Not(::testing::Contains("other")));
  EXPECT_THAT(Ids(Run("\"đại hội\" \"hoi nghi\"")), ::testing::IsEmpty());
}

TEST_F(SearchTest, Fts5SyntaxInTheQueryIsPlainText) {
  ASSERT_THAT(index_->Upsert({Doc("syntax", "", "title x or near")}), IsOk());
  // Would be a column filter / OR / open string in raw FTS5.
  EXPECT_THAT(Ids(Run("title:x or \"")), ElementsAre("syntax"));
  EXPECT_THAT(Ids(Run("NEAR(")), ElementsAre("syntax"));
  EXPECT_THAT(Ids(Run("ban*")), SizeIs(4));  // no prefix query: just "ban"
  EXPECT_THAT(index_->Search({"*"}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(index_->Search({"\"\"\"\"\"\""}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  for (const char* query : {"a OR b", "\")(", "x:y", "{title text}: ban", "^ban",
                            "ban AND", "NOT ban", "ban + \"", "'; DROP TABLE documents;--"}) {
    EXPECT_THAT(index_->Search({query}),
                ::testing::AnyOf(IsOk(), StatusIs(absl::StatusCode::kInvalidArgument)))
        << query;
  }
  EXPECT_EQ(Run("ban").total, 4);  // documents table intact
}

// --- Filters, facets, entities in hits, suggestion ---------------------------

// Adds an entity for the first occurrence of `surface` in doc->text.
void AddEntity(StoredDocument* doc, const std::string& type, const std::string& surface,
               const std::string& canonical,
               std::vector<std::pair<std::string, std::string>> attributes = {}) {
  const size_t at = doc->text.find(surface);
  ASSERT_NE(at, std::string::npos) << surface;
  doc->entities.push_back({type, surface, static_cast<int64_t>(at),
                           static_cast<int64_t>(at + surface.size()), canonical,
                           std::move(attributes)});
}

// Seconds since the epoch of a time in Vietnam (UTC+7).
int64_t VietnamTime(int y, int m, int d, int hh, int mm) {
  return absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), absl::FixedTimeZone(7 * 3600)));
}

// A small archive whose filter results and facet counts are worked out by
// hand in the tests below:
//   d1 2019-07-20 baohaugiang  PERSON Đào Đức Toàn, DOC_REF 05-CT/TW, LOC Hậu Giang
//   d2 2019-03-14 baohaugiang  PERSON Đào Đức Toàn, DOC_REF 08-QĐi/TW twice
//                              (as the code and as the linked "Quy định 08")
//   d3 2018-12-31 23:30        ORG Ủy ban nhân dân tỉnh Hậu Giang, LOC Hậu Giang,
//      baochinhphu             DOC_REF Nghị quyết Trung ương 4 khóa XII
//   d4 2019-01-01 00:30        DOC_REF Chỉ thị 05 (not linked), LOC Cần Thơ
//      baochinhphu             (2018 in UTC, 2019 in Vietnam)
//   d5 undated, no source      PERSON Đào Đức Toàn, LOC Hậu Giang
//   d6 2020-05-01 baohaugiang  DOC_REF 157/2007/NĐ-CP
class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_ = OpenMemory();
    ASSERT_NE(index_, nullptr);
    ASSERT_THAT(index_->Upsert(Archive()), IsOk());
  }

  static std::vector<StoredDocument> Archive() {
    StoredDocument d1 = Doc("d1", "Nêu gương ở Hậu Giang",
                            "Đồng chí Đào Đức Toàn nêu gương học tập theo Chỉ thị số 05-CT/TW "
                            "tại tỉnh Hậu Giang.");
    d1.source = "baohaugiang.com.vn";
    d1.published_at_unix = VietnamTime(2019, 7, 20, 10, 0);
    AddEntity(&d1, "PERSON", "Đào Đức Toàn", "Đào Đức Toàn");
    AddEntity(&d1, "DOC_REF", "05-CT/TW", "05-CT/TW",
              {{"kind", "chỉ thị"}, {"number", "05"}, {"issuer", "TW"}});
    AddEntity(&d1, "LOC", "tỉnh Hậu Giang", "Hậu Giang", {{"level", "tỉnh"}});

    StoredDocument d2 = Doc("d2", "Triển khai Quy định 08",
                            "Đào Đức Toàn chủ trì hội nghị triển khai Quy định số 08-QĐi/TW; "
                            "Quy định 08 nêu rõ trách nhiệm nêu gương.");
    d2.source = "baohaugiang.com.vn";
    d2.published_at_unix = VietnamTime(2019, 3, 14, 9, 0);
    AddEntity(&d2, "PERSON", "Đào Đức Toàn", "Đào Đức Toàn");
    AddEntity(&d2, "DOC_REF", "08-QĐi/TW", "08-QĐi/TW",
              {{"kind", "quy định"}, {"number", "08"}, {"issuer", "TW"}});
    AddEntity(&d2, "DOC_REF", "Quy định 08", "08-QĐi/TW",
              {{"kind", "quy định"}, {"number", "08"}});

    StoredDocument d3 = Doc("d3", "Làm việc với tỉnh",
                            "Thủ tướng làm việc với Ủy ban nhân dân tỉnh Hậu Giang về "
                            "Nghị quyết Trung ương 4 khóa XII.");
    d3.source = "baochinhphu.vn";
    d3.published_at_unix = VietnamTime(2018, 12, 31, 23, 30);
    AddEntity(&d3, "ORG", "Ủy ban nhân dân tỉnh Hậu Giang", "Ủy ban nhân dân tỉnh Hậu Giang");
    AddEntity(&d3, "LOC", "Hậu Giang", "Hậu Giang");
    AddEntity(&d3, "DOC_REF", "Nghị quyết Trung ương 4 khóa XII",
              "Nghị quyết Trung ương 4 khóa XII",
              {{"kind", "nghị quyết"}, {"plenum", "4"}, {"term", "XII"}});

    StoredDocument d4 =
        Doc("d4", "Chi bộ", "Chi bộ nêu gương sáng về học tập Chỉ thị 05 tại Cần Thơ.");
    d4.source = "baochinhphu.vn";
    d4.published_at_unix = VietnamTime(2019, 1, 1, 0, 30);
    AddEntity(&d4, "DOC_REF", "Chỉ thị 05", "Chỉ thị 05", {{"kind", "chỉ thị"}, {"number", "05"}});
    AddEntity(&d4, "LOC", "Cần Thơ", "Cần Thơ");

    StoredDocument d5 = Doc("d5", "Ý kiến",
                            "Nếu không nêu gương thì khó thuyết phục; Đào Đức Toàn nhắc lại ở "
                            "Hậu Giang.");
    d5.source = "";
    AddEntity(&d5, "PERSON", "Đào Đức Toàn", "Đào Đức Toàn");
    AddEntity(&d5, "LOC", "Hậu Giang", "Hậu Giang");

    StoredDocument d6 = Doc("d6", "Nghị định",
                            "Nghị định 157/2007/NĐ-CP quy định trách nhiệm người đứng đầu.");
    d6.source = "baohaugiang.com.vn";
    d6.published_at_unix = VietnamTime(2020, 5, 1, 8, 0);
    AddEntity(&d6, "DOC_REF", "157/2007/NĐ-CP", "157/2007/NĐ-CP",
              {{"kind", "nghị định"}, {"number", "157"}, {"year", "2007"}});
    return {d1, d2, d3, d4, d5, d6};
  }

  SearchResult Run(SearchQuery query) {
    query.limit = 100;
    absl::StatusOr<SearchResult> result = index_->Search(query);
    EXPECT_THAT(result, IsOk()) << query.query;
    return result.ok() ? *result : SearchResult();
  }
  // The ids of every match, sorted.
  std::vector<std::string> Find(const std::string& query) {
    SearchQuery q;
    q.query = query;
    SearchResult result = Run(q);
    EXPECT_EQ(result.total, static_cast<int64_t>(result.hits.size())) << query;
    std::vector<std::string> ids = Ids(result);
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  // The error message of a query that must be InvalidArgument.
  std::string ErrorOf(const SearchQuery& query) {
    absl::StatusOr<SearchResult> result = index_->Search(query);
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument)) << query.query;
    return std::string(result.status().message());
  }

  std::unique_ptr<SearchIndex> index_;
};

using Strings = std::vector<std::string>;

TEST_F(ArchiveTest, MalformedQueriesNameTheBytePosition) {
  EXPECT_THAT(ErrorOf({"nêu gương date:2019-13-01"}),
              HasSubstr("query at byte 13: date:2019-13-01: "));
  EXPECT_THAT(ErrorOf({"person:\"\""}), HasSubstr("query at byte 0: person:\"\" has no value"));
  EXPECT_THAT(ErrorOf({"a date:2019-12-31..2019-01-01"}), HasSubstr("query at byte 2:"));
  EXPECT_THAT(ErrorOf({"date:2019-7-x"}), HasSubstr("is not a date"));
  EXPECT_THAT(ErrorOf({"gương OR"}), HasSubstr("query at byte 8: OR has no term"));
  EXPECT_THAT(ErrorOf({"-loc:\"Hậu Giang\""}), HasSubstr("only exclusions"));
}

TEST_F(ArchiveTest, PersonFilterAloneListsHisDocumentsNewestFirstUndatedLast) {
  SearchQuery query;
  query.query = "person:\"Đào Đức Toàn\"";
  SearchResult result = Run(query);
  EXPECT_EQ(result.total, 3);
  EXPECT_THAT(Ids(result), ElementsAre("d1", "d2", "d5"));
  query.sort = SortOrder::kOldestFirst;
  EXPECT_THAT(Ids(Run(query)), ElementsAre("d2", "d1", "d5"));
  // The snippet of a filters-only query is the opening of the text, cut
  // after snippet_tokens (16) words ("05-CT/TW" is three).
  EXPECT_EQ(result.hits[0].snippet,
            "Đồng chí Đào Đức Toàn nêu gương học tập theo Chỉ thị số 05-CT/TW…");
  EXPECT_EQ(result.hits[2].snippet,
            "Nếu không nêu gương thì khó thuyết phục; Đào Đức Toàn nhắc lại ở Hậu Giang.");
  EXPECT_EQ(result.hits[0].score, 0);
}

TEST_F(ArchiveTest, EntityFiltersIgnoreCaseDiacriticsAndToneStyle) {
  for (const char* query : {"person:\"Đào Đức Toàn\"", "person:\"dao duc toan\"",
                            "PERSON:\"ĐÀO ĐỨC TOÀN\"", "person:Đào-Đức-Toàn"}) {
    EXPECT_EQ(Find(query), (Strings{"d1", "d2", "d5"})) << query;
  }
  for (const char* query : {"loc:\"Hậu Giang\"", "loc:\"Hau Giang\"", "loc:hau-giang"}) {
    EXPECT_EQ(Find(query), (Strings{"d1", "d3", "d5"})) << query;
  }
  EXPECT_EQ(Find("org:\"uy ban nhan dan tinh hau giang\""), (Strings{"d3"}));
  // Tone on the other vowel ("khoá"/"khóa") is the same word.
  EXPECT_EQ(Find("ref:\"Nghị quyết Trung ương 4 khoá XII\""), (Strings{"d3"}));
  // Only the whole value: a part of a name is not a filter match.
  EXPECT_EQ(Find("person:Toàn"), Strings{});
  EXPECT_EQ(Find("loc:Giang"), Strings{});
}

TEST_F(ArchiveTest, RefFindsADocumentByEveryWrittenForm) {
  for (const char* query :
       {"ref:08-QĐi/TW", "ref:08-qdi/tw", "ref:8-QĐi/TW", "ref:\"Quy định 08\"",
        "ref:\"quy dinh so 8\"", "ref:\"Quy định số 08-QĐi/TW\"", "ref:08-QĐi"}) {
    EXPECT_EQ(Find(query), (Strings{"d2"})) << query;
  }
  // d1 cites the code, d4 only "Chỉ thị 05" (no code in it to link to).
  EXPECT_EQ(Find("ref:\"Chỉ thị 05\""), (Strings{"d1", "d4"}));
  EXPECT_EQ(Find("ref:\"chi thi so 05\""), (Strings{"d1", "d4"}));
  EXPECT_EQ(Find("ref:05-CT/TW"), (Strings{"d1"}));
  EXPECT_EQ(Find("ref:\"Chỉ thị số 05-CT/TW\""), (Strings{"d1"}));
  for (const char* query : {"ref:\"Nghị quyết Trung ương 4\"", "ref:\"Nghị quyết TW 4\"",
                            "ref:\"Nghị quyết Trung ương 4 khóa XII\""}) {
    EXPECT_EQ(Find(query), (Strings{"d3"})) << query;
  }
  for (const char* query : {"ref:157/2007/NĐ-CP", "ref:\"Nghị định 157\"",
                            "ref:\"Nghị định số 157/2007\"", "ref:157/2007/nd-cp"}) {
    EXPECT_EQ(Find(query), (Strings{"d6"})) << query;
  }
  EXPECT_EQ(Find("ref:\"Quy định 05\""), Strings{});
  EXPECT_EQ(Find("ref:09-QĐi/TW"), Strings{});
}

TEST_F(ArchiveTest, SourceFilterMatchesTheSourceOrItsFirstWords) {
  EXPECT_EQ(Find("source:baochinhphu.vn"), (Strings{"d3", "d4"}));
  EXPECT_EQ(Find("source:BaoChinhPhu"), (Strings{"d3", "d4"}));
  EXPECT_EQ(Find("source:baohaugiang.com.vn"), (Strings{"d1", "d2", "d6"}));
  EXPECT_EQ(Find("source:baochinh"), Strings{});  // whole words only
}

TEST_F(ArchiveTest, DateFiltersUseVietnamDays) {
  // d4 is 2019-01-01 00:30 in Vietnam (still 2018 in UTC); d3 is 23:30 the
  // evening before.
  EXPECT_EQ(Find("date:2019"), (Strings{"d1", "d2", "d4"}));
  EXPECT_EQ(Find("date:2018"), (Strings{"d3"}));
  EXPECT_EQ(Find("date:2019-01-01"), (Strings{"d4"}));
  EXPECT_EQ(Find("date:2018-12-31"), (Strings{"d3"}));
  EXPECT_EQ(Find("date:2019-07"), (Strings{"d1"}));
  EXPECT_EQ(Find("date:07/2019"), (Strings{"d1"}));
  EXPECT_EQ(Find("date:2019-07-20"), (Strings{"d1"}));
  EXPECT_EQ(Find("date:20/07/2019"), (Strings{"d1"}));
  EXPECT_EQ(Find("date:2019-01-01..2019-12-31"), (Strings{"d1", "d2", "d4"}));
  EXPECT_EQ(Find("date:2019-03-14..2019-07-20"), (Strings{"d1", "d2"}));  // both ends included
  EXPECT_EQ(Find("date:..2018-12-31"), (Strings{"d3"}));
  EXPECT_EQ(Find("date:2019-01-01.."), (Strings{"d1", "d2", "d4", "d6"}));
  EXPECT_EQ(Find("date:2019-07-21..2020-04"), Strings{});
  // Undated documents match no date, and so survive excluding one.
  EXPECT_EQ(Find("\"Đào Đức Toàn\" -date:2019"), (Strings{"d5"}));
}

TEST_F(ArchiveTest, FiltersCombineWithTextPhrasesOrAndExclusions) {
  EXPECT_EQ(Find("\"nêu gương\""), (Strings{"d1", "d2", "d4", "d5"}));
  EXPECT_EQ(Find("\"nêu gương\" person:\"Đào Đức Toàn\""), (Strings{"d1", "d2", "d5"}));
  EXPECT_EQ(Find("\"neu guong\" date:2019"), (Strings{"d1", "d2", "d4"}));
  EXPECT_EQ(Find("\"nêu gương\" -person:\"Đào Đức Toàn\""), (Strings{"d4"}));
  EXPECT_EQ(Find("\"nêu gương\" -loc:\"Hậu Giang\" -source:baochinhphu"), (Strings{"d2"}));
  EXPECT_EQ(Find("person:\"Đào Đức Toàn\" loc:\"Hậu Giang\""), (Strings{"d1", "d5"}));
  EXPECT_EQ(Find("loc:\"Hậu Giang\" OR loc:\"Cần Thơ\""), (Strings{"d1", "d3", "d4", "d5"}));
  EXPECT_EQ(Find("ref:05-CT/TW OR ref:\"Nghị định 157\" date:2019"), (Strings{"d1"}));
  EXPECT_EQ(Find("\"Cần Thơ\" OR \"ủy ban nhân dân\" date:2018-12-01.."), (Strings{"d3", "d4"}));
  EXPECT_EQ(Find("UBND loc:\"Hậu Giang\""), (Strings{"d3"}));  // abbreviation + filter
  // Exclusions beside filters only.
  EXPECT_EQ(Find("date:2019 -\"Quy định\""), (Strings{"d1", "d4"}));
  EXPECT_EQ(Find("source:baohaugiang -gương -dinh"), (Strings{}));
  EXPECT_EQ(Find("source:baohaugiang -gương"), (Strings{"d6"}));
}

TEST_F(ArchiveTest, StructuredFiltersTakeTheSamePath) {
  SearchQuery query;
  query.filters = {{"person", "dao duc toan"}, {"loc", "Hậu Giang", /*exclude=*/true}};
  EXPECT_THAT(Ids(Run(query)), ElementsAre("d2"));
  query.query = "  ";  // blank text with filters: filters only
  EXPECT_THAT(Ids(Run(query)), ElementsAre("d2"));
  query.query = "gương";
  query.filters = {{"ref", "Quy định 08"}};
  EXPECT_THAT(Ids(Run(query)), ElementsAre("d2"));
  query.filters = {{"DATE", "2019-01"}};  // ANDed with the text
  EXPECT_THAT(Ids(Run(query)), ElementsAre("d4"));

  SearchQuery dates;
  dates.published_after = VietnamTime(2019, 1, 1, 0, 0);
  dates.published_before = VietnamTime(2019, 7, 20, 10, 0);  // before d1, exclusive
  EXPECT_THAT(Ids(Run(dates)), ElementsAre("d2", "d4"));
  dates.published_before.reset();
  EXPECT_THAT(Ids(Run(dates)), ElementsAre("d6", "d1", "d2", "d4"));

  SearchQuery bad;
  bad.filters = {{"title", "x"}};
  EXPECT_THAT(ErrorOf(bad), HasSubstr("filters[0]: unknown field 'title'"));
  bad.filters = {{"person", "x"}, {"date", "2019-02-30"}};
  EXPECT_THAT(ErrorOf(bad), HasSubstr("filters[1] (date): '2019-02-30': day 30"));
  bad.filters = {{"loc", ""}};
  EXPECT_THAT(ErrorOf(bad), HasSubstr("filters[0] (loc): empty value"));
  bad.filters = {{"loc", "x", true}};
  EXPECT_THAT(ErrorOf(bad), HasSubstr("only exclusions"));
  bad.filters = {{"loc", "a\xff"}};
  EXPECT_THAT(ErrorOf(bad), HasSubstr("invalid UTF-8"));
  bad.filters.clear();
  bad.published_after = 100;
  bad.published_before = 100;
  EXPECT_THAT(ErrorOf(bad), HasSubstr("published_after (100) must be before"));
  SearchQuery empty;
  EXPECT_THAT(ErrorOf(empty), HasSubstr("query is empty"));
}

TEST_F(ArchiveTest, TooManyFiltersIsInvalidArgument) {
  SearchQuery query;
  query.query = "loc:a";
  for (int i = 0; i < 16; ++i) query.filters.push_back({"loc", "x"});
  EXPECT_THAT(ErrorOf(query), HasSubstr("17 filters; the limit is 16"));
}

TEST_F(ArchiveTest, FacetsCountEveryMatchNotOnlyThePage) {
  SearchQuery query;
  query.query = "date:2019..";  // d1, d2, d4, d6
  query.facets = {"person", "ref", "year", "source", "loc", "org", "person"};
  query.limit = 1;
  absl::StatusOr<SearchResult> result = index_->Search(query);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 4);
  EXPECT_THAT(result->hits, SizeIs(1));
  ASSERT_THAT(result->facets, SizeIs(6));  // the repeated "person" once
  auto values = [&](size_t i) {
    std::vector<std::pair<std::string, int64_t>> out;
    for (const FacetValue& v : result->facets[i].values) out.emplace_back(v.value, v.count);
    return out;
  };
  EXPECT_EQ(result->facets[0].field, "person");
  EXPECT_THAT(values(0), ElementsAre(Pair("Đào Đức Toàn", 2)));
  EXPECT_EQ(result->facets[1].field, "ref");
  // d2 names 08-QĐi/TW twice: one document, counted once. Ties by value.
  EXPECT_THAT(values(1), ElementsAre(Pair("05-CT/TW", 1), Pair("08-QĐi/TW", 1),
                                     Pair("157/2007/NĐ-CP", 1), Pair("Chỉ thị 05", 1)));
  EXPECT_THAT(values(2), ElementsAre(Pair("2019", 3), Pair("2020", 1)));
  EXPECT_THAT(values(3), ElementsAre(Pair("baohaugiang.com.vn", 3), Pair("baochinhphu.vn", 1)));
  EXPECT_THAT(values(4), ElementsAre(Pair("Cần Thơ", 1), Pair("Hậu Giang", 1)));
  EXPECT_THAT(values(5), IsEmpty());
}

TEST_F(ArchiveTest, FacetsOfATextQueryAndTheirLimit) {
  SearchQuery query;
  query.query = "\"nêu gương\"";  // d1, d2, d4, d5
  query.facets = {"Person", "year", "loc", "source"};
  SearchResult result = Run(query);
  ASSERT_THAT(result.facets, SizeIs(4));
  EXPECT_EQ(result.facets[0].field, "person");
  ASSERT_THAT(result.facets[0].values, SizeIs(1));
  EXPECT_EQ(result.facets[0].values[0].count, 3);  // d1, d2, d5
  // d5 has no date and no source: in neither facet.
  ASSERT_THAT(result.facets[1].values, SizeIs(1));
  EXPECT_EQ(result.facets[1].values[0].value, "2019");
  EXPECT_EQ(result.facets[1].values[0].count, 3);
  ASSERT_THAT(result.facets[2].values, SizeIs(2));
  EXPECT_EQ(result.facets[2].values[0].value, "Hậu Giang");  // d1, d5
  EXPECT_EQ(result.facets[2].values[0].count, 2);
  EXPECT_EQ(result.facets[2].values[1].value, "Cần Thơ");
  EXPECT_EQ(result.facets[3].values[0].value, "baohaugiang.com.vn");
  EXPECT_EQ(result.facets[3].values[0].count, 2);

  query.facet_limit = 1;
  query.facets = {"source"};
  result = Run(query);
  ASSERT_THAT(result.facets, SizeIs(1));
  EXPECT_THAT(result.facets[0].values, SizeIs(1));

  // Facets of a search that matches nothing are empty, not an error.
  query.query = "person:\"không có ai\"";
  query.facets = {"person", "year"};
  result = Run(query);
  EXPECT_EQ(result.total, 0);
  ASSERT_THAT(result.facets, SizeIs(2));
  EXPECT_THAT(result.facets[0].values, IsEmpty());
}

TEST_F(ArchiveTest, BadFacetRequestsAreInvalidArgument) {
  SearchQuery query;
  query.query = "gương";
  query.facets = {"person", "title"};
  EXPECT_THAT(ErrorOf(query), HasSubstr("unknown facet 'title'"));
  query.facets = {"person"};
  query.facet_limit = 0;
  EXPECT_THAT(ErrorOf(query), HasSubstr("facet_limit"));
}

TEST_F(ArchiveTest, DeletedDocumentLeavesFacetsAndFiltersAtOnce) {
  SearchQuery query;
  query.query = "date:2019..";
  query.facets = {"person", "loc"};
  ASSERT_THAT(index_->Delete("d1"), IsOkAndHolds(true));
  SearchResult result = Run(query);
  EXPECT_EQ(result.total, 3);
  ASSERT_THAT(result.facets, SizeIs(2));
  ASSERT_THAT(result.facets[0].values, SizeIs(1));
  EXPECT_EQ(result.facets[0].values[0].count, 1);  // only d2 now
  ASSERT_THAT(result.facets[1].values, SizeIs(1));
  EXPECT_EQ(result.facets[1].values[0].value, "Cần Thơ");  // d1 was the Hậu Giang one
  EXPECT_EQ(Find("ref:05-CT/TW"), Strings{});
  EXPECT_EQ(Find("person:\"Đào Đức Toàn\""), (Strings{"d2", "d5"}));
}

TEST_F(ArchiveTest, ReplacedDocumentIsFilteredByItsNewEntitiesOnly) {
  StoredDocument d1 = Archive()[0];
  d1.entities.clear();
  AddEntity(&d1, "LOC", "Hậu Giang", "Hậu Giang");
  d1.source = "nhandan.vn";
  ASSERT_THAT(index_->Upsert({d1}), IsOk());
  EXPECT_EQ(Find("person:\"Đào Đức Toàn\""), (Strings{"d2", "d5"}));
  EXPECT_EQ(Find("source:nhandan"), (Strings{"d1"}));
  EXPECT_EQ(Find("source:baohaugiang"), (Strings{"d2", "d6"}));
}

TEST_F(ArchiveTest, HitsCarryTheirDistinctEntitiesInOrder) {
  SearchQuery query;
  query.query = "ref:\"Quy định 08\"";
  SearchResult result = Run(query);
  ASSERT_THAT(result.hits, SizeIs(1));
  const std::vector<StoredEntity>& entities = result.hits[0].entities;
  // 08-QĐi/TW appears twice in d2 ("08-QĐi/TW", "Quy định 08"): listed once,
  // with its first surface.
  ASSERT_THAT(entities, SizeIs(2));
  EXPECT_EQ(entities[0].type, "PERSON");
  EXPECT_EQ(entities[0].canonical, "Đào Đức Toàn");
  EXPECT_EQ(entities[0].surface, "Đào Đức Toàn");
  EXPECT_EQ(entities[0].begin, 0);
  EXPECT_EQ(entities[1].type, "DOC_REF");
  EXPECT_EQ(entities[1].canonical, "08-QĐi/TW");
  EXPECT_EQ(entities[1].surface, "08-QĐi/TW");
  EXPECT_THAT(entities[1].attributes, IsEmpty());

  IndexOptions options;
  options.path = ":memory:";
  options.max_hit_entities = 1;
  absl::StatusOr<std::unique_ptr<SearchIndex>> small = SearchIndex::Open(options);
  ASSERT_THAT(small, IsOk());
  ASSERT_THAT((*small)->Upsert(Archive()), IsOk());
  absl::StatusOr<SearchResult> bounded = (*small)->Search(query);
  ASSERT_THAT(bounded, IsOk());
  ASSERT_THAT(bounded->hits, SizeIs(1));
  EXPECT_THAT(bounded->hits[0].entities, SizeIs(1));
}

TEST_F(ArchiveTest, SnippetMarksWordsMatchedThroughFoldingAndAbbreviations) {
  SearchQuery query;
  query.query = "person:\"Đào Đức Toàn\" thuyet phuc";
  SearchResult folded = Run(query);
  ASSERT_THAT(folded.hits, SizeIs(1));
  EXPECT_THAT(folded.hits[0].snippet, HasSubstr("[thuyết] [phục]"));
  query.query = "UBND";
  SearchResult expansion = Run(query);
  ASSERT_THAT(expansion.hits, SizeIs(1));
  EXPECT_THAT(expansion.hits[0].snippet, HasSubstr("[Ủy ban nhân dân]"));
  ASSERT_THAT(index_->Upsert({Doc("short", "", "Chủ tịch UBND tỉnh dự lễ khởi công")}), IsOk());
  query.query = "\"uy ban nhan dan\" -Thủ";
  SearchResult abbreviation = Run(query);
  ASSERT_THAT(abbreviation.hits, SizeIs(1));
  EXPECT_EQ(abbreviation.hits[0].snippet, "Chủ tịch [UBND] tỉnh dự lễ khởi công");
  query.query = "TU";  // capitals: also "Tỉnh ủy"; the tone-less query marks "tỉnh"
  ASSERT_THAT(index_->Upsert({Doc("tu", "", "Ban Thường vụ Tỉnh ủy họp")}), IsOk());
  SearchResult tu = Run(query);
  ASSERT_THAT(tu.hits, SizeIs(1));
  EXPECT_THAT(tu.hits[0].snippet, HasSubstr("[Tỉnh ủy]"));
}

TEST_F(ArchiveTest, SuggestsTheDiacriticsTheHitsUse) {
  SearchQuery query;
  query.query = "neu guong";
  SearchResult result = Run(query);
  EXPECT_EQ(result.total, 4);  // also d5's "Nếu": without diacritics, every form
  EXPECT_EQ(result.suggestion, "nêu gương");
  query.query = "\"neu guong\" date:2019";
  EXPECT_EQ(Run(query).suggestion, "\"nêu gương\" date:2019");
  query.query = "Đào Duc toan";
  EXPECT_EQ(Run(query).suggestion, "Đào Đức Toàn");
}

TEST_F(ArchiveTest, NoSuggestionWithoutClearEvidence) {
  SearchQuery query;
  query.query = "nêu gương";  // already written with diacritics
  EXPECT_EQ(Run(query).suggestion, "");
  query.query = "thuyet phuc";  // one document: too little evidence
  EXPECT_EQ(Run(query).suggestion, "");
  query.query = "person:\"dao duc toan\"";  // no words to suggest for
  EXPECT_EQ(Run(query).suggestion, "");
  query.query = "neu guong";
  query.snippets = false;  // the suggestion is read from snippets
  SearchResult no_snippets = Run(query);
  EXPECT_EQ(no_snippets.suggestion, "");
  ASSERT_THAT(no_snippets.hits, SizeIs(4));
  EXPECT_EQ(no_snippets.hits[0].snippet, "");

  IndexOptions options;
  options.path = ":memory:";
  options.suggestion_hits = 0;
  absl::StatusOr<std::unique_ptr<SearchIndex>> off = SearchIndex::Open(options);
  ASSERT_THAT(off, IsOk());
  ASSERT_THAT((*off)->Upsert(Archive()), IsOk());
  absl::StatusOr<SearchResult> result = (*off)->Search({"neu guong"});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->suggestion, "");
}

TEST_F(ArchiveTest, RandomQueriesAreAnsweredOrRejectedNeverFail) {
  // Pieces of the query syntax, of FTS5's syntax and of SQL, glued at random:
  // every query must be answered or be InvalidArgument; an FTS5 or SQL error
  // would come back as another code (Internal).
  const char* const pieces[] = {
      "person:", "ref:", "date:", "loc:", "source:", "org:", "\"", "-", "OR", "or", "(",
      ")", "*", ":", "..", "2019", "-13", "07/2019", "NEAR", "^", "{", "}", "đảng", "nêu",
      "gương", "UBND", " ", " ", " ", "+", "'", ";", "\\", "AND", "NOT", "05-CT/TW", "…",
      "Đào Đức Toàn", "\xC3", "%", "_", "!", "title:", "\t"};
  std::mt19937 rng(20240607);
  std::uniform_int_distribution<size_t> pick(0, sizeof(pieces) / sizeof(pieces[0]) - 1);
  std::uniform_int_distribution<int> length(1, 8);
  int answered = 0;
  for (int i = 0; i < 2000; ++i) {
    SearchQuery query;
    for (int k = length(rng); k > 0; --k) query.query += pieces[pick(rng)];
    query.facets = {"person", "year"};
    absl::StatusOr<SearchResult> result = index_->Search(query);
    EXPECT_THAT(result, ::testing::AnyOf(IsOk(), StatusIs(absl::StatusCode::kInvalidArgument)))
        << query.query;
    answered += result.ok();
  }
  EXPECT_GT(answered, 200);  // the mix is not all errors
  EXPECT_EQ(Find("source:baochinhphu"), (Strings{"d3", "d4"}));  // tables intact
}

// --- Bounded ranking (IndexOptions::rank_candidates) --------------------------

std::unique_ptr<SearchIndex> OpenMemoryRanking(int rank_candidates) {
  IndexOptions options;
  options.rank_candidates = rank_candidates;
  return OpenMemory(options);
}

// Ten documents with "hội nghị"; "old" (indexed first) has it in its title,
// so it ranks first among all of them; the others in their text only.
std::vector<StoredDocument> BroadDocs() {
  std::vector<StoredDocument> docs = {Doc("old", "hội nghị", "hội nghị tỉnh ủy")};
  for (int i = 1; i < 10; ++i) {
    docs.push_back(Doc("n" + std::to_string(i), "tin", "tin tức hội nghị số " + std::to_string(i)));
  }
  return docs;
}

TEST(SearchIndexRankingTest, EveryMatchIsRankedWhenThereAreFewEnough) {
  std::unique_ptr<SearchIndex> index = OpenMemoryRanking(10);
  ASSERT_THAT(index->Upsert(BroadDocs()), IsOk());
  absl::StatusOr<SearchResult> result = index->Search({"hội nghị"});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 10);
  ASSERT_THAT(result->hits, SizeIs(10));
  EXPECT_EQ(result->hits[0].doc_id, "old");
}

TEST(SearchIndexRankingTest, BroadQueryRanksOnlyTheNewestMatchesButCountsAll) {
  std::unique_ptr<SearchIndex> index = OpenMemoryRanking(3);
  ASSERT_THAT(index->Upsert(BroadDocs()), IsOk());
  SearchQuery query;
  query.query = "hoi nghi";
  query.limit = 3;
  query.facets = {"source"};
  absl::StatusOr<SearchResult> result = index->Search(query);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 10);  // still every match
  std::vector<std::string> ids = Ids(*result);
  std::sort(ids.begin(), ids.end());
  EXPECT_THAT(ids, ElementsAre("n7", "n8", "n9"));  // the three indexed last
  ASSERT_THAT(result->facets, SizeIs(1));
  ASSERT_THAT(result->facets[0].values, SizeIs(1));
  EXPECT_EQ(result->facets[0].values[0].count, 10);  // facets count every match too
  for (const Hit& hit : result->hits) EXPECT_THAT(hit.snippet, HasSubstr("[hội] [nghị]"));
}

TEST(SearchIndexRankingTest, DeepPageWidensTheWindowAndNarrowQueryRanksEverything) {
  std::unique_ptr<SearchIndex> index = OpenMemoryRanking(3);
  ASSERT_THAT(index->Upsert(BroadDocs()), IsOk());
  SearchQuery query;
  query.query = "hội nghị";
  query.limit = 10;  // offset + limit above rank_candidates: all ten ranked
  absl::StatusOr<SearchResult> result = index->Search(query);
  ASSERT_THAT(result, IsOk());
  ASSERT_THAT(result->hits, SizeIs(10));
  EXPECT_EQ(result->hits[0].doc_id, "old");
  // A query matching no more than rank_candidates documents is ranked whole.
  result = index->Search({"tỉnh ủy hội nghị"});
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Ids(*result), ElementsAre("old"));
}

// --- Document counts behind the BM25 score (vna_bm25) ------------------------

// `count` documents of the same length, "hiếm" in each when `rare_word`.
std::vector<StoredDocument> CountDocs(const std::string& prefix, int count, bool rare_word) {
  std::vector<StoredDocument> docs;
  for (int i = 0; i < count; ++i) {
    docs.push_back(Doc(prefix + std::to_string(i), "tin",
                       std::string(rare_word ? "chuyện hiếm" : "chuyện thường") + " số " +
                           std::to_string(i)));
  }
  return docs;
}

double ScoreOf(SearchIndex& index, const std::string& query, const std::string& doc_id) {
  SearchQuery search;
  search.query = query;
  search.limit = 100;
  absl::StatusOr<SearchResult> result = index.Search(search);
  EXPECT_THAT(result, IsOk());
  if (!result.ok()) return -1;
  for (const Hit& hit : result->hits) {
    if (hit.doc_id == doc_id) return hit.score;
  }
  ADD_FAILURE() << doc_id << " not found for " << query;
  return -1;
}

TEST(SearchIndexDocumentFrequencyTest, ScoresFollowWritesOfThisAndAnotherConnection) {
  TempPath temp;
  IndexOptions options;
  options.path = temp.path();
  absl::StatusOr<std::unique_ptr<SearchIndex>> index = SearchIndex::Open(options);
  ASSERT_THAT(index, IsOk());
  ASSERT_THAT((*index)->Upsert(CountDocs("plain", 100, false)), IsOk());
  ASSERT_THAT((*index)->Upsert(CountDocs("rare", 1, true)), IsOk());
  // "hiem" without diacritics: no tier bonus, the score is BM25 alone.
  const double alone = ScoreOf(**index, "hiem", "rare0");
  // In 1 of 101 documents the word weighs log(100.5 / 1.5); in 11 of 111,
  // log(100.5 / 11.5): the same row scores lower once the count is re-read.
  ASSERT_THAT((*index)->Upsert(CountDocs("more", 10, true)), IsOk());
  const double in_eleven = ScoreOf(**index, "hiem", "rare0");
  EXPECT_LT(in_eleven, alone * 0.7);
  EXPECT_GT(in_eleven, 0);

  // Another connection (as another process would) writes 20 more.
  absl::StatusOr<std::unique_ptr<SearchIndex>> other = SearchIndex::Open(options);
  ASSERT_THAT(other, IsOk());
  ASSERT_THAT((*other)->Upsert(CountDocs("other", 20, true)), IsOk());
  const double in_thirty_one = ScoreOf(**index, "hiem", "rare0");
  EXPECT_LT(in_thirty_one, in_eleven * 0.8);
  EXPECT_GT(in_thirty_one, 0);
  // Both connections agree.
  EXPECT_DOUBLE_EQ(ScoreOf(**other, "hiem", "rare0"), in_thirty_one);
}

TEST(SearchIndexDocumentFrequencyTest, CommonWordsAreEstimatedFromTheNewestDocuments) {
  // 800 older documents without "hiếm" except 3, then 200 with it: among
  // the newest 200 ids (the sample) it is in all, so it is estimated to be
  // in all 1,000 (its weight floored to almost nothing), against 203 when
  // counted exactly. "lạ", in 4 of the sample, is counted exactly.
  TempPath sampled_path, exact_path;
  auto open = [](const std::string& path, int64_t sample) {
    IndexOptions options;
    options.path = path;
    options.word_count_sample = sample;
    absl::StatusOr<std::unique_ptr<SearchIndex>> index = SearchIndex::Open(options);
    EXPECT_THAT(index, IsOk());
    return index.ok() ? *std::move(index) : nullptr;
  };
  std::unique_ptr<SearchIndex> sampled = open(sampled_path.path(), 200);
  std::unique_ptr<SearchIndex> exact = open(exact_path.path(), 0);
  ASSERT_NE(sampled, nullptr);
  ASSERT_NE(exact, nullptr);
  for (SearchIndex* index : {sampled.get(), exact.get()}) {
    ASSERT_THAT(index->Upsert(CountDocs("old", 3, true)), IsOk());
    ASSERT_THAT(index->Upsert(CountDocs("plain", 797, false)), IsOk());
    std::vector<StoredDocument> newest = CountDocs("new", 200, true);
    for (int i = 0; i < 4; ++i) newest[i].text += " chuyện lạ";
    ASSERT_THAT(index->Upsert(newest), IsOk());
  }
  EXPECT_GT(ScoreOf(*exact, "hiem", "new10"), 1.0);
  EXPECT_LT(ScoreOf(*sampled, "hiem", "new10"), 0.01);
  EXPECT_GT(ScoreOf(*exact, "la", "new0"), 1.0);
  EXPECT_DOUBLE_EQ(ScoreOf(*sampled, "la", "new0"), ScoreOf(*exact, "la", "new0"));
}

TEST(SearchIndexDocumentFrequencyTest, KeptLengthsFollowAnIdGivenToAnotherDocument) {
  // Ranking keeps each row's length across queries. Deleting the newest
  // document frees its id for the next one, whose length differs: its score
  // must be the one a fresh connection (nothing kept) computes.
  TempPath temp;
  IndexOptions options;
  options.path = temp.path();
  absl::StatusOr<std::unique_ptr<SearchIndex>> index = SearchIndex::Open(options);
  ASSERT_THAT(index, IsOk());
  // Enough documents that two writes do not make the index re-read its
  // word counts (and drop the lengths with them): see index.cc.
  ASSERT_THAT((*index)->Upsert(CountDocs("plain", 300, false)), IsOk());
  ASSERT_THAT((*index)->Upsert({Doc("short", "tin", "chuyện hiếm")}), IsOk());
  const double short_score = ScoreOf(**index, "hiem", "short");
  auto replace_newest = [](SearchIndex& writer, const std::string& doc_id,
                           const std::string& text) {
    ASSERT_THAT(writer.Delete(doc_id), IsOkAndHolds(true));
    ASSERT_THAT(writer.Upsert({Doc(doc_id + "+", "tin", text)}), IsOk());
  };
  auto fresh_score = [&](const std::string& doc_id) {
    absl::StatusOr<std::unique_ptr<SearchIndex>> fresh = SearchIndex::Open(options);
    EXPECT_THAT(fresh, IsOk());
    return fresh.ok() ? ScoreOf(**fresh, "hiem", doc_id) : -1;
  };

  replace_newest(**index, "short",
                 "chuyện hiếm được kể lại rất dài dòng qua nhiều câu chữ khác nhau");
  const double long_score = ScoreOf(**index, "hiem", "short+");
  EXPECT_LT(long_score, short_score);
  EXPECT_DOUBLE_EQ(long_score, fresh_score("short+"));

  // The same through another connection, as another process would.
  absl::StatusOr<std::unique_ptr<SearchIndex>> other = SearchIndex::Open(options);
  ASSERT_THAT(other, IsOk());
  replace_newest(**other, "short+", "chuyện hiếm");
  EXPECT_DOUBLE_EQ(ScoreOf(**index, "hiem", "short++"), fresh_score("short++"));
  EXPECT_DOUBLE_EQ(ScoreOf(**index, "hiem", "short++"), short_score);
}

// --- Totals beyond the rank window (SearchResult::total_estimated) -----------

TEST(SearchIndexTotalTest, BroadQueriesEstimateTheOlderMatchesAndExactTotalCountsThem) {
  TempPath temp;
  IndexOptions options;
  options.path = temp.path();
  options.rank_candidates = 100;
  absl::StatusOr<std::unique_ptr<SearchIndex>> index = SearchIndex::Open(options);
  ASSERT_THAT(index, IsOk());
  // 5,000 with "hội nghị"; "hiếm" in 50 of the oldest and in the newest 150.
  std::vector<StoredDocument> docs;
  for (int i = 0; i < 5000; ++i) {
    const bool rare = i < 50 || i >= 4850;
    docs.push_back(Doc("d" + std::to_string(i), "tin",
                       absl::StrCat("Tin hội nghị số ", i, rare ? " chuyện hiếm" : "")));
  }
  ASSERT_THAT((*index)->Upsert(docs), IsOk());

  SearchQuery query;
  query.query = "hoi nghi";
  absl::StatusOr<SearchResult> estimated = (*index)->Search(query);
  ASSERT_THAT(estimated, IsOk());
  EXPECT_TRUE(estimated->total_estimated);
  EXPECT_NEAR(static_cast<double>(estimated->total), 5000, 250);
  EXPECT_THAT(estimated->hits, SizeIs(10));

  query.exact_total = true;
  absl::StatusOr<SearchResult> exact = (*index)->Search(query);
  ASSERT_THAT(exact, IsOk());
  EXPECT_FALSE(exact->total_estimated);
  EXPECT_EQ(exact->total, 5000);

  // Few matches below the window: too few to sample, so counted.
  query.exact_total = false;
  query.query = "hiem";
  absl::StatusOr<SearchResult> rare = (*index)->Search(query);
  ASSERT_THAT(rare, IsOk());
  EXPECT_FALSE(rare->total_estimated);
  EXPECT_EQ(rare->total, 200);

  // With facets every match is walked: exact.
  query.query = "hoi nghi";
  query.facets = {"year"};
  absl::StatusOr<SearchResult> faceted = (*index)->Search(query);
  ASSERT_THAT(faceted, IsOk());
  EXPECT_FALSE(faceted->total_estimated);
  EXPECT_EQ(faceted->total, 5000);

  // And the index can be told never to estimate.
  options.estimate_totals = false;
  absl::StatusOr<std::unique_ptr<SearchIndex>> counting = SearchIndex::Open(options);
  ASSERT_THAT(counting, IsOk());
  query.facets.clear();
  absl::StatusOr<SearchResult> counted = (*counting)->Search(query);
  ASSERT_THAT(counted, IsOk());
  EXPECT_FALSE(counted->total_estimated);
  EXPECT_EQ(counted->total, 5000);
}

// --- Facets from a sample (IndexOptions::facet_sample) -----------------------

// `count` documents with "hội nghị", fed round-robin from four sources (as a
// crawler would), every third one naming a person, each dated one of two
// years by its parity.
std::vector<StoredDocument> SampledDocs(int count) {
  const std::string sources[] = {"a.vn", "b.vn", "c.vn", "d.vn"};
  std::vector<StoredDocument> docs;
  for (int i = 0; i < count; ++i) {
    const std::string person = i % 3 == 0 ? "Đào Đức Toàn dự. " : "";
    const std::string text = person + "Tin hội nghị số " + std::to_string(i);
    StoredDocument doc = Doc("s" + std::to_string(i), "tin", text);
    doc.source = sources[i % 4];
    doc.published_at_unix = i % 2 == 0 ? 1546300800 + 86400 * 40 : 1577836800 + 86400 * 40;
    if (!person.empty()) {
      const std::string name = "Đào Đức Toàn";
      doc.entities.push_back(
          {"PERSON", name, 0, static_cast<int64_t>(name.size()), name, {}});
    }
    docs.push_back(std::move(doc));
  }
  return docs;
}

absl::StatusOr<SearchResult> FacetSearch(SearchIndex& index, const std::string& text,
                                         std::vector<std::string> facets, bool exact = false) {
  SearchQuery query;
  query.query = text;
  query.facets = std::move(facets);
  query.exact_facets = exact;
  return index.Search(query);
}

int64_t CountOf(const Facet& facet, const std::string& value) {
  for (const FacetValue& v : facet.values) {
    if (v.value == value) return v.count;
  }
  return -1;
}

TEST(SearchIndexFacetSampleTest, FewMatchesAreCountedExactly) {
  IndexOptions options;
  options.facet_sample = 500;
  std::unique_ptr<SearchIndex> index = OpenMemory(options);
  ASSERT_THAT(index->Upsert(SampledDocs(400)), IsOk());
  absl::StatusOr<SearchResult> result =
      FacetSearch(*index, "hội nghị", {"source", "person", "year"});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 400);
  EXPECT_EQ(result->facet_sample, 400);
  EXPECT_EQ(CountOf(result->facets[0], "a.vn"), 100);
  EXPECT_EQ(CountOf(result->facets[1], "Đào Đức Toàn"), 134);
  EXPECT_EQ(CountOf(result->facets[2], "2019"), 200);
}

TEST(SearchIndexFacetSampleTest, ManyMatchesAreEstimatedFromAStableUnaliasedSample) {
  IndexOptions options;
  options.facet_sample = 400;
  std::unique_ptr<SearchIndex> index = OpenMemory(options);
  ASSERT_THAT(index->Upsert(SampledDocs(4000)), IsOk());
  const std::vector<std::string> facets = {"source", "person", "year"};
  absl::StatusOr<SearchResult> result = FacetSearch(*index, "hoi nghi", facets);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 4000);  // the total stays exact
  EXPECT_GE(result->facet_sample, 200);
  EXPECT_LE(result->facet_sample, 400);
  // Each source holds a quarter, the person a third, a year half: a sample
  // that aliased with the round-robin order would put one source at 0 or
  // at the whole. A 200-400 document sample is within 30% of each.
  for (const std::string source : {"a.vn", "b.vn", "c.vn", "d.vn"}) {
    EXPECT_NEAR(CountOf(result->facets[0], source), 1000, 300) << source;
  }
  EXPECT_NEAR(CountOf(result->facets[1], "Đào Đức Toàn"), 1334, 400);
  EXPECT_NEAR(CountOf(result->facets[2], "2019"), 2000, 600);

  // The same query gives the same estimate.
  absl::StatusOr<SearchResult> again = FacetSearch(*index, "hoi nghi", facets);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->facet_sample, result->facet_sample);
  EXPECT_EQ(FacetPairs(again->facets[0]), FacetPairs(result->facets[0]));

  // exact_facets counts all.
  absl::StatusOr<SearchResult> exact = FacetSearch(*index, "hoi nghi", facets, /*exact=*/true);
  ASSERT_THAT(exact, IsOk());
  EXPECT_EQ(exact->facet_sample, 4000);
  EXPECT_EQ(CountOf(exact->facets[0], "a.vn"), 1000);
  EXPECT_EQ(CountOf(exact->facets[1], "Đào Đức Toàn"), 1334);
  EXPECT_EQ(CountOf(exact->facets[2], "2020"), 2000);
}

TEST(SearchIndexFacetSampleTest, ZeroMeansAlwaysExactAndNegativeIsInvalid) {
  IndexOptions options;
  options.facet_sample = 0;
  std::unique_ptr<SearchIndex> index = OpenMemory(options);
  ASSERT_THAT(index->Upsert(SampledDocs(300)), IsOk());
  absl::StatusOr<SearchResult> result = FacetSearch(*index, "hội nghị", {"source"});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->facet_sample, 300);
  EXPECT_EQ(CountOf(result->facets[0], "d.vn"), 75);

  options.path = ":memory:";
  options.facet_sample = -1;
  EXPECT_THAT(SearchIndex::Open(options), StatusIs(absl::StatusCode::kInvalidArgument));
}

// Writes a version-3 shard by hand, as that version laid it out (a row per
// entity in `entities`): document "a" (source baochinhphu, 2019) with a
// reference carrying attributes and a place, plus its FTS entry and filter
// keys for the source only.
constexpr char kLegacyText[] = "Quy định số 08-QĐi/TW tại Hậu Giang";

void CreateVersion3File(const std::string& path) {
  const std::string text = kLegacyText;
  const size_t ref = text.find("08-QĐi/TW");
  const size_t loc = text.find("Hậu Giang");
  const std::string sql = absl::StrCat(
      "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
      "INSERT INTO meta VALUES ('schema_version', '3');"
      "CREATE TABLE documents(id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE,"
      " name TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '',"
      " url TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '',"
      " published_at INTEGER NOT NULL DEFAULT 0, dateline TEXT NOT NULL DEFAULT '',"
      " authors TEXT NOT NULL DEFAULT '[]', language TEXT NOT NULL DEFAULT '',"
      " text TEXT NOT NULL DEFAULT '', content_hash TEXT NOT NULL DEFAULT '',"
      " duplicate_of TEXT NOT NULL DEFAULT '', ingested_at_ms INTEGER NOT NULL DEFAULT 0,"
      " indexed_at_ms INTEGER NOT NULL DEFAULT 0);"
      "CREATE INDEX documents_published_at ON documents(published_at);"
      "CREATE TABLE entities(doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL,"
      " type TEXT NOT NULL, canonical TEXT NOT NULL, surface TEXT NOT NULL,"
      " begin_byte INTEGER NOT NULL, end_byte INTEGER NOT NULL,"
      " attributes TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (doc_id, ordinal));"
      "CREATE VIRTUAL TABLE docs_fts USING fts5(title, text, content='documents',"
      " content_rowid='id', tokenize='vietnamese');"
      "CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN"
      " INSERT INTO docs_fts(docs_fts, rowid, title, text)"
      " VALUES ('delete', old.id, old.title, old.text);"
      " INSERT INTO docs_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END;"
      "CREATE INDEX entities_doc_type ON entities(doc_id, type, canonical);"
      "CREATE TABLE filter_keys(field TEXT NOT NULL, key TEXT NOT NULL, doc INTEGER NOT NULL,"
      " PRIMARY KEY (field, key, doc)) WITHOUT ROWID;"
      "CREATE INDEX filter_keys_doc ON filter_keys(doc);"
      "CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN"
      " INSERT INTO docs_fts(docs_fts, rowid, title, text)"
      " VALUES ('delete', old.id, old.title, old.text);"
      " DELETE FROM entities WHERE doc_id = old.doc_id;"
      " DELETE FROM filter_keys WHERE doc = old.id; END;"
      "CREATE INDEX documents_keys ON documents(id, doc_id, published_at, source);"
      "INSERT INTO documents(id, doc_id, source, title, text, published_at)"
      " VALUES (7, 'a', 'baochinhphu', 't', '", text, "', 1563580800);"
      "INSERT INTO docs_fts(rowid, title, text) VALUES (7, 't', '", text, "');"
      "INSERT INTO entities VALUES ('a', 0, 'DOC_REF', '08-QĐi/TW', '08-QĐi/TW', ", ref, ", ",
      ref + std::string("08-QĐi/TW").size(), ", '{\"kind\":\"quy định\",\"number\":\"08\"}'),"
      " ('a', 1, 'LOC', 'Hậu Giang', 'Hậu Giang', ", loc, ", ", loc + std::string("Hậu Giang").size(),
      ", '{}');"
      "INSERT INTO filter_keys VALUES ('source', 'baochinhphu', 7);");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_THAT(RegisterVietnameseTokenizer(db), IsOk());
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

// The value of meta.schema_version in the file at `path`.
std::string SchemaVersionOf(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* version = nullptr;
  std::string value;
  if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &version,
                         nullptr) == SQLITE_OK &&
      sqlite3_step(version) == SQLITE_ROW) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(version, 0));
  }
  sqlite3_finalize(version);
  sqlite3_close(db);
  return value;
}

TEST(SearchIndexSchemaTest, Version3FileIsUpgradedWithItsEntities) {
  TempPath temp;
  CreateVersion3File(temp.path());
  IndexOptions options;
  options.path = temp.path();
  absl::StatusOr<std::unique_ptr<SearchIndex>> index = SearchIndex::Open(options);
  ASSERT_THAT(index, IsOk());
  EXPECT_EQ(SchemaVersionOf(temp.path()), std::to_string(kSchemaVersion));

  absl::StatusOr<std::optional<StoredDocument>> got = (*index)->Get("a");
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  const std::vector<StoredEntity>& entities = (*got)->entities;
  ASSERT_THAT(entities, SizeIs(2));
  EXPECT_EQ(entities[0].type, "DOC_REF");
  EXPECT_EQ(entities[0].canonical, "08-QĐi/TW");
  EXPECT_EQ((*got)->text.substr(entities[0].begin, entities[0].end - entities[0].begin),
            "08-QĐi/TW");
  EXPECT_THAT(entities[0].attributes, ElementsAre(Pair("kind", "quy định"), Pair("number", "08")));
  EXPECT_EQ(entities[1].canonical, "Hậu Giang");
  EXPECT_THAT(entities[1].attributes, IsEmpty());

  SearchQuery query;
  query.query = "hau giang";
  query.facets = {"loc", "ref", "year", "source"};
  absl::StatusOr<SearchResult> result = (*index)->Search(query);
  ASSERT_THAT(result, IsOk());
  ASSERT_THAT(Ids(*result), ElementsAre("a"));
  EXPECT_THAT(result->hits[0].entities, SizeIs(2));
  ASSERT_THAT(result->facets, SizeIs(4));
  EXPECT_THAT(FacetPairs(result->facets[0]), ElementsAre(Pair("Hậu Giang", 1)));
  EXPECT_THAT(FacetPairs(result->facets[1]), ElementsAre(Pair("08-QĐi/TW", 1)));
  EXPECT_THAT(FacetPairs(result->facets[2]), ElementsAre(Pair("2019", 1)));
  EXPECT_THAT(FacetPairs(result->facets[3]), ElementsAre(Pair("baochinhphu", 1)));
  absl::StatusOr<IndexStats> stats = (*index)->Stats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->entities, 2);
  absl::StatusOr<IntegrityReport> report = (*index)->CheckIntegrity();
  ASSERT_THAT(report, IsOk());
  EXPECT_THAT(report->problems, IsEmpty());

  // Deleting the upgraded document removes its entities with it.
  ASSERT_THAT((*index)->Delete("a"), IsOkAndHolds(true));
  stats = (*index)->Stats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->entities, 0);
}

TEST(SearchIndexSchemaTest, Version1FileIsUpgradedWithFilterKeys) {
  TempPath temp;
  CreateVersion3File(temp.path());
  // Turn the file back into version 1: no filter keys, the old triggers.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(temp.path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TABLE filter_keys; DROP INDEX entities_doc_type;"
                         "DROP INDEX documents_keys;"
                         "CREATE INDEX entities_type_canonical ON entities(type, canonical);"
                         "CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN "
                         "INSERT INTO docs_fts(rowid, title, text) "
                         "VALUES (new.id, new.title, new.text); END;"
                         "DROP TRIGGER documents_ad;"
                         "CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN "
                         "INSERT INTO docs_fts(docs_fts, rowid, title, text) "
                         "VALUES ('delete', old.id, old.title, old.text); "
                         "DELETE FROM entities WHERE doc_id = old.doc_id; END;"
                         "UPDATE meta SET value = '1' WHERE key = 'schema_version';",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);

  IndexOptions options;
  options.path = temp.path();
  absl::StatusOr<std::unique_ptr<SearchIndex>> index = SearchIndex::Open(options);
  ASSERT_THAT(index, IsOk());
  EXPECT_EQ(SchemaVersionOf(temp.path()), std::to_string(kSchemaVersion));
  for (const char* query : {"ref:\"Quy định 08\"", "ref:08-QĐi/TW", "loc:\"hau giang\"",
                            "source:baochinhphu"}) {
    absl::StatusOr<SearchResult> result = (*index)->Search({query});
    ASSERT_THAT(result, IsOk()) << query;
    EXPECT_THAT(Ids(*result), ElementsAre("a")) << query;
  }
  ASSERT_THAT((*index)->Delete("a"), IsOkAndHolds(true));
  absl::StatusOr<SearchResult> gone = (*index)->Search({"loc:\"hau giang\""});
  ASSERT_THAT(gone, IsOk());
  EXPECT_EQ(gone->total, 0);
}

TEST(SearchIndexSchemaTest, Version2FileIsUpgradedAndIndexesEachDocumentOnce) {
  TempPath temp;
  CreateVersion3File(temp.path());
  // Version 2 wrote FTS entries with an AFTER INSERT trigger.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(temp.path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP INDEX documents_keys;"
                         "CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN "
                         "INSERT INTO docs_fts(rowid, title, text) "
                         "VALUES (new.id, new.title, new.text); END;"
                         "UPDATE meta SET value = '2' WHERE key = 'schema_version';",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);

  IndexOptions options;
  options.path = temp.path();
  absl::StatusOr<std::unique_ptr<SearchIndex>> index = SearchIndex::Open(options);
  ASSERT_THAT(index, IsOk());
  ASSERT_THAT((*index)->Upsert({Doc("b", "t", "hội nghị huyện ủy"), Doc("c", "t", "tỉnh ủy")}),
              IsOk());
  absl::StatusOr<SearchResult> result = (*index)->Search({"hội nghị"});
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Ids(*result), ElementsAre("b"));
  result = (*index)->Search({"ủy"});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 2);
  result = (*index)->Search({"hau giang"});  // a and its entities survived
  ASSERT_THAT(result, IsOk());
  ASSERT_THAT(Ids(*result), ElementsAre("a"));
  EXPECT_THAT(result->hits[0].entities, SizeIs(2));
  // The FTS index agrees with its content table: no entry was written twice.
  absl::StatusOr<IntegrityReport> report = (*index)->CheckIntegrity();
  ASSERT_THAT(report, IsOk());
  EXPECT_THAT(report->problems, IsEmpty());
  index->reset();
  EXPECT_EQ(SchemaVersionOf(temp.path()), std::to_string(kSchemaVersion));
}

TEST(SearchIndexSchemaTest, UnknownVersionIsFailedPrecondition) {
  TempPath temp;
  IndexOptions options;
  options.path = temp.path();
  ASSERT_THAT(SearchIndex::Open(options), IsOk());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(temp.path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_THAT(SearchIndex::Open(options), StatusIs(absl::StatusCode::kFailedPrecondition));
}

// --- CheckIntegrity ----------------------------------------------------------

// Runs `sql` on a second connection to `path` (as another process would),
// with the tokenizer registered so it can touch docs_fts.
void RunOnOtherConnection(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_THAT(RegisterVietnameseTokenizer(db), IsOk());
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

std::unique_ptr<SearchIndex> OpenFileWithDocuments(const std::string& path) {
  IndexOptions options;
  options.path = path;
  absl::StatusOr<std::unique_ptr<SearchIndex>> index = SearchIndex::Open(options);
  EXPECT_THAT(index, IsOk());
  if (!index.ok()) return nullptr;
  StoredDocument a = Doc("a", "Hội nghị Tỉnh ủy", "Ban Thường vụ Tỉnh ủy Hậu Giang họp.");
  const int64_t begin = static_cast<int64_t>(a.text.find("Hậu Giang"));
  a.entities.push_back({"LOC", "Hậu Giang", begin, begin + 11, "Hậu Giang", {}});
  EXPECT_THAT((*index)->Upsert({a, Doc("b", "Báo cáo", "Công tác dân vận năm 2019.")}), IsOk());
  // Replaced and deleted rows leave FTS5 delete markers: still sound.
  EXPECT_THAT((*index)->Upsert({a}), IsOk());
  EXPECT_THAT((*index)->Upsert({Doc("c", "Tờ trình", "Xin ý kiến.")}), IsOk());
  EXPECT_THAT((*index)->Delete("c"), IsOkAndHolds(true));
  return std::move(index).value();
}

TEST(SearchIndexIntegrityTest, SoundDatabaseHasNoProblems) {
  TempPath temp;
  std::unique_ptr<SearchIndex> index = OpenFileWithDocuments(temp.path());
  ASSERT_NE(index, nullptr);
  absl::StatusOr<IntegrityReport> report = index->CheckIntegrity();
  ASSERT_THAT(report, IsOk());
  EXPECT_THAT(report->problems, IsEmpty());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->documents, 2);
  // The check changed nothing: searching and writing go on.
  EXPECT_THAT(index->Upsert({Doc("d", "Thông báo", "Kết luận hội nghị.")}), IsOk());
  absl::StatusOr<SearchResult> result = index->Search({"hoi nghi"});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->total, 2);
}

TEST(SearchIndexIntegrityTest, EmptyInMemoryDatabaseIsSound) {
  std::unique_ptr<SearchIndex> index = OpenMemory();
  ASSERT_NE(index, nullptr);
  absl::StatusOr<IntegrityReport> report = index->CheckIntegrity();
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->documents, 0);
}

TEST(SearchIndexIntegrityTest, FullTextIndexOutOfStepWithDocumentsIsReported) {
  TempPath temp;
  std::unique_ptr<SearchIndex> index = OpenFileWithDocuments(temp.path());
  ASSERT_NE(index, nullptr);
  // Drop b's index entries behind the triggers' back: its row stays.
  RunOnOtherConnection(temp.path(),
                       "INSERT INTO docs_fts(docs_fts, rowid, title, text) "
                       "SELECT 'delete', id, title, text FROM documents WHERE doc_id = 'b'");
  absl::StatusOr<IntegrityReport> report = index->CheckIntegrity();
  ASSERT_THAT(report, IsOk());
  EXPECT_FALSE(report->ok());
  EXPECT_THAT(report->problems, ElementsAre(HasSubstr("fts: ")));
}

TEST(SearchIndexIntegrityTest, EntitiesAndKeysWithoutTheirDocumentAreReported) {
  TempPath temp;
  std::unique_ptr<SearchIndex> index = OpenFileWithDocuments(temp.path());
  ASSERT_NE(index, nullptr);
  RunOnOtherConnection(temp.path(),
                       "INSERT INTO doc_entities(doc, count, facet_values, entities) "
                       "SELECT 9999, count, facet_values, entities FROM doc_entities LIMIT 1;"
                       "INSERT INTO filter_keys(field, key, doc) VALUES ('loc', 'hue', 9999)");
  absl::StatusOr<IntegrityReport> report = index->CheckIntegrity();
  ASSERT_THAT(report, IsOk());
  EXPECT_THAT(report->problems,
              ElementsAre("orphans: 1 entities without a document",
                          "orphans: 1 filter keys without a document"));
  EXPECT_EQ(report->documents, 2);
}

}  // namespace
}  // namespace search
}  // namespace vnarchive
