#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/grpc/server.h"
#include "common/grpc/status.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

TEST(StatusConversionTest, KeepsCodeAndMessageBothWays) {
  const absl::Status original = absl::ResourceExhaustedError("backlog 900 > 800; retry in 2s");
  const grpc::Status converted = ToGrpcStatus(original);
  EXPECT_EQ(converted.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(converted.error_message(), "backlog 900 > 800; retry in 2s");
  EXPECT_EQ(FromGrpcStatus(converted), original);
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

HealthCheckResponse::ServingStatus CheckHealth(int port) {
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                     grpc::InsecureChannelCredentials());
  auto stub = Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, HealthCheckRequest(), &response);
  if (!status.ok()) return HealthCheckResponse::UNKNOWN;
  return response.status();
}

TEST(GrpcServerTest, HealthFollowsReadinessCheck) {
  absl::Mutex mu;
  absl::Status readiness = absl::UnavailableError("redis down");
  ServerOptions options;
  options.readiness_interval = absl::Milliseconds(20);
  auto server = GrpcServer::Start(options, {}, [&] {
    absl::MutexLock lock(&mu);
    return readiness;
  });
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(CheckHealth((*server)->port()), HealthCheckResponse::NOT_SERVING);

  {
    absl::MutexLock lock(&mu);
    readiness = absl::OkStatus();
  }
  absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (CheckHealth((*server)->port()) != HealthCheckResponse::SERVING && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(CheckHealth((*server)->port()), HealthCheckResponse::SERVING);

  {
    absl::MutexLock lock(&mu);
    readiness = absl::UnavailableError("redis went away");
  }
  deadline = absl::Now() + absl::Seconds(5);
  while (CheckHealth((*server)->port()) != HealthCheckResponse::NOT_SERVING &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(CheckHealth((*server)->port()), HealthCheckResponse::NOT_SERVING);
  (*server)->Shutdown();
}

TEST(GrpcServerTest, PortInUseIsUnavailable) {
  auto first = GrpcServer::Start(ServerOptions(), {}, nullptr);
  ASSERT_TRUE(first.ok());
  ServerOptions options;
  options.listen_address = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = GrpcServer::Start(options, {}, nullptr);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace vnarchive
