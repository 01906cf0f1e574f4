// StderrCapture: what the process writes to stderr while it is alive, for
// tests that check the JSON log lines (common/base/log.h) a unit writes, e.g.
// that a trace id is in them or a secret is not.
//
//   StderrCapture capture;
//   DoSomethingThatLogs();
//   EXPECT_THAT(capture.Stop(), HasSubstr("\"trace_id\":\"t-1\""));
#ifndef VNARCHIVE_TESTS_TESTING_STDERR_CAPTURE_H_
#define VNARCHIVE_TESTS_TESTING_STDERR_CAPTURE_H_

#include <cstdio>
#include <string>

namespace vnarchive {
namespace testutil {

class StderrCapture {
 public:
  // Starts capturing: file descriptor 2 is pointed at a temporary file.
  StderrCapture();
  // Stops (if Stop was not called) without reading.
  ~StderrCapture();
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  // Puts stderr back and returns everything written to it meanwhile. Once.
  std::string Stop();

 private:
  int saved_ = -1;
  std::FILE* file_ = nullptr;
};

}  // namespace testutil
}  // namespace vnarchive

#endif  // VNARCHIVE_TESTS_TESTING_STDERR_CAPTURE_H_
