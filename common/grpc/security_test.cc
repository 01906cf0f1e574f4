// TLS (and its certificate rotation), mTLS, bearer tokens, the health-only
// port, server-side deadlines, concurrent-stream limits, RPC metrics and
// trace ids of GrpcServer, against real gRPC connections on
// 127.0.0.1. Certificates are made at test time by
// common/grpc/testing/make_test_certs.sh in a temporary directory.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/grpc/server.h"
#include "common/grpc/token_auth.h"
#include "common/grpc/trace.h"
#include "common/metrics/metrics.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/stderr_capture.h"
#include "vnarchive/v1/normalize.grpc.pb.h"

#ifndef VNA_MAKE_TEST_CERTS
#error "VNA_MAKE_TEST_CERTS must name common/grpc/testing/make_test_certs.sh"
#endif

namespace vnarchive {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "s3cr3t-token-for-tests-7f1c2a9e";
constexpr char kOtherToken[] = "another-token-9d8e7f";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

// A temporary directory with the test CA, server and client certificates.
class CertDir {
 public:
  CertDir() {
    char pattern[] = "/tmp/vna-tls-XXXXXX";
    dir_ = mkdtemp(pattern);
    const std::string command =
        absl::StrCat("bash ", VNA_MAKE_TEST_CERTS, " ", dir_, " >/dev/null 2>&1");
    ok_ = std::system(command.c_str()) == 0;
  }
  ~CertDir() { (void)std::system(absl::StrCat("rm -rf ", dir_).c_str()); }
  bool ok() const { return ok_; }
  std::string path(const std::string& name) const { return absl::StrCat(dir_, "/", name); }
  std::string pem(const std::string& name) const { return ReadFile(path(name)); }

 private:
  std::string dir_;
  bool ok_ = false;
};

// Answers Normalize with the text as sent; "sleep" makes it wait up to 3s
// (until cancelled), "nap" 300ms. Remembers the call's trace id and how
// many calls it ran at once.
class FakeNormalize final : public v1::NormalizeService::Service {
 public:
  grpc::Status Normalize(grpc::ServerContext* context, const v1::NormalizeRequest* request,
                         v1::NormalizeResponse* response) override {
    {
      absl::MutexLock lock(&mu_);
      trace_id_ = TraceIdForCall(*context);
      saw_authorization_ = context->client_metadata().count("authorization") > 0;
      ++active_;
      max_active_ = std::max(max_active_, active_);
    }
    if (request->text() == "sleep") {
      for (int i = 0; i < 300 && !context->IsCancelled(); ++i) {
        absl::SleepFor(absl::Milliseconds(10));
      }
    } else if (request->text() == "nap") {
      absl::SleepFor(absl::Milliseconds(300));
    }
    {
      absl::MutexLock lock(&mu_);
      --active_;
    }
    response->set_text(request->text());
    return grpc::Status::OK;
  }
  std::string trace_id() {
    absl::MutexLock lock(&mu_);
    return trace_id_;
  }
  bool saw_authorization() {
    absl::MutexLock lock(&mu_);
    return saw_authorization_;
  }
  // The most calls that were in the handler at the same time.
  int max_active() {
    absl::MutexLock lock(&mu_);
    return max_active_;
  }

 private:
  absl::Mutex mu_;
  std::string trace_id_;
  bool saw_authorization_ = false;
  int active_ = 0;
  int max_active_ = 0;
};

struct ClientOptions {
  bool tls = true;
  std::string ca;         // PEM roots
  std::string cert, key;  // client certificate
  std::string token;
  std::string trace_id;
  std::string traceparent;
};

class SecurityTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(certs_.ok()) << "make_test_certs.sh failed (openssl?)"; }

  ServerOptions TlsOptions() const {
    ServerOptions options;
    options.tls_cert_file = certs_.path("server.crt");
    options.tls_key_file = certs_.path("server.key");
    options.readiness_interval = absl::Milliseconds(20);
    options.credentials_reload_interval = absl::Milliseconds(100);
    return options;
  }

  std::unique_ptr<GrpcServer> Start(const ServerOptions& options) {
    auto server = GrpcServer::Start(options, {&service_}, [] { return absl::OkStatus(); });
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  std::shared_ptr<grpc::Channel> Channel(int port, const ClientOptions& client) {
    std::shared_ptr<grpc::ChannelCredentials> credentials;
    if (client.tls) {
      grpc::SslCredentialsOptions ssl;
      ssl.pem_root_certs = client.ca.empty() ? certs_.pem("ca.crt") : client.ca;
      ssl.pem_cert_chain = client.cert;
      ssl.pem_private_key = client.key;
      credentials = grpc::SslCredentials(ssl);
    } else {
      credentials = grpc::InsecureChannelCredentials();
    }
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), credentials);
  }

  grpc::Status Call(int port, const ClientOptions& client, const std::string& text = "xin chào",
                    std::multimap<std::string, std::string>* headers = nullptr,
                    int timeout_ms = 5000) {
    auto stub = v1::NormalizeService::NewStub(Channel(port, client));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
    if (!client.token.empty()) context.AddMetadata("authorization", "Bearer " + client.token);
    if (!client.trace_id.empty()) context.AddMetadata("x-trace-id", client.trace_id);
    if (!client.traceparent.empty()) context.AddMetadata("traceparent", client.traceparent);
    v1::NormalizeRequest request;
    request.set_text(text);
    v1::NormalizeResponse response;
    grpc::Status status = stub->Normalize(&context, request, &response);
    if (headers != nullptr) {
      for (const auto& [key, value] : context.GetServerInitialMetadata()) {
        headers->emplace(std::string(key.data(), key.size()),
                         std::string(value.data(), value.size()));
      }
    }
    return status;
  }

  grpc::health::v1::HealthCheckResponse::ServingStatus Health(int port, const ClientOptions& client,
                                                              grpc::Status* status_out = nullptr) {
    auto stub = grpc::health::v1::Health::NewStub(Channel(port, client));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status status =
        stub->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
    if (status_out != nullptr) *status_out = status;
    return status.ok() ? response.status() : grpc::health::v1::HealthCheckResponse::UNKNOWN;
  }

  // Waits (up to 5s) for health SERVING on `port`.
  bool WaitServing(int port, const ClientOptions& client) {
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    while (absl::Now() < deadline) {
      if (Health(port, client) == grpc::health::v1::HealthCheckResponse::SERVING) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  CertDir certs_;
  FakeNormalize service_;
};

// --- configuration errors -----------------------------------------------------

TEST_F(SecurityTest, TokenFileWithoutTlsIsRefused) {
  ServerOptions options;
  options.auth_token_file = certs_.path("tokens");
  WriteFile(options.auth_token_file, HashToken(kToken) + "\n");
  auto server = GrpcServer::Start(options, {&service_}, nullptr);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(server.status().message(), HasSubstr("plaintext"));
}

TEST_F(SecurityTest, KeyWithoutCertificateAndClientCaWithoutTlsAreRefused) {
  ServerOptions options;
  options.tls_key_file = certs_.path("server.key");
  EXPECT_EQ(GrpcServer::Start(options, {&service_}, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
  ServerOptions ca_only;
  ca_only.tls_client_ca_file = certs_.path("ca.crt");
  EXPECT_EQ(GrpcServer::Start(ca_only, {&service_}, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SecurityTest, MissingOrMismatchedTlsFilesAreClearErrors) {
  ServerOptions missing = TlsOptions();
  missing.tls_cert_file = certs_.path("nope.crt");
  auto server = GrpcServer::Start(missing, {&service_}, nullptr);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(server.status().message(), HasSubstr("nope.crt"));

  ServerOptions mismatched = TlsOptions();
  mismatched.tls_key_file = certs_.path("client.key");  // not the server's key
  server = GrpcServer::Start(mismatched, {&service_}, nullptr);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(server.status().message(), HasSubstr("does not belong"));
  // The key's content is never quoted.
  EXPECT_THAT(server.status().message(), Not(HasSubstr("PRIVATE KEY")));
}

// --- TLS ----------------------------------------------------------------------

TEST_F(SecurityTest, PlaintextClientCannotTalkToTlsPort) {
  auto server = Start(TlsOptions());
  ASSERT_NE(server, nullptr);
  ClientOptions plaintext;
  plaintext.tls = false;
  EXPECT_EQ(Call(server->port(), plaintext, "x", nullptr, 2000).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(SecurityTest, TlsWithTheRightCaWorksAndAnotherCaIsRefused) {
  auto server = Start(TlsOptions());
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(Call(server->port(), ClientOptions()).ok());
  ClientOptions wrong_ca;
  wrong_ca.ca = certs_.pem("other-ca.crt");
  EXPECT_EQ(Call(server->port(), wrong_ca, "x", nullptr, 2000).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(SecurityTest, ReplacedCertificateIsServedWithoutRestart) {
  // The server reads its certificate from files that are replaced the way a
  // mounted Secret is: new files written aside, then renamed over the old.
  ServerOptions options = TlsOptions();
  options.tls_cert_file = certs_.path("live.crt");
  options.tls_key_file = certs_.path("live.key");
  WriteFile(options.tls_cert_file, certs_.pem("server.crt"));
  WriteFile(options.tls_key_file, certs_.pem("server.key"));
  auto server = Start(options);
  ASSERT_NE(server, nullptr);
  ClientOptions trusts_old, trusts_new;
  trusts_new.ca = certs_.pem("other-ca.crt");
  EXPECT_TRUE(Call(server->port(), trusts_old).ok());
  EXPECT_EQ(Call(server->port(), trusts_new, "x", nullptr, 2000).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  WriteFile(options.tls_key_file + ".new", certs_.pem("other-server.key"));
  WriteFile(options.tls_cert_file + ".new", certs_.pem("other-server.crt"));
  ASSERT_EQ(std::rename((options.tls_key_file + ".new").c_str(), options.tls_key_file.c_str()), 0);
  ASSERT_EQ(std::rename((options.tls_cert_file + ".new").c_str(), options.tls_cert_file.c_str()),
            0);
  // The files are checked every second (the shortest interval gRPC's
  // watcher takes), so the new certificate is served within a few.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!Call(server->port(), trusts_new, "x", nullptr, 1000).ok() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(Call(server->port(), trusts_new).ok());
  EXPECT_EQ(Call(server->port(), trusts_old, "x", nullptr, 2000).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(SecurityTest, MutualTlsRequiresACertificateFromTheClientCa) {
  ServerOptions options = TlsOptions();
  options.tls_client_ca_file = certs_.path("ca.crt");
  auto server = Start(options);
  ASSERT_NE(server, nullptr);

  EXPECT_EQ(Call(server->port(), ClientOptions(), "x", nullptr, 2000).error_code(),
            grpc::StatusCode::UNAVAILABLE)
      << "a client without a certificate got through";
  ClientOptions intruder;
  intruder.cert = certs_.pem("other-client.crt");
  intruder.key = certs_.pem("other-client.key");
  EXPECT_EQ(Call(server->port(), intruder, "x", nullptr, 2000).error_code(),
            grpc::StatusCode::UNAVAILABLE)
      << "a certificate from another CA got through";
  ClientOptions client;
  client.cert = certs_.pem("client.crt");
  client.key = certs_.pem("client.key");
  EXPECT_TRUE(Call(server->port(), client).ok());
}

// --- bearer tokens ------------------------------------------------------------

TEST_F(SecurityTest, TokensAreCheckedHealthIsExemptAndNothingSecretIsLogged) {
  ServerOptions options = TlsOptions();
  options.auth_token_file = certs_.path("tokens");
  WriteFile(options.auth_token_file, "# test\n" + HashToken(kToken) + " portal-a\n");
  metrics::Registry registry;
  options.metrics = &registry;
  testutil::StderrCapture capture;
  auto server = Start(options);
  ASSERT_NE(server, nullptr);

  ClientOptions none;
  const grpc::Status missing = Call(server->port(), none);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  ClientOptions wrong;
  wrong.token = kOtherToken;
  const grpc::Status invalid = Call(server->port(), wrong);
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(invalid.error_message(), Not(HasSubstr(kOtherToken)));
  ClientOptions right;
  right.token = kToken;
  EXPECT_TRUE(Call(server->port(), right).ok());
  // The token is consumed: the handler never sees it.
  EXPECT_FALSE(service_.saw_authorization());
  // Probes carry no token.
  EXPECT_TRUE(WaitServing(server->port(), none));

  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("vna_auth_failures_total{reason=\"missing\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("vna_auth_failures_total{reason=\"invalid\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("vna_auth_tokens 1\n"));
  server.reset();
  const std::string logs = capture.Stop();
  EXPECT_THAT(logs, HasSubstr("\"msg\":\"rpc\""));
  EXPECT_THAT(logs, Not(HasSubstr(kToken)));
  EXPECT_THAT(logs, Not(HasSubstr(kOtherToken)));
}

TEST_F(SecurityTest, RewrittenTokenFileIsPickedUpWithoutRestart) {
  ServerOptions options = TlsOptions();
  options.auth_token_file = certs_.path("tokens");
  WriteFile(options.auth_token_file, HashToken(kToken) + "\n");
  auto server = Start(options);
  ASSERT_NE(server, nullptr);
  ClientOptions old_client, new_client;
  old_client.token = kToken;
  new_client.token = kOtherToken;
  EXPECT_TRUE(Call(server->port(), old_client).ok());
  EXPECT_EQ(Call(server->port(), new_client).error_code(), grpc::StatusCode::UNAUTHENTICATED);

  // Rotate: the new token in, the old one out (written aside, then renamed,
  // as a Secret volume does).
  WriteFile(options.auth_token_file + ".new", HashToken(kOtherToken) + " rotated\n");
  ASSERT_EQ(std::rename((options.auth_token_file + ".new").c_str(),
                        options.auth_token_file.c_str()),
            0);
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (!Call(server->port(), new_client).ok() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(Call(server->port(), new_client).ok());
  EXPECT_EQ(Call(server->port(), old_client).error_code(), grpc::StatusCode::UNAUTHENTICATED);

  // A broken file keeps the last good tokens.
  WriteFile(options.auth_token_file, "my-raw-token-pasted-by-mistake\n");
  absl::SleepFor(absl::Milliseconds(400));
  EXPECT_TRUE(Call(server->port(), new_client).ok());
}

// --- health port ----------------------------------------------------------------

TEST_F(SecurityTest, HealthPortAnswersInPlaintextWhileTheServicePortHasTls) {
  ServerOptions options = TlsOptions();
  options.health_listen_address = "127.0.0.1:0";
  options.auth_token_file = certs_.path("tokens");
  WriteFile(options.auth_token_file, HashToken(kToken) + "\n");
  auto server = Start(options);
  ASSERT_NE(server, nullptr);
  ASSERT_GT(server->health_port(), 0);
  ClientOptions plaintext;
  plaintext.tls = false;
  EXPECT_TRUE(WaitServing(server->health_port(), plaintext));
  // Nothing else is served there.
  EXPECT_EQ(Call(server->health_port(), plaintext).error_code(), grpc::StatusCode::UNIMPLEMENTED);
  // And health follows the server's status on both ports.
  server->Shutdown();
  EXPECT_NE(Health(server->health_port(), plaintext),
            grpc::health::v1::HealthCheckResponse::SERVING);
}

// --- limits, metrics, trace ids -----------------------------------------------------

TEST_F(SecurityTest, ServerSideCallLimitCancelsWithDeadlineExceeded) {
  ServerOptions options;
  options.max_unary_duration = absl::Milliseconds(200);
  metrics::Registry registry;
  options.metrics = &registry;
  auto server = Start(options);
  ASSERT_NE(server, nullptr);
  ClientOptions plaintext;
  plaintext.tls = false;
  const absl::Time start = absl::Now();
  const grpc::Status status = Call(server->port(), plaintext, "sleep", nullptr, 10000);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("--max_call_duration"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  // Quick calls are untouched.
  EXPECT_TRUE(Call(server->port(), plaintext).ok());
  server->Shutdown();
  EXPECT_THAT(registry.Render(),
              HasSubstr("vna_grpc_server_deadline_cancelled_total{method=\"/vnarchive.v1."
                        "NormalizeService/Normalize\"} 1\n"));
}

TEST_F(SecurityTest, RequestOverTheSizeLimitIsRefusedAndTheServerGoesOn) {
  ServerOptions options;
  options.max_message_bytes = 4096;
  auto server = Start(options);
  ASSERT_NE(server, nullptr);
  ClientOptions plaintext;
  plaintext.tls = false;
  const grpc::Status status = Call(server->port(), plaintext, std::string(10000, 'a'));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_TRUE(Call(server->port(), plaintext, std::string(1000, 'a')).ok());
}

// Starts `calls` 300ms calls at once over one connection to `port` and
// returns how many the server handled at the same time.
int MostConcurrentSlowCalls(int port, int calls, FakeNormalize* service) {
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::NormalizeService::NewStub(channel);
  {
    // Connect first, so the server's limit (sent in its HTTP/2 settings) is
    // known before the calls start.
    grpc::ClientContext context;
    v1::NormalizeRequest request;
    v1::NormalizeResponse response;
    EXPECT_TRUE(stub->Normalize(&context, request, &response).ok());
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < calls; ++i) {
    threads.emplace_back([&stub] {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      v1::NormalizeRequest request;
      request.set_text("nap");
      v1::NormalizeResponse response;
      EXPECT_TRUE(stub->Normalize(&context, request, &response).ok());
    });
  }
  for (std::thread& thread : threads) thread.join();
  return service->max_active();
}

TEST_F(SecurityTest, ConcurrentStreamsPerConnectionAreLimited) {
  ServerOptions options;
  options.max_concurrent_streams = 2;
  auto server = Start(options);
  ASSERT_NE(server, nullptr);
  // Over the limit, calls wait in the client for a free stream instead of
  // all reaching the handler at once; they all complete.
  EXPECT_EQ(MostConcurrentSlowCalls(server->port(), 5, &service_), 2);
}

TEST_F(SecurityTest, WithoutAStreamLimitCallsRunTogether) {
  // The control for the test above: the same calls without the limit.
  auto server = Start(ServerOptions());
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(MostConcurrentSlowCalls(server->port(), 5, &service_), 5);
}

TEST_F(SecurityTest, MetricsCountCallsByMethodAndCode) {
  ServerOptions options;
  metrics::Registry registry;
  options.metrics = &registry;
  auto server = Start(options);
  ASSERT_NE(server, nullptr);
  ClientOptions plaintext;
  plaintext.tls = false;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Call(server->port(), plaintext).ok());
  const std::string text = registry.Render();
  const std::string labels =
      "method=\"/vnarchive.v1.NormalizeService/Normalize\",code=\"OK\"";
  EXPECT_THAT(text, HasSubstr("vna_grpc_server_handled_total{" + labels + "} 3\n"));
  EXPECT_THAT(text, HasSubstr("vna_grpc_server_handling_seconds_count{" + labels + "} 3\n"));
  EXPECT_THAT(text, HasSubstr("vna_grpc_server_in_flight 0\n"));
  EXPECT_THAT(text, HasSubstr("vna_health_serving"));
}

TEST_F(SecurityTest, TraceIdIsTakenFromTheCallerOrMadeAndEchoed) {
  auto server = Start(ServerOptions());
  ASSERT_NE(server, nullptr);
  ClientOptions client;
  client.tls = false;
  client.trace_id = "doc-trace-42";
  std::multimap<std::string, std::string> headers;
  ASSERT_TRUE(Call(server->port(), client, "x", &headers).ok());
  EXPECT_EQ(service_.trace_id(), "doc-trace-42");
  ASSERT_EQ(headers.count("x-trace-id"), 1u);
  EXPECT_EQ(headers.find("x-trace-id")->second, "doc-trace-42");

  ClientOptions w3c;
  w3c.tls = false;
  w3c.traceparent = "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01";
  ASSERT_TRUE(Call(server->port(), w3c).ok());
  EXPECT_EQ(service_.trace_id(), "4bf92f3577b34da6a3ce929d0e0e4736");

  ClientOptions bare;
  bare.tls = false;
  bare.trace_id = "bad id with spaces";  // ignored: a new one is made
  headers.clear();
  ASSERT_TRUE(Call(server->port(), bare, "x", &headers).ok());
  const std::string made = service_.trace_id();
  EXPECT_EQ(made.size(), 32u);
  EXPECT_TRUE(IsValidTraceId(made));
  EXPECT_EQ(headers.find("x-trace-id")->second, made);
}

// --- pure parts ----------------------------------------------------------------

TEST(TraceIdTest, ParsesTraceparent) {
  EXPECT_EQ(TraceIdFromTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(TraceIdFromTraceparent("00-00000000000000000000000000000000-b7ad6b7169203331-01"), "");
  EXPECT_EQ(TraceIdFromTraceparent("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), "");
  EXPECT_EQ(TraceIdFromTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331"), "");
  EXPECT_EQ(TraceIdFromTraceparent("00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01"), "");
  EXPECT_NE(NewTraceId(), NewTraceId());
  EXPECT_FALSE(IsValidTraceId(""));
  EXPECT_FALSE(IsValidTraceId(std::string(65, 'a')));
  EXPECT_FALSE(IsValidTraceId("a\"b"));
}

TEST(TokenFileTest, HashIsSha256Hex) {
  EXPECT_EQ(HashToken("test"),
            "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
}

TEST(TokenFileTest, BadLinesNameTheLineButNeverEchoIt) {
  auto parsed = ParseTokenFile("# comment\n\n" + HashToken("a") + " ok\nraw-secret-token\n");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("line 4"));
  EXPECT_THAT(parsed.status().message(), Not(HasSubstr("raw-secret-token")));
  EXPECT_EQ(ParseTokenFile("# only comments\n").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseTokenFile("sha256:abcd\n").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseTokenFile(HashToken("a") + " bad\"name\n").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TokenFileTest, MatchesOnlyListedTokensAndNamesThem) {
  auto parsed = ParseTokenFile(HashToken("alpha") + " portal-a\n" + HashToken("beta") + "\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  TokenStore store(*parsed);
  EXPECT_EQ(store.Match("alpha"), "portal-a");
  EXPECT_EQ(store.Match("beta"), "line 2");
  EXPECT_EQ(store.Match("gamma"), absl::nullopt);
  EXPECT_EQ(store.Match(""), absl::nullopt);
  // Upper-case hex is accepted too.
  std::string upper = HashToken("delta");
  for (size_t i = 7; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  auto parsed_upper = ParseTokenFile(upper + "\n");
  ASSERT_TRUE(parsed_upper.ok());
  EXPECT_TRUE(TokenStore(*parsed_upper).Match("delta").has_value());
}

}  // namespace
}  // namespace vnarchive
