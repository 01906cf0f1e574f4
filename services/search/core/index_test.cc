#include "services/search/core/index.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

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

std::unique_ptr<SearchIndex> OpenMemory() {
  IndexOptions options;
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
  EXPECT_THAT(index_->Search({"source:x"}), StatusIs(absl::StatusCode::kUnimplemented));
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
  EXPECT_THAT(Ids(Run("title:x OR \"")), ElementsAre("syntax"));
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

}  // namespace
}  // namespace search
}  // namespace vnarchive
