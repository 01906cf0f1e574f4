#include "common/grpc/token_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/log.h"

namespace vnarchive {
namespace {

constexpr absl::string_view kSha256Prefix = "sha256:";
constexpr absl::string_view kBearerPrefix = "Bearer ";

Sha256Digest Sha256(absl::string_view data) {
  Sha256Digest digest{};
  unsigned int length = 0;
  // EVP_Digest with SHA-256 cannot fail for in-memory input short of memory
  // exhaustion; a zero digest then simply matches nothing.
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    digest.fill(0);
  }
  return digest;
}

bool IsNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
         c == '@';
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    const int error = errno;
    const std::string message =
        absl::StrCat("cannot read token file ", path, ": ", std::strerror(error));
    if (error == ENOENT) return absl::NotFoundError(message);
    if (error == EACCES) return absl::PermissionDeniedError(message);
    return absl::UnavailableError(message);
  }
  std::string content;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) content.append(buffer, n);
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return absl::UnavailableError(absl::StrCat("cannot read token file ", path));
  return content;
}

}  // namespace

std::string HashToken(absl::string_view token) {
  const Sha256Digest digest = Sha256(token);
  return absl::StrCat(kSha256Prefix,
                      absl::BytesToHexString(absl::string_view(
                          reinterpret_cast<const char*>(digest.data()), digest.size())));
}

absl::StatusOr<std::vector<TokenHash>> ParseTokenFile(absl::string_view content) {
  std::vector<TokenHash> tokens;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(content, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    const auto bad = [line_number](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat(
          "token file line ", line_number, ": ", why,
          " (expected \"sha256:<64 hex digits> [name]\"; make one with: printf %s TOKEN | "
          "sha256sum)"));
    };
    if (!absl::ConsumePrefix(&line, kSha256Prefix)) return bad("not a sha256: hash");
    const size_t space = line.find_first_of(" \t");
    const absl::string_view hex = line.substr(0, space);
    const absl::string_view name =
        space == absl::string_view::npos ? "" : absl::StripAsciiWhitespace(line.substr(space));
    if (hex.size() != 64) return bad("the hash is not 64 hex digits");
    for (char c : hex) {
      if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
        return bad("the hash is not 64 hex digits");
      }
    }
    for (char c : name) {
      if (!IsNameChar(c)) return bad("the name may hold only letters, digits and . _ @ -");
    }
    TokenHash token;
    token.name = name.empty() ? absl::StrCat("line ", line_number) : std::string(name);
    const std::string bytes = absl::HexStringToBytes(hex);
    std::memcpy(token.digest.data(), bytes.data(), token.digest.size());
    tokens.push_back(std::move(token));
  }
  if (tokens.empty()) {
    return absl::InvalidArgumentError(
        "the token file lists no token: every client would be refused");
  }
  return tokens;
}

TokenStore::TokenStore(std::vector<TokenHash> tokens) : tokens_(std::move(tokens)) {}

TokenStore::TokenStore(std::string path, std::vector<TokenHash> tokens, std::string content,
                       metrics::Registry* metrics)
    : path_(std::move(path)), tokens_(std::move(tokens)), content_(std::move(content)) {
  if (metrics != nullptr) {
    tokens_gauge_ = &metrics->AddGauge("vna_auth_tokens", "Bearer tokens currently accepted.")
                         .WithLabels({});
    reloads_ = &metrics->AddCounter("vna_auth_token_reloads_total",
                                    "Changes of the token file seen, by result (ok, error).",
                                    {"result"});
    absl::MutexLock lock(&mu_);
    tokens_gauge_->Set(static_cast<double>(tokens_.size()));
  }
}

absl::StatusOr<std::shared_ptr<TokenStore>> TokenStore::Open(const std::string& path,
                                                             absl::Duration reload_interval,
                                                             metrics::Registry* metrics) {
  absl::StatusOr<std::string> content = ReadWholeFile(path);
  if (!content.ok()) return content.status();
  absl::StatusOr<std::vector<TokenHash>> tokens = ParseTokenFile(*content);
  if (!tokens.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", tokens.status().message()));
  }
  std::shared_ptr<TokenStore> store(
      new TokenStore(path, *std::move(tokens), *std::move(content), metrics));
  LogInfo("auth tokens loaded", {{"file", path}, {"tokens", absl::StrCat(store->size())}});
  if (reload_interval > absl::ZeroDuration()) {
    store->thread_ =
        std::thread([s = store.get(), reload_interval] { s->ReloadLoop(reload_interval); });
  }
  return store;
}

TokenStore::~TokenStore() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void TokenStore::ReloadLoop(absl::Duration interval) {
  while (!stop_.WaitForNotificationWithTimeout(interval)) (void)Reload();
}

absl::Status TokenStore::Reload() {
  if (path_.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> content = ReadWholeFile(path_);
  if (!content.ok()) {
    // A Secret volume swaps its files atomically, so a missing file is a
    // real problem, but the last good set keeps serving meanwhile.
    absl::MutexLock lock(&mu_);
    if (bad_content_ != "\x01unreadable") {
      bad_content_ = "\x01unreadable";
      LogWarning("token file unreadable; keeping the previous tokens",
                 {{"file", path_}, {"error", std::string(content.status().message())}});
      if (reloads_ != nullptr) reloads_->WithLabels({"error"}).Increment();
    }
    return content.status();
  }
  {
    absl::MutexLock lock(&mu_);
    if (*content == content_ || *content == bad_content_) return absl::OkStatus();
  }
  absl::StatusOr<std::vector<TokenHash>> tokens = ParseTokenFile(*content);
  absl::MutexLock lock(&mu_);
  if (!tokens.ok()) {
    bad_content_ = *std::move(content);
    LogWarning("token file changed but does not parse; keeping the previous tokens",
               {{"file", path_}, {"error", std::string(tokens.status().message())}});
    if (reloads_ != nullptr) reloads_->WithLabels({"error"}).Increment();
    return tokens.status();
  }
  tokens_ = *std::move(tokens);
  content_ = *std::move(content);
  bad_content_.clear();
  LogInfo("auth tokens reloaded", {{"file", path_}, {"tokens", absl::StrCat(tokens_.size())}});
  if (reloads_ != nullptr) reloads_->WithLabels({"ok"}).Increment();
  if (tokens_gauge_ != nullptr) tokens_gauge_->Set(static_cast<double>(tokens_.size()));
  return absl::OkStatus();
}

size_t TokenStore::size() const {
  absl::MutexLock lock(&mu_);
  return tokens_.size();
}

absl::optional<std::string> TokenStore::Match(absl::string_view token) const {
  const Sha256Digest digest = Sha256(token);
  absl::MutexLock lock(&mu_);
  // Every stored hash is compared, with no early exit, so the time taken
  // tells nothing about which one matched.
  const TokenHash* match = nullptr;
  for (const TokenHash& stored : tokens_) {
    const bool equal = CRYPTO_memcmp(stored.digest.data(), digest.data(), digest.size()) == 0;
    if (equal && match == nullptr) match = &stored;
  }
  if (match == nullptr) return absl::nullopt;
  return match->name;
}

TokenAuthProcessor::TokenAuthProcessor(std::shared_ptr<const TokenStore> tokens,
                                       metrics::CounterFamily* failures,
                                       std::vector<std::string> exempt_prefixes)
    : tokens_(std::move(tokens)), failures_(failures),
      exempt_prefixes_(std::move(exempt_prefixes)) {}

grpc::Status TokenAuthProcessor::Process(const InputMetadata& auth_metadata,
                                         grpc::AuthContext* /*context*/,
                                         OutputMetadata* consumed_auth_metadata,
                                         OutputMetadata* /*response_metadata*/) {
  const auto path = auth_metadata.find(":path");
  if (path != auth_metadata.end()) {
    const absl::string_view method(path->second.data(), path->second.size());
    for (const std::string& prefix : exempt_prefixes_) {
      if (absl::StartsWith(method, prefix)) return grpc::Status::OK;
    }
  }
  const auto header = auth_metadata.find("authorization");
  if (header == auth_metadata.end()) {
    if (failures_ != nullptr) failures_->WithLabels({"missing"}).Increment();
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "missing bearer token (send metadata \"authorization: Bearer <token>\")");
  }
  absl::string_view value(header->second.data(), header->second.size());
  absl::optional<std::string> name;
  // The scheme is case-insensitive (RFC 7235).
  if (value.size() > kBearerPrefix.size() &&
      absl::EqualsIgnoreCase(value.substr(0, kBearerPrefix.size()), kBearerPrefix)) {
    name = tokens_->Match(value.substr(kBearerPrefix.size()));
  }
  if (!name.has_value()) {
    if (failures_ != nullptr) failures_->WithLabels({"invalid"}).Increment();
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "invalid bearer token");
  }
  consumed_auth_metadata->insert(std::make_pair(
      std::string(header->first.data(), header->first.size()), std::string(value)));
  return grpc::Status::OK;
}

}  // namespace vnarchive
