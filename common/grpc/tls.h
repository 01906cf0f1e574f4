// TLS for the gRPC servers (DESIGN §9): a certificate and key from PEM files,
// and, when a client CA is given, mutual TLS (every client must present a
// certificate that CA signed). The files are checked at start with OpenSSL
// (so a wrong path or a key that does not belong to the certificate is a
// clear start-up error, not a failed handshake later) and watched by gRPC:
// replaced files are picked up without a restart.
//
//   TlsServerFiles files{"/etc/tls/tls.crt", "/etc/tls/tls.key", "/etc/tls/ca.crt"};
//   VNA_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
//                        MakeTlsServerCredentials(files));
//   builder.AddListeningPort(address, credentials, &port);
#ifndef VNARCHIVE_COMMON_GRPC_TLS_H_
#define VNARCHIVE_COMMON_GRPC_TLS_H_

#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace vnarchive {

struct TlsServerFiles {
  // PEM certificate chain of the server (leaf first). Required.
  std::string cert_file;
  // PEM private key of that certificate. Required.
  std::string key_file;
  // PEM bundle of the CA(s) whose client certificates are accepted. Empty:
  // no client certificate is asked for. Set: one is required (mTLS).
  std::string client_ca_file;
  // How often the files are checked for changes (whole seconds, at least 1).
  // Default 60s.
  absl::Duration reload_interval = absl::Seconds(60);
};

// Returns OK when the files can be read, hold PEM a certificate, a private
// key that matches it and (if given) at least one CA certificate; else
// InvalidArgument or NotFound naming the file (never its content).
absl::Status CheckTlsServerFiles(const TlsServerFiles& files);

// Returns server credentials for `files` after CheckTlsServerFiles. With a
// client CA, clients without a certificate signed by it fail the handshake.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeTlsServerCredentials(
    const TlsServerFiles& files);

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_GRPC_TLS_H_
