#include "common/queue/memory_admission_store.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/base/status_matchers.h"
#include "common/queue/admission_store_contract.h"
#include "common/queue/memory_queue.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace queue {
namespace {

class MemoryHarness : public AdmissionStoreHarness {
 public:
  AdmissionStore& store() override { return store_; }
  std::string stream() const override { return "contract:ingested"; }
  StatusStore& status() override { return status_; }
  std::vector<std::pair<std::string, std::string>> Entries(const std::string& stream) override {
    std::vector<std::pair<std::string, std::string>> out;
    for (const MemoryQueue::Record& record : queue_.Range(stream)) {
      out.emplace_back(record.Field("id").value_or(""), record.Field("pb").value_or(""));
    }
    return out;
  }

  MemoryQueue queue_;
  MemoryStatusStore status_;
  MemoryAdmissionStore store_{&queue_, &status_};
};

INSTANTIATE_TEST_SUITE_P(Memory, AdmissionStoreContractTest,
                         ::testing::Values(AdmissionStoreHarnessFactory([] {
                           return std::unique_ptr<AdmissionStoreHarness>(new MemoryHarness);
                         })),
                         // A fixed name: the parameter is a function, whose
                         // bytes would make the test names change every run.
                         [](const auto&) { return std::string("Store"); });

TEST(MemoryAdmissionStoreTest, QueueAwayIsUnavailableAndAdmitsNothing) {
  MemoryHarness harness;
  harness.queue_.SetAvailable(false);
  Admission doc;
  doc.doc_id = "d1";
  doc.content_hash = "h1";
  doc.body_hash = "b1";
  EXPECT_THAT(harness.store_.Admit("s", {doc}), StatusIs(absl::StatusCode::kUnavailable));
  harness.queue_.SetAvailable(true);
  auto status = harness.status_.Get("d1");
  ASSERT_THAT(status, IsOk());
  EXPECT_FALSE(status->has_value());
  auto results = harness.store_.Admit("s", {doc});
  ASSERT_THAT(results, IsOk());
  EXPECT_EQ((*results)[0].outcome, AdmissionResult::Outcome::kAccepted);
}

TEST(MemoryAdmissionStoreTest, RecordsDuplicateOfAndClearsItOnUpdate) {
  MemoryHarness harness;
  Admission doc;
  doc.doc_id = "d1";
  doc.content_hash = "h1";
  doc.body_hash = "b1";
  doc.duplicate_of = "orig";
  ASSERT_THAT(harness.store_.Admit("s", {doc}), IsOk());
  EXPECT_EQ(harness.store_.DuplicateOf("d1"), "orig");
  doc.content_hash = "h2";
  doc.duplicate_of.clear();
  ASSERT_THAT(harness.store_.Admit("s", {doc}), IsOk());
  EXPECT_EQ(harness.store_.DuplicateOf("d1"), "");
}

}  // namespace
}  // namespace queue
}  // namespace vnarchive
