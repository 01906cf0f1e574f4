#include "services/pipeline/core/archive.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace pipeline {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// A fresh directory for one test, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/vna_archive_test_XXXXXX";
    EXPECT_NE(mkdtemp(name), nullptr);
    path_ = name;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

search::StoredDocument Doc(const std::string& doc_id, const std::string& text,
                           const std::string& hash) {
  search::StoredDocument doc;
  doc.doc_id = doc_id;
  doc.name = doc_id + ".txt";
  doc.title = "Hội nghị";
  doc.text = text;
  doc.content_hash = hash;
  return doc;
}

search::IndexOptions Options(const std::string& path) {
  search::IndexOptions options;
  options.path = path;
  options.durable_commits = false;
  return options;
}

int64_t Count(search::SearchIndex& index) {
  absl::StatusOr<search::IndexStats> stats = index.Stats();
  EXPECT_THAT(stats, IsOk());
  return stats.ok() ? stats->documents : -1;
}

TEST(CheckArchiveFileTest, EmptyPathIsInvalidArgument) {
  EXPECT_THAT(CheckArchiveFile("", ArchiveMode::kCreateIfMissing),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CheckArchiveFileTest, MissingFileIsNotFoundWhenItMustExist) {
  TempDir dir;
  absl::Status status = CheckArchiveFile(dir.File("none.db"), ArchiveMode::kMustExist);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(status.message(), HasSubstr("none.db"));
  EXPECT_THAT(CheckArchiveFile(dir.File("none.db"), ArchiveMode::kCreateIfMissing), IsOk());
  EXPECT_FALSE(fs::exists(dir.File("none.db")));  // checking creates nothing
}

TEST(CheckArchiveFileTest, DirectoryIsFailedPrecondition) {
  TempDir dir;
  fs::create_directory(dir.File("sub"));
  EXPECT_THAT(CheckArchiveFile(dir.File("sub"), ArchiveMode::kCreateIfMissing),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(CheckArchiveFileTest, EmptyFileIsNewWhenCreatingButNotAnArchiveToSearch) {
  TempDir dir;
  WriteFile(dir.File("empty.db"), "");
  EXPECT_THAT(CheckArchiveFile(dir.File("empty.db"), ArchiveMode::kMustExist),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(CheckArchiveFile(dir.File("empty.db"), ArchiveMode::kCreateIfMissing), IsOk());
}

TEST(CheckArchiveFileTest, TextFileIsNotAnArchiveAndIsLeftAlone) {
  TempDir dir;
  WriteFile(dir.File("notes.txt"), "Ghi chép hội nghị, không phải cơ sở dữ liệu.\n");
  const uintmax_t size = fs::file_size(dir.File("notes.txt"));
  for (ArchiveMode mode : {ArchiveMode::kCreateIfMissing, ArchiveMode::kMustExist}) {
    absl::StatusOr<std::unique_ptr<search::SearchIndex>> index =
        OpenArchive(Options(dir.File("notes.txt")), mode);
    ASSERT_THAT(index, StatusIs(absl::StatusCode::kFailedPrecondition));
    EXPECT_THAT(index.status().message(), HasSubstr("not a vnarchive database"));
  }
  EXPECT_EQ(fs::file_size(dir.File("notes.txt")), size);
}

TEST(CheckArchiveFileTest, AnotherProgramsSqliteDatabaseIsRefusedAndNotWritten) {
  TempDir dir;
  const std::string path = dir.File("other.sqlite");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE contacts(name TEXT)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const uintmax_t size = fs::file_size(path);
  for (ArchiveMode mode : {ArchiveMode::kCreateIfMissing, ArchiveMode::kMustExist}) {
    absl::StatusOr<std::unique_ptr<search::SearchIndex>> index = OpenArchive(Options(path), mode);
    ASSERT_THAT(index, StatusIs(absl::StatusCode::kFailedPrecondition));
    EXPECT_THAT(index.status().message(), HasSubstr("without the vnarchive search tables"));
  }
  EXPECT_EQ(fs::file_size(path), size);
}

TEST(CheckArchiveFileTest, AnArchiveCreatedByIndexingOpensForSearching) {
  TempDir dir;
  const std::string path = dir.File("archive.db");
  {
    absl::StatusOr<std::unique_ptr<search::SearchIndex>> created =
        OpenArchive(Options(path), ArchiveMode::kCreateIfMissing);
    ASSERT_THAT(created, IsOk());
    ASSERT_THAT((*created)->Upsert({Doc("a", "Đảng ủy xã", "h1")}), IsOk());
  }
  absl::StatusOr<std::unique_ptr<search::SearchIndex>> opened =
      OpenArchive(Options(path), ArchiveMode::kMustExist);
  ASSERT_THAT(opened, IsOk());
  EXPECT_EQ(Count(**opened), 1);
}

class ArchiveWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<search::SearchIndex>> index =
        OpenArchive(Options(":memory:"), ArchiveMode::kCreateIfMissing);
    ASSERT_THAT(index, IsOk());
    index_ = *std::move(index);
  }
  std::unique_ptr<search::SearchIndex> index_;
};

TEST_F(ArchiveWriterTest, CommitsFullBatchesAndTheRestOnFlush) {
  ArchiveWriterOptions options;
  options.batch_size = 2;
  ArchiveWriter writer(index_.get(), options);
  for (int i = 0; i < 5; ++i) {
    const std::string id = "doc-" + std::to_string(i);
    absl::StatusOr<ArchiveWriter::Outcome> outcome =
        writer.Add(Doc(id, "Chi bộ thôn " + id, "hash-" + id), i);
    ASSERT_THAT(outcome, IsOk());
    EXPECT_EQ(*outcome, ArchiveWriter::Outcome::kQueued);
  }
  EXPECT_EQ(writer.committed(), 4u);
  EXPECT_EQ(Count(*index_), 4);
  ASSERT_THAT(writer.Flush(), IsOk());
  EXPECT_EQ(writer.committed(), 5u);
  EXPECT_EQ(Count(*index_), 5);
  EXPECT_THAT(writer.failures(), SizeIs(0));
}

TEST_F(ArchiveWriterTest, SameIdAndTextIsADuplicateWhetherStoredOrQueued) {
  ArchiveWriter writer(index_.get(), ArchiveWriterOptions{});
  ASSERT_THAT(writer.Add(Doc("a", "Đảng ủy", "h1"), 0),
              IsOkAndHolds(ArchiveWriter::Outcome::kQueued));
  EXPECT_THAT(writer.Add(Doc("a", "Đảng ủy", "h1"), 1),
              IsOkAndHolds(ArchiveWriter::Outcome::kDuplicate));
  ASSERT_THAT(writer.Flush(), IsOk());
  // A second run over the same files writes nothing.
  ArchiveWriter again(index_.get(), ArchiveWriterOptions{});
  EXPECT_THAT(again.Add(Doc("a", "Đảng ủy", "h1"), 0),
              IsOkAndHolds(ArchiveWriter::Outcome::kDuplicate));
  ASSERT_THAT(again.Flush(), IsOk());
  EXPECT_EQ(again.committed(), 0u);
  EXPECT_EQ(Count(*index_), 1);
}

TEST_F(ArchiveWriterTest, NewTextUnderTheSameIdReplacesTheStoredVersion) {
  ArchiveWriter writer(index_.get(), ArchiveWriterOptions{});
  ASSERT_THAT(writer.Add(Doc("qd-08", "bản cũ", "h1"), 0), IsOk());
  ASSERT_THAT(writer.Flush(), IsOk());
  EXPECT_THAT(writer.Add(Doc("qd-08", "bản mới", "h2"), 1),
              IsOkAndHolds(ArchiveWriter::Outcome::kQueued));
  // The old text again, after the new one was queued: newer than what is queued.
  EXPECT_THAT(writer.Add(Doc("qd-08", "bản cũ", "h1"), 2),
              IsOkAndHolds(ArchiveWriter::Outcome::kQueued));
  ASSERT_THAT(writer.Flush(), IsOk());
  absl::StatusOr<std::optional<search::StoredDocument>> stored = index_->Get("qd-08");
  ASSERT_THAT(stored, IsOk());
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->content_hash, "h1");
  EXPECT_EQ(Count(*index_), 1);
}

TEST_F(ArchiveWriterTest, ADocumentThatBreaksTheBatchFailsAloneWithItsTag) {
  ArchiveWriter writer(index_.get(), ArchiveWriterOptions{});
  search::StoredDocument broken = Doc("bad", "ngắn", "h-bad");
  search::StoredEntity entity;
  entity.type = "LOC";
  entity.begin = 0;
  entity.end = 999;  // outside the text: the index refuses the document
  broken.entities.push_back(entity);
  ASSERT_THAT(writer.Add(Doc("good-1", "Huyện ủy", "h-1"), 10), IsOk());
  ASSERT_THAT(writer.Add(broken, 11), IsOk());
  ASSERT_THAT(writer.Add(Doc("good-2", "Tỉnh ủy", "h-2"), 12), IsOk());
  EXPECT_THAT(writer.Flush(), StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_THAT(writer.failures(), SizeIs(1));
  EXPECT_EQ(writer.failures()[0].tag, 11u);
  EXPECT_THAT(writer.failures()[0].status.message(), HasSubstr("outside the text"));
  EXPECT_EQ(writer.committed(), 2u);
  EXPECT_EQ(Count(*index_), 2);
}

}  // namespace
}  // namespace pipeline
}  // namespace vnarchive
