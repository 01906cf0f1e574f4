#include "common/metrics/metrics.h"

#include <httplib.h>

#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "common/metrics/http_exporter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace metrics {
namespace {

using ::testing::HasSubstr;

TEST(FormatValueTest, IntegersWithoutFractionAndSpecialValues) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(1234567890), "1234567890");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatValue(std::nan("")), "NaN");
}

TEST(EscapeLabelValueTest, EscapesBackslashQuoteAndNewline) {
  EXPECT_EQ(EscapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(EscapeLabelValue("Hội nghị"), "Hội nghị");
}

TEST(CounterTest, NeverGoesDown) {
  Counter counter;
  counter.Increment();
  counter.Increment(2.5);
  counter.Increment(-10);
  EXPECT_EQ(counter.value(), 3.5);
}

TEST(RegistryTest, RendersCountersAndGaugesWithHelpTypeAndLabels) {
  Registry registry;
  CounterFamily& calls = registry.AddCounter("vna_calls_total", "Calls.", {"method", "code"});
  calls.WithLabels({"/a.B/C", "OK"}).Increment();
  calls.WithLabels({"/a.B/C", "OK"}).Increment();
  calls.WithLabels({"/a.B/C", "NOT_FOUND"}).Increment();
  registry.AddGauge("vna_up", "Up.").WithLabels({}).Set(1);
  // The same name again returns the same family.
  EXPECT_EQ(&registry.AddCounter("vna_calls_total", "other", {}), &calls);

  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("# HELP vna_calls_total Calls.\n# TYPE vna_calls_total counter\n"));
  EXPECT_THAT(text, HasSubstr("vna_calls_total{method=\"/a.B/C\",code=\"OK\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("vna_calls_total{method=\"/a.B/C\",code=\"NOT_FOUND\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE vna_up gauge\nvna_up 1\n"));
  // Families are sorted by name.
  EXPECT_LT(text.find("vna_calls_total"), text.find("vna_up"));
}

TEST(RegistryTest, HistogramBucketsAreCumulativeWithSumAndCount) {
  Registry registry;
  Histogram& latency =
      registry.AddHistogram("vna_seconds", "Latency.", {"method"}, {0.1, 1}).WithLabels({"m"});
  latency.Observe(0.05);
  latency.Observe(0.1);  // le is inclusive
  latency.Observe(0.5);
  latency.Observe(7);
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("# TYPE vna_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("vna_seconds_bucket{method=\"m\",le=\"0.1\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("vna_seconds_bucket{method=\"m\",le=\"1\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("vna_seconds_bucket{method=\"m\",le=\"+Inf\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("vna_seconds_sum{method=\"m\"} 7.65\n"));
  EXPECT_THAT(text, HasSubstr("vna_seconds_count{method=\"m\"} 4\n"));
}

TEST(RegistryTest, CallbacksAreCollectedAtRenderAndShareAFamily) {
  Registry registry;
  int backlog = 3;
  registry.AddCallback("vna_stream_backlog", "Backlog.", MetricType::kGauge, {"stream"},
                       [&] { return std::vector<Sample>{{{"vna:ingested"}, double(backlog)}}; });
  registry.AddCallback("vna_stream_backlog", "Backlog.", MetricType::kGauge, {"stream"},
                       [] { return std::vector<Sample>{{{"vna:normalized"}, 0}}; });
  EXPECT_THAT(registry.Render(), HasSubstr("vna_stream_backlog{stream=\"vna:ingested\"} 3\n"));
  backlog = 9;
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("vna_stream_backlog{stream=\"vna:ingested\"} 9\n"));
  EXPECT_THAT(text, HasSubstr("vna_stream_backlog{stream=\"vna:normalized\"} 0\n"));
  // One header for both callbacks.
  EXPECT_EQ(text.find("# TYPE vna_stream_backlog"), text.rfind("# TYPE vna_stream_backlog"));
}

TEST(RegistryTest, ConcurrentIncrementsAreAllCounted) {
  Registry registry;
  CounterFamily& family = registry.AddCounter("vna_n_total", "N.", {"t"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) family.WithLabels({"x"}).Increment();
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(family.WithLabels({"x"}).value(), 40000);
}

TEST(HttpExporterTest, BadAddressIsInvalidArgument) {
  Registry registry;
  EXPECT_EQ(HttpExporter::Start("no-port", &registry).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpExporter::Start("127.0.0.1:99999", &registry).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(HttpExporterTest, ServesMetricsOnlyOnSlashMetrics) {
  Registry registry;
  Counter& counter = registry.AddCounter("vna_scraped_total", "T.").WithLabels({});
  auto exporter = HttpExporter::Start("127.0.0.1:0", &registry);
  ASSERT_TRUE(exporter.ok()) << exporter.status();
  ASSERT_GT((*exporter)->port(), 0);

  httplib::Client client("127.0.0.1", (*exporter)->port());
  counter.Increment(5);
  auto response = client.Get("/metrics");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_THAT(response->get_header_value("Content-Type"), HasSubstr("text/plain"));
  EXPECT_THAT(response->body, HasSubstr("vna_scraped_total 5\n"));
  auto other = client.Get("/");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);

  // A second exporter on the same port fails cleanly.
  EXPECT_EQ(HttpExporter::Start("127.0.0.1:" + std::to_string((*exporter)->port()), &registry)
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
  exporter->reset();  // stops and joins
  auto after_stop = client.Get("/metrics");
  EXPECT_FALSE(after_stop);
}

}  // namespace
}  // namespace metrics
}  // namespace vnarchive
