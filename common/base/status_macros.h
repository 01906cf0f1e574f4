// Early-return helpers for absl::Status / absl::StatusOr (Debian's Abseil
// 20220623 ships no status_macros.h).
//
//   VNA_RETURN_IF_ERROR(queue.Ack(stream, group, ids));
//   VNA_ASSIGN_OR_RETURN(std::string id, queue.Publish(stream, key, payload));
#ifndef VNARCHIVE_COMMON_BASE_STATUS_MACROS_H_
#define VNARCHIVE_COMMON_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define VNA_RETURN_IF_ERROR(expr)                  \
  do {                                             \
    ::absl::Status vna_status_ = (expr);           \
    if (!vna_status_.ok()) return vna_status_;     \
  } while (0)

#define VNA_STATUS_CONCAT_INNER_(a, b) a##b
#define VNA_STATUS_CONCAT_(a, b) VNA_STATUS_CONCAT_INNER_(a, b)

#define VNA_ASSIGN_OR_RETURN(lhs, expr) \
  VNA_ASSIGN_OR_RETURN_IMPL_(VNA_STATUS_CONCAT_(vna_statusor_, __LINE__), lhs, expr)

#define VNA_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                               \
  if (!statusor.ok()) return statusor.status();         \
  lhs = std::move(statusor).value()

#endif  // VNARCHIVE_COMMON_BASE_STATUS_MACROS_H_
