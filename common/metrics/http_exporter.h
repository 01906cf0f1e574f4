// Serves a metrics::Registry over HTTP for Prometheus: GET /metrics returns
// Registry::Render() as text/plain; version=0.0.4. Anything else is 404.
// Plaintext on purpose: the port carries counters, never documents or
// secrets, and Prometheus scrapes it from inside the cluster.
//
//   metrics::Registry registry;
//   auto exporter = metrics::HttpExporter::Start("0.0.0.0:9464", &registry);
//   if (!exporter.ok()) { ...; }
//   int port = (*exporter)->port();
//   ...                                   // destroying it stops the server
//
// Built on cpp-httplib (Debian's libcpp-httplib-dev), with a two-thread pool:
// a scrape is a few kilobytes every few seconds.
#ifndef VNARCHIVE_COMMON_METRICS_HTTP_EXPORTER_H_
#define VNARCHIVE_COMMON_METRICS_HTTP_EXPORTER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "common/metrics/metrics.h"

namespace httplib {
class Server;
}

namespace vnarchive {
namespace metrics {

// Thread-safe. Not copyable or movable.
class HttpExporter {
 public:
  // Listens on `address` ("host:port"; port 0 picks a free one) and serves
  // `registry` (borrowed: it must outlive the exporter). InvalidArgument for
  // a malformed address, Unavailable when it cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpExporter>> Start(const std::string& address,
                                                             const Registry* registry);
  ~HttpExporter();
  HttpExporter(const HttpExporter&) = delete;
  HttpExporter& operator=(const HttpExporter&) = delete;

  // The bound port.
  int port() const { return port_; }

 private:
  HttpExporter();

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace metrics
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_METRICS_HTTP_EXPORTER_H_
