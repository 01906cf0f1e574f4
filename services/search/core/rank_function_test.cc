// vna_bm25 against FTS5's own bm25() on a plain FTS5 table, and the tier
// function's inputs checks.
#include "services/search/core/rank_function.h"

#include <sqlite3.h>

#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/search/core/sqlite_util.h"

namespace vnarchive {
namespace search {
namespace {

using internal::Exec;
using internal::Statement;

class RankFunctionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    ASSERT_TRUE(RegisterRankFunctions(db_).ok());
    ASSERT_TRUE(Exec(db_, "CREATE VIRTUAL TABLE t USING fts5(title, body)").ok());
    // Documents of different lengths and word mixes: "alpha" is common,
    // "delta epsilon" a phrase in a few, titles weigh more.
    const char* const words[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"};
    for (int i = 0; i < 60; ++i) {
      std::string title = i % 5 == 0 ? "alpha beta" : "theta";
      std::string body;
      for (int k = 0; k < 3 + (i * 7) % 23; ++k) {
        absl::StrAppend(&body, body.empty() ? "" : " ", words[(i * 3 + k * k) % 7]);
      }
      if (i % 9 == 0) absl::StrAppend(&body, " delta epsilon");
      absl::StatusOr<Statement> insert =
          Statement::Prepare(db_, "INSERT INTO t(title, body) VALUES (?1, ?2)");
      ASSERT_TRUE(insert.ok());
      ASSERT_TRUE(insert->BindText(1, title).ok());
      ASSERT_TRUE(insert->BindText(2, body).ok());
      ASSERT_TRUE(insert->Run().ok());
    }
  }
  void TearDown() override { sqlite3_close(db_); }

  int64_t Count(const std::string& match) {
    absl::StatusOr<Statement> count =
        Statement::Prepare(db_, "SELECT count(*) FROM t WHERE t MATCH ?1");
    EXPECT_TRUE(count.ok());
    EXPECT_TRUE(count->BindText(1, match).ok());
    EXPECT_TRUE(*count->Step());
    return count->ColumnInt64(0);
  }

  // Per matching row: FTS5's -bm25() and vna_bm25 with `inputs`.
  std::vector<std::pair<double, double>> Scores(const std::string& match, RankInputs* inputs) {
    std::vector<std::pair<double, double>> scores;
    absl::StatusOr<Statement> select = Statement::Prepare(
        db_, "SELECT -bm25(t, 4.0, 1.0), vna_bm25(t, ?2) FROM t WHERE t MATCH ?1");
    EXPECT_TRUE(select.ok()) << select.status();
    EXPECT_TRUE(select->BindText(1, match).ok());
    EXPECT_TRUE(BindRankInputs(*select, 2, inputs).ok());
    while (true) {
      absl::StatusOr<bool> row = select->Step();
      EXPECT_TRUE(row.ok()) << row.status();
      if (!row.ok() || !*row) break;
      scores.emplace_back(select->ColumnDouble(0), select->ColumnDouble(1));
    }
    return scores;
  }

  sqlite3* db_ = nullptr;
};

constexpr char kQuery[] = "alpha OR (beta AND gamma) OR \"delta epsilon\"";

TEST_F(RankFunctionTest, EqualsFts5Bm25WhenGivenExactCounts) {
  RankInputs inputs{{Count("alpha"), Count("beta"), Count("gamma"), Count("\"delta epsilon\"")},
                    4.0, 1.0};
  const std::vector<std::pair<double, double>> scores = Scores(kQuery, &inputs);
  ASSERT_GT(scores.size(), 20u);
  for (const auto& [fts5, ours] : scores) {
    EXPECT_GT(fts5, 0);
    EXPECT_NEAR(ours, fts5, 1e-9 * std::abs(fts5));
  }
}

TEST_F(RankFunctionTest, CountsPhrasesItWasNotGivenTheWayBm25Does) {
  RankInputs inputs{{Count("alpha"), -1}, 4.0, 1.0};  // beta unknown, the rest missing
  const std::vector<std::pair<double, double>> scores = Scores(kQuery, &inputs);
  ASSERT_GT(scores.size(), 20u);
  for (const auto& [fts5, ours] : scores) EXPECT_NEAR(ours, fts5, 1e-9 * std::abs(fts5));
}

TEST_F(RankFunctionTest, WrongCountsChangeTheScoreAsTheFormulaSays) {
  // A phrase said to be in every document weighs almost nothing.
  RankInputs rare{{1}, 1.0, 1.0};
  RankInputs everywhere{{60}, 1.0, 1.0};
  const std::vector<std::pair<double, double>> a = Scores("delta", &rare);
  const std::vector<std::pair<double, double>> b = Scores("delta", &everywhere);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_FALSE(a.empty());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_GT(a[i].second, 0.1);
    EXPECT_LT(b[i].second, 1e-5);
  }
}

TEST(InverseDocumentFrequencyTest, IsBm25sFormulaFlooredAboveZero) {
  EXPECT_NEAR(InverseDocumentFrequency(100, 9), std::log(91.5 / 9.5), 1e-12);
  EXPECT_EQ(InverseDocumentFrequency(100, 50), 1e-6);
  EXPECT_EQ(InverseDocumentFrequency(100, 100), 1e-6);
}

TEST_F(RankFunctionTest, UnboundInputsAreAnErrorNotACrash) {
  absl::StatusOr<Statement> select =
      Statement::Prepare(db_, "SELECT vna_bm25(t, ?2) FROM t WHERE t MATCH ?1");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(select->BindText(1, "alpha").ok());
  absl::StatusOr<bool> row = select->Step();
  EXPECT_FALSE(row.ok());
}

}  // namespace
}  // namespace search
}  // namespace vnarchive
