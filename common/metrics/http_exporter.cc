#include "common/metrics/http_exporter.h"

#include <httplib.h>

#include <sys/socket.h>

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace vnarchive {
namespace metrics {

HttpExporter::HttpExporter() : server_(std::make_unique<httplib::Server>()) {}

absl::StatusOr<std::unique_ptr<HttpExporter>> HttpExporter::Start(const std::string& address,
                                                                 const Registry* registry) {
  const size_t colon = address.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics address \"", address, "\" is not host:port"));
  }
  absl::string_view host = absl::string_view(address).substr(0, colon);
  // "[::]:9464" -> "::"
  if (absl::ConsumePrefix(&host, "[")) absl::ConsumeSuffix(&host, "]");
  if (host.empty()) host = "0.0.0.0";

  auto exporter = std::unique_ptr<HttpExporter>(new HttpExporter());
  httplib::Server& server = *exporter->server_;
  server.new_task_queue = [] { return new httplib::ThreadPool(2); };
  server.set_read_timeout(5, 0);
  server.set_payload_max_length(4096);  // scrapes are GETs without a body
  // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, which lets a
  // second process silently share a taken port.
  server.set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server.Get("/metrics", [registry](const httplib::Request&, httplib::Response& response) {
    response.set_content(registry->Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  const std::string host_string(host);
  if (port == 0) {
    port = server.bind_to_any_port(host_string);
    if (port <= 0) port = 0;
  } else if (!server.bind_to_port(host_string, port)) {
    port = 0;
  }
  if (port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for metrics on ", address, " (address in use or not local?)"));
  }
  exporter->port_ = port;
  exporter->thread_ = std::thread([&server] { server.listen_after_bind(); });
  // stop() is a no-op until the loop runs: wait for it, so that destroying
  // the exporter right away cannot leave the thread listening for ever.
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (!server.is_running() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
  return exporter;
}

HttpExporter::~HttpExporter() {
  if (server_ != nullptr) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace metrics
}  // namespace vnarchive
