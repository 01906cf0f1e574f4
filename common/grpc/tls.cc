#include "common/grpc/tls.h"

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace vnarchive {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

absl::StatusOr<std::unique_ptr<BIO, BioDeleter>> OpenPem(const std::string& path,
                                                         const char* flag) {
  if (path.empty()) return absl::InvalidArgumentError(absl::StrCat("--", flag, " is empty"));
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_file(path.c_str(), "r"));
  if (bio == nullptr) {
    ERR_clear_error();
    return absl::NotFoundError(
        absl::StrCat("cannot read --", flag, " ", path, ": ", std::strerror(errno)));
  }
  return bio;
}

// Never passes OpenSSL's own message on for keys: it could quote the file.
absl::Status Invalid(const char* flag, const std::string& path, absl::string_view what) {
  ERR_clear_error();
  return absl::InvalidArgumentError(absl::StrCat("--", flag, " ", path, ": ", what));
}

}  // namespace

absl::Status CheckTlsServerFiles(const TlsServerFiles& files) {
  auto cert_bio = OpenPem(files.cert_file, "tls_cert_file");
  if (!cert_bio.ok()) return cert_bio.status();
  std::unique_ptr<X509, X509Deleter> cert(
      PEM_read_bio_X509(cert_bio->get(), nullptr, nullptr, nullptr));
  if (cert == nullptr) {
    return Invalid("tls_cert_file", files.cert_file, "no PEM certificate in it");
  }
  auto key_bio = OpenPem(files.key_file, "tls_key_file");
  if (!key_bio.ok()) return key_bio.status();
  // An empty passphrase callback: an encrypted key is refused, not prompted for.
  std::unique_ptr<EVP_PKEY, KeyDeleter> key(PEM_read_bio_PrivateKey(
      key_bio->get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr));
  if (key == nullptr) {
    return Invalid("tls_key_file", files.key_file,
                   "no unencrypted PEM private key in it");
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return Invalid("tls_key_file", files.key_file,
                   absl::StrCat("the key does not belong to the certificate in ", files.cert_file));
  }
  if (!files.client_ca_file.empty()) {
    auto ca_bio = OpenPem(files.client_ca_file, "tls_client_ca_file");
    if (!ca_bio.ok()) return ca_bio.status();
    std::unique_ptr<X509, X509Deleter> ca(
        PEM_read_bio_X509(ca_bio->get(), nullptr, nullptr, nullptr));
    if (ca == nullptr) {
      return Invalid("tls_client_ca_file", files.client_ca_file, "no PEM certificate in it");
    }
  }
  ERR_clear_error();
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeTlsServerCredentials(
    const TlsServerFiles& files) {
  if (absl::Status checked = CheckTlsServerFiles(files); !checked.ok()) return checked;
  const auto refresh_seconds = static_cast<unsigned int>(
      std::max<int64_t>(1, absl::ToInt64Seconds(files.reload_interval)));
  // The provider re-reads the files every refresh_seconds and swaps in new
  // ones that parse and match, so a rotated certificate needs no restart.
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      files.key_file, files.cert_file, files.client_ca_file, refresh_seconds);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (files.client_ca_file.empty()) {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    options.watch_root_certs();
    options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  std::shared_ptr<grpc::ServerCredentials> credentials =
      grpc::experimental::TlsServerCredentials(options);
  if (credentials == nullptr) {
    return absl::InternalError("gRPC refused the TLS server options");
  }
  return credentials;
}

}  // namespace vnarchive
