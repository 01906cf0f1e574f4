#include "services/cli/client_util.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/client_interceptor.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "google/protobuf/util/json_util.h"

namespace vnarchive {
namespace cli {
namespace {

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "UNKNOWN";
  }
}

}  // namespace

namespace {

// What ConfigureClientSecurity settled, with the PEM files read.
struct ChannelSecurity {
  bool tls = false;
  grpc::SslCredentialsOptions pem;
  std::string token;
  std::string trace_id;
};

ChannelSecurity& CurrentSecurity() {
  static ChannelSecurity* security = new ChannelSecurity;
  return *security;
}

// Adds the bearer token and the trace id to every call of a channel.
class CallMetadataInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit CallMetadataInterceptor(const ChannelSecurity* security) : security_(security) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      auto* metadata = methods->GetSendInitialMetadata();
      if (!security_->token.empty()) {
        metadata->emplace("authorization", absl::StrCat("Bearer ", security_->token));
      }
      if (!security_->trace_id.empty()) metadata->emplace("x-trace-id", security_->trace_id);
    }
    methods->Proceed();
  }

 private:
  const ChannelSecurity* const security_;
};

class CallMetadataFactory final : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new CallMetadataInterceptor(&CurrentSecurity());
  }
};

absl::Status ReadPem(const std::string& path, const char* option, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(option, ": cannot read ", path));
  std::ostringstream content;
  content << in.rdbuf();
  *out = content.str();
  if (out->find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(option, ": ", path, " holds no PEM data"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ConfigureClientSecurity(const ClientSecurity& security) {
  ChannelSecurity settled;
  settled.tls = security.tls || !security.ca_file.empty() || !security.cert_file.empty();
  if (security.cert_file.empty() != security.key_file.empty()) {
    return absl::InvalidArgumentError("--tls-cert-file and --tls-key-file go together");
  }
  if (!security.token.empty() && !settled.tls) {
    return absl::InvalidArgumentError(
        "--token (VNA_TOKEN) needs TLS (--tls or --tls-ca-file): a bearer token is never sent "
        "in plaintext");
  }
  for (char c : security.token) {
    if (c <= ' ' || c == 0x7f) {
      return absl::InvalidArgumentError("--token holds spaces or control characters");
    }
  }
  for (char c : security.trace_id) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
          c == '-') ||
        security.trace_id.size() > 64) {
      return absl::InvalidArgumentError(
          "--trace-id must be at most 64 characters of letters, digits, '.', '_' and '-'");
    }
  }
  if (!security.ca_file.empty()) {
    if (absl::Status read = ReadPem(security.ca_file, "--tls-ca-file", &settled.pem.pem_root_certs);
        !read.ok()) {
      return read;
    }
  }
  if (!security.cert_file.empty()) {
    if (absl::Status read =
            ReadPem(security.cert_file, "--tls-cert-file", &settled.pem.pem_cert_chain);
        !read.ok()) {
      return read;
    }
    if (absl::Status read =
            ReadPem(security.key_file, "--tls-key-file", &settled.pem.pem_private_key);
        !read.ok()) {
      return read;
    }
  }
  settled.token = security.token;
  settled.trace_id = security.trace_id;
  CurrentSecurity() = std::move(settled);
  return absl::OkStatus();
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& addr) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  const ChannelSecurity& security = CurrentSecurity();
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      security.tls ? grpc::SslCredentials(security.pem) : grpc::InsecureChannelCredentials();
  if (security.token.empty() && security.trace_id.empty()) {
    return grpc::CreateCustomChannel(addr, credentials, args);
  }
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<CallMetadataFactory>());
  return grpc::experimental::CreateCustomChannelWithInterceptors(addr, credentials, args,
                                                                std::move(interceptors));
}

void SetDeadline(grpc::ClientContext* context, double seconds) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
}

int ReportRpcError(absl::string_view what, const grpc::Status& status, bool json) {
  if (json) {
    std::cout << "{\"error\":{\"code\":" << JsonString(CodeName(status.error_code()))
              << ",\"message\":" << JsonString(status.error_message()) << "}}\n";
  } else {
    std::cerr << "vnarchive: " << what << ": " << CodeName(status.error_code()) << ": "
              << status.error_message() << "\n";
  }
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ? 2 : 1;
}

int ReportStatusError(absl::string_view what, const absl::Status& status, bool json,
                      int exit_code) {
  const std::string code = absl::StatusCodeToString(status.code());
  if (json) {
    std::cout << "{\"error\":{\"code\":" << JsonString(code)
              << ",\"message\":" << JsonString(status.message()) << "}}\n";
  } else {
    std::cerr << "vnarchive: " << what << ": " << code << ": " << status.message() << "\n";
  }
  return exit_code;
}

absl::StatusOr<std::string> ReadFileOrStdin(const std::string& path) {
  std::ostringstream content;
  if (path == "-") {
    content << std::cin.rdbuf();
    return content.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  content << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("cannot read ", path));
  return content.str();
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string JsonString(absl::string_view text) {
  return absl::StrCat("\"", JsonEscape(text), "\"");
}

}  // namespace cli
}  // namespace vnarchive
