#include "services/search/core/fts5_tokenizer.h"

#include <sqlite3.h>

#include <string>
#include <utility>
#include <vector>

#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace search {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// An in-memory database with the tokenizer and table t(body).
class TokenizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    ASSERT_THAT(RegisterVietnameseTokenizer(db_), IsOk());
    Exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='vietnamese');"
         "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');");
  }
  void TearDown() override { sqlite3_close(db_); }

  void Exec(const std::string& sql) {
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error ? error : "");
  }
  void Insert(const std::string& body) {
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db_, "INSERT INTO t(body) VALUES (?1)", -1, &stmt,
                                 nullptr),
              SQLITE_OK);
    sqlite3_bind_text(stmt, 1, body.data(), static_cast<int>(body.size()),
                      SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_finalize(stmt);
  }
  // Runs a one-text-column query with one bound text parameter.
  std::vector<std::string> Column(const std::string& sql, const std::string& arg) {
    std::vector<std::string> out;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
    if (stmt == nullptr) return out;
    sqlite3_bind_text(stmt, 1, arg.data(), static_cast<int>(arg.size()),
                      SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
    EXPECT_EQ(rc, SQLITE_DONE) << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return out;
  }
  std::vector<std::string> Match(const std::string& expression) {
    return Column("SELECT body FROM t WHERE t MATCH ?1 ORDER BY rowid", expression);
  }

  sqlite3* db_ = nullptr;
};

TEST(TokenizerRegistrationTest, NullDatabaseIsFailedPrecondition) {
  EXPECT_THAT(RegisterVietnameseTokenizer(nullptr),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(TokenizerTest, ArgumentsAreRejected) {
  char* error = nullptr;
  EXPECT_NE(sqlite3_exec(db_,
                         "CREATE VIRTUAL TABLE bad USING fts5(b, "
                         "tokenize='vietnamese remove_diacritics 1')",
                         nullptr, nullptr, &error),
            SQLITE_OK);
  sqlite3_free(error);
}

TEST_F(TokenizerTest, DocumentGivesLowerFormAndColocatedFoldedForm) {
  Insert("Đảng ủy TP. Hà Nội");
  std::vector<std::pair<std::string, std::string>> terms;  // (term, position)
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db_,
                               "SELECT term, offset FROM v ORDER BY offset, term",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    terms.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
                       std::to_string(sqlite3_column_int(stmt, 1)));
  }
  sqlite3_finalize(stmt);
  EXPECT_THAT(terms, ElementsAre(Pair("dang", "0"), Pair("đảng", "0"),
                                 Pair("uy", "1"), Pair("ủy", "1"), Pair("tp", "2"),
                                 Pair("ha", "3"), Pair("hà", "3"), Pair("noi", "4"),
                                 Pair("nội", "4")));
}

TEST_F(TokenizerTest, QueryWithoutDiacriticsMatchesEveryVariant) {
  Insert("Đảng ủy xã");
  Insert("Đảng uỷ phường");
  Insert("dang uy");
  Insert("đang ủng hộ");
  EXPECT_THAT(Match("\"dang uy\""),
              ElementsAre("Đảng ủy xã", "Đảng uỷ phường", "dang uy"));
  EXPECT_THAT(Match("DANG"), ElementsAre("Đảng ủy xã", "Đảng uỷ phường", "dang uy",
                                         "đang ủng hộ"));
}

TEST_F(TokenizerTest, QueryWithDiacriticsMatchesOnlyTheExactForm) {
  Insert("Đảng ủy xã");
  Insert("dang uy");
  Insert("đang ủng hộ");
  EXPECT_THAT(Match("\"đảng\""), ElementsAre("Đảng ủy xã"));
  EXPECT_THAT(Match("\"ĐẢNG\""), ElementsAre("Đảng ủy xã"));
  EXPECT_THAT(Match("\"đang\""), ElementsAre("đang ủng hộ"));
  // Mixed: "ủy" exact, "dang" any variant.
  EXPECT_THAT(Match("\"dang ủy\""), ElementsAre("Đảng ủy xã"));
}

TEST_F(TokenizerTest, PhraseMatchesOnlyAdjacentSyllables) {
  Insert("ban chấp hành trung ương");
  Insert("ban hành chấp thuận");
  EXPECT_THAT(Match("\"ban chap hanh\""), ElementsAre("ban chấp hành trung ương"));
}

TEST_F(TokenizerTest, HighlightMarksTheOriginalBytes) {
  Insert("Ông Nguyễn Văn A, Bí thư Đảng ủy.");
  EXPECT_THAT(Column("SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH ?1",
                     "\"nguyen\" AND \"dang uy\""),
              ElementsAre("Ông [Nguyễn] Văn A, Bí thư [Đảng ủy]."));
}

TEST_F(TokenizerTest, PunctuationAndEmptyTextGiveNoTokens) {
  Insert("");
  Insert("... !!! ---");
  EXPECT_THAT(Column("SELECT term FROM v", ""), IsEmpty());
}

}  // namespace
}  // namespace search
}  // namespace vnarchive
