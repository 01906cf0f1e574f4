// The behaviour every AdmissionStore must have (admission_store.h), as a
// value-parameterized GoogleTest suite, so the in-memory fake and the Redis
// store are held to the same rules. Test-only, header-only.
//
//   class MyHarness : public AdmissionStoreHarness { ... };
//   INSTANTIATE_TEST_SUITE_P(Memory, AdmissionStoreContractTest,
//       ::testing::Values(AdmissionStoreHarnessFactory([] {
//         return std::unique_ptr<AdmissionStoreHarness>(new MyHarness);
//       })));
#ifndef VNARCHIVE_COMMON_QUEUE_ADMISSION_STORE_CONTRACT_H_
#define VNARCHIVE_COMMON_QUEUE_ADMISSION_STORE_CONTRACT_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/base/status_matchers.h"
#include "common/queue/admission_store.h"
#include "common/queue/status_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace queue {

// A store under test with what the tests need around it. Each harness is
// fresh: no documents, no streams.
class AdmissionStoreHarness {
 public:
  virtual ~AdmissionStoreHarness() = default;
  virtual AdmissionStore& store() = 0;
  // The status store the admission store writes through (or beside).
  virtual StatusStore& status() = 0;
  // The (doc_id, payload) of every entry of `stream`, in order.
  virtual std::vector<std::pair<std::string, std::string>> Entries(const std::string& stream) = 0;
  // The stream the tests admit to: one no other harness uses.
  virtual std::string stream() const = 0;
};

using AdmissionStoreHarnessFactory = std::function<std::unique_ptr<AdmissionStoreHarness>()>;

class AdmissionStoreContractTest : public ::testing::TestWithParam<AdmissionStoreHarnessFactory> {
 protected:
  void SetUp() override { harness_ = GetParam()(); }

  static Admission Doc(const std::string& doc_id, const std::string& content_hash,
                       const std::string& body_hash, std::vector<std::string> bands = {},
                       std::string sketch = "") {
    Admission a;
    a.doc_id = doc_id;
    a.content_hash = content_hash;
    a.body_hash = body_hash;
    a.bands = std::move(bands);
    a.sketch = std::move(sketch);
    a.payload = "pb:" + doc_id + ":" + content_hash;
    return a;
  }

  // Admits `admissions` and returns the results (failing the test on error).
  std::vector<AdmissionResult> Admit(const std::vector<Admission>& admissions) {
    absl::StatusOr<std::vector<AdmissionResult>> results =
        harness_->store().Admit(harness_->stream(), admissions);
    EXPECT_THAT(results, IsOk());
    if (!results.ok()) return {};
    EXPECT_EQ(results->size(), admissions.size());
    return *std::move(results);
  }

  AdmissionLookup LookupOne(const std::string& doc_id, const std::string& body_hash,
                            std::vector<std::string> bands = {}) {
    absl::StatusOr<std::vector<AdmissionLookup>> found =
        harness_->store().Lookup({AdmissionQuery{doc_id, body_hash, std::move(bands)}});
    EXPECT_THAT(found, IsOk());
    if (!found.ok() || found->size() != 1) return {};
    return (*found)[0];
  }

  std::unique_ptr<AdmissionStoreHarness> harness_;
};

using Outcome = AdmissionResult::Outcome;

TEST_P(AdmissionStoreContractTest, NewDocumentIsPublishedAndRecordedAsAccepted) {
  const std::vector<AdmissionResult> results = Admit({Doc("d1", "h1", "b1")});
  ASSERT_THAT(results, ::testing::SizeIs(1));
  EXPECT_EQ(results[0].outcome, Outcome::kAccepted);
  EXPECT_FALSE(results[0].entry_id.empty());
  EXPECT_THAT(harness_->Entries(harness_->stream()),
              ::testing::ElementsAre(std::make_pair(std::string("d1"), std::string("pb:d1:h1"))));
  absl::StatusOr<std::optional<DocStatus>> status = harness_->status().Get("d1");
  ASSERT_THAT(status, IsOk());
  ASSERT_TRUE(status->has_value());
  EXPECT_EQ((*status)->stage, kStageAccepted);
  EXPECT_EQ((*status)->content_hash, "h1");

  const AdmissionLookup found = LookupOne("d1", "b1");
  EXPECT_EQ(found.stage, kStageAccepted);
  EXPECT_EQ(found.content_hash, "h1");
  EXPECT_EQ(found.same_body, "");  // itself does not count
  EXPECT_EQ(LookupOne("never", "b9").stage, "");
}

TEST_P(AdmissionStoreContractTest, SameIdAndTextAgainIsADuplicateOfItselfAndWritesNothing) {
  Admit({Doc("d1", "h1", "b1")});
  const std::vector<AdmissionResult> again = Admit({Doc("d1", "h1", "b1")});
  EXPECT_EQ(again[0].outcome, Outcome::kDuplicate);
  EXPECT_EQ(again[0].duplicate_of, "d1");
  EXPECT_THAT(harness_->Entries(harness_->stream()), ::testing::SizeIs(1));
}

TEST_P(AdmissionStoreContractTest, NewIdWithALiveBodyIsADuplicateOfTheFirst) {
  Admit({Doc("first", "h1", "body")});
  EXPECT_EQ(LookupOne("second", "body").same_body, "first");
  const std::vector<AdmissionResult> results = Admit({Doc("second", "h2", "body")});
  EXPECT_EQ(results[0].outcome, Outcome::kDuplicate);
  EXPECT_EQ(results[0].duplicate_of, "first");
  EXPECT_THAT(harness_->Entries(harness_->stream()), ::testing::SizeIs(1));
  absl::StatusOr<std::optional<DocStatus>> status = harness_->status().Get("second");
  ASSERT_THAT(status, IsOk());
  EXPECT_FALSE(status->has_value());
}

TEST_P(AdmissionStoreContractTest, AnUpdateIsANewVersionEvenWithAnotherDocumentsBody) {
  Admit({Doc("a", "ha", "body-a"), Doc("b", "hb", "body-b")});
  Admission update = Doc("b", "hb2", "body-a");
  update.duplicate_of = "a";
  const std::vector<AdmissionResult> results = Admit({update});
  EXPECT_EQ(results[0].outcome, Outcome::kAccepted);
  EXPECT_THAT(harness_->Entries(harness_->stream()), ::testing::SizeIs(3));
  EXPECT_EQ(harness_->status().Get("b")->value().content_hash, "hb2");
}

TEST_P(AdmissionStoreContractTest, BatchIsAdmittedInOrderEachDocumentAtomically) {
  const std::vector<AdmissionResult> results =
      Admit({Doc("x", "h1", "b1"), Doc("x", "h1", "b1"), Doc("y", "h2", "b1"),
             Doc("z", "h3", "b3")});
  EXPECT_EQ(results[0].outcome, Outcome::kAccepted);
  EXPECT_EQ(results[1].outcome, Outcome::kDuplicate);
  EXPECT_EQ(results[1].duplicate_of, "x");
  EXPECT_EQ(results[2].outcome, Outcome::kDuplicate);
  EXPECT_EQ(results[2].duplicate_of, "x");
  EXPECT_EQ(results[3].outcome, Outcome::kAccepted);
  EXPECT_THAT(harness_->Entries(harness_->stream()), ::testing::SizeIs(2));
}

TEST_P(AdmissionStoreContractTest, FailedDocumentIsAdmittedAgainAndHoldsNoBody) {
  Admit({Doc("d1", "h1", "body")});
  DocStatus failed;
  failed.stage = kStageFailed;
  failed.error = "normalize: delivered 5 times";
  ASSERT_THAT(harness_->status().Set("d1", failed), IsOk());
  EXPECT_EQ(LookupOne("other", "body").same_body, "");
  EXPECT_EQ(Admit({Doc("d1", "h1", "body")})[0].outcome, Outcome::kAccepted);
  EXPECT_THAT(harness_->Entries(harness_->stream()), ::testing::SizeIs(2));
  EXPECT_EQ(harness_->status().Get("d1")->value().stage, kStageAccepted);
}

TEST_P(AdmissionStoreContractTest, BodyOfAnUpdatedDocumentIsFreeAgain) {
  Admit({Doc("a", "h1", "old-body")});
  Admit({Doc("a", "h2", "new-body")});
  EXPECT_EQ(LookupOne("c", "old-body").same_body, "");
  EXPECT_EQ(Admit({Doc("c", "h1", "old-body")})[0].outcome, Outcome::kAccepted);
  EXPECT_EQ(LookupOne("d", "old-body").same_body, "c");
}

TEST_P(AdmissionStoreContractTest, BandsProposeTheFirstDocumentWithEachValueButNeverItself) {
  const std::string sketch_a(16, 'a'), sketch_b(16, 'b');
  Admit({Doc("a", "ha", "ba", {"v0", "v1", "v2"}, sketch_a)});
  Admit({Doc("b", "hb", "bb", {"v0", "w1", "w2"}, sketch_b)});  // v0 stays a's

  AdmissionLookup found = LookupOne("c", "bc", {"v0", "w1", "v2"});
  ASSERT_THAT(found.similar, ::testing::SizeIs(2));
  EXPECT_EQ(found.similar[0].doc_id, "a");
  EXPECT_EQ(found.similar[0].sketch, sketch_a);
  EXPECT_EQ(found.similar[1].doc_id, "b");
  EXPECT_EQ(found.similar[1].sketch, sketch_b);
  // An update of "a" is never proposed to itself.
  EXPECT_THAT(LookupOne("a", "ba2", {"v0", "v1", "v2"}).similar, ::testing::IsEmpty());
  // Band positions matter: "v0" in band 1 is another value.
  EXPECT_THAT(LookupOne("c", "bc", {"x", "v0"}).similar, ::testing::IsEmpty());
}

TEST_P(AdmissionStoreContractTest, UpdateReplacesTheSketchAndDropsItWhenThereIsNone) {
  Admit({Doc("a", "h1", "b1", {"v0"}, "old sketch")});
  Admit({Doc("a", "h2", "b2", {"v0"}, "new sketch")});
  AdmissionLookup found = LookupOne("c", "bc", {"v0"});
  ASSERT_THAT(found.similar, ::testing::SizeIs(1));
  EXPECT_EQ(found.similar[0].sketch, "new sketch");
  Admit({Doc("a", "h3", "b3")});
  EXPECT_THAT(LookupOne("c", "bc", {"v0"}).similar, ::testing::IsEmpty());
}

}  // namespace queue
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_QUEUE_ADMISSION_STORE_CONTRACT_H_
