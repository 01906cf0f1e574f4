#include "common/grpc/call_interceptor.h"

#include <grpc/grpc.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/interceptor.h>

#include <chrono>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/grpc/trace.h"

namespace vnarchive {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

constexpr absl::string_view kHealthPrefix = "/grpc.health.v1.Health/";

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

// Shared by every interceptor one factory makes.
struct Shared {
  CallPolicy policy;
  CallDeadlines* deadlines = nullptr;
  metrics::CounterFamily* handled = nullptr;
  metrics::HistogramFamily* seconds = nullptr;
  metrics::Gauge* in_flight = nullptr;
  metrics::CounterFamily* deadline_cancelled = nullptr;
};

class CallInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(ServerRpcInfo* info, const Shared* shared)
      : info_(info), shared_(shared), method_(info->method() ? info->method() : ""),
        health_(absl::StartsWith(method_, kHealthPrefix)), start_(absl::Now()) {
    if (shared_->in_flight != nullptr) shared_->in_flight->Add(1);
  }

  ~CallInterceptor() override {
    if (deadline_handle_ != 0) shared_->deadlines->Remove(deadline_handle_);
    // No status was seen (the call broke off before one was sent).
    if (!finished_) Finish(grpc::Status(grpc::StatusCode::CANCELLED, "call ended without status"));
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      OnStart(methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA) &&
        !trace_id_.empty()) {
      methods->GetSendInitialMetadata()->emplace(kTraceIdKey, trace_id_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) &&
        !finished_) {
      Finish(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  void OnStart(std::multimap<grpc::string_ref, grpc::string_ref>* metadata) {
    if (health_ || metadata == nullptr) return;
    trace_id_ = TraceIdFromMetadata(*metadata);
    if (trace_id_.empty()) {
      trace_id_ = NewTraceId();
      // The map holds references: the strings live in this interceptor,
      // which the call owns until it ends.
      metadata->emplace(grpc::string_ref(kTraceIdKey), grpc::string_ref(trace_id_));
    }
    const bool unary = info_->type() == ServerRpcInfo::Type::UNARY;
    const absl::Duration limit =
        unary ? shared_->policy.max_unary_duration : shared_->policy.max_stream_duration;
    grpc::ServerContextBase* context = info_->server_context();
    if (limit <= absl::ZeroDuration() || shared_->deadlines == nullptr || context == nullptr ||
        context->c_call() == nullptr) {
      return;
    }
    const absl::Time cap = start_ + limit;
    if (absl::FromChrono(context->deadline()) <= cap) return;  // the client's is sooner
    deadline_handle_ = shared_->deadlines->Add(
        cap, context->c_call(),
        absl::StrCat("call exceeded the server's limit of ", absl::FormatDuration(limit),
                     unary ? " (--max_call_duration)" : " (--max_stream_duration)"),
        &deadline_fired_);
  }

  void Finish(const grpc::Status& sent) {
    finished_ = true;
    // Here rather than at destruction, which gRPC may delay past the reply.
    if (shared_->in_flight != nullptr) shared_->in_flight->Add(-1);
    grpc::Status status = sent;
    if (deadline_fired_.load()) {
      // The client saw the cancellation, whatever the handler returned later.
      status = grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "server-side limit");
      if (shared_->deadline_cancelled != nullptr) {
        shared_->deadline_cancelled->WithLabels({method_}).Increment();
      }
    }
    const std::string code = CodeName(status.error_code());
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
    if (shared_->handled != nullptr) shared_->handled->WithLabels({method_, code}).Increment();
    if (shared_->seconds != nullptr) shared_->seconds->WithLabels({method_, code}).Observe(seconds);
    if (health_ || !shared_->policy.access_log) return;
    LogFields fields = {{"method", method_},
                        {"code", code},
                        {"ms", absl::StrCat(static_cast<int64_t>(seconds * 1000))},
                        {"trace_id", trace_id_}};
    if (info_->server_context() != nullptr) {
      fields.emplace_back("peer", info_->server_context()->peer());
    }
    if (!status.ok()) fields.emplace_back("error", status.error_message());
    const bool our_fault = status.error_code() == grpc::StatusCode::INTERNAL ||
                           status.error_code() == grpc::StatusCode::UNKNOWN ||
                           status.error_code() == grpc::StatusCode::DATA_LOSS;
    Log(our_fault ? LogLevel::kWarning : LogLevel::kInfo, "rpc", fields);
  }

  ServerRpcInfo* const info_;
  const Shared* const shared_;
  const std::string method_;
  const bool health_;
  const absl::Time start_;
  std::string trace_id_;
  bool finished_ = false;
  CallDeadlines::Handle deadline_handle_ = 0;
  std::atomic<bool> deadline_fired_{false};
};

class CallInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallInterceptorFactory(Shared shared) : shared_(std::move(shared)) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new CallInterceptor(info, &shared_);
  }

 private:
  const Shared shared_;
};

}  // namespace

CallDeadlines::CallDeadlines() : thread_([this] { Loop(); }) {}

CallDeadlines::~CallDeadlines() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
  for (auto& [handle, pending] : pending_) grpc_call_unref(pending.call);
}

CallDeadlines::Handle CallDeadlines::Add(absl::Time when, grpc_call* call, std::string message,
                                         std::atomic<bool>* fired) {
  grpc_call_ref(call);
  std::lock_guard<std::mutex> lock(mu_);
  const Handle handle = next_++;
  pending_.emplace(handle, Pending{when, call, std::move(message), fired});
  order_.emplace(when, handle);
  changed_.notify_all();
  return handle;
}

void CallDeadlines::Remove(Handle handle) {
  grpc_call* call = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pending_.find(handle);
    if (it == pending_.end()) return;
    call = it->second.call;
    order_.erase({it->second.when, handle});
    pending_.erase(it);
  }
  grpc_call_unref(call);
}

void CallDeadlines::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    if (order_.empty()) {
      changed_.wait(lock);
      continue;
    }
    const auto [when, handle] = *order_.begin();
    const absl::Time now = absl::Now();
    if (when > now) {
      changed_.wait_for(lock,
                        absl::ToChronoMilliseconds(when - now) + std::chrono::milliseconds(1));
      continue;
    }
    order_.erase(order_.begin());
    // The entry stays in pending_ so that Remove() releases its reference;
    // `fired` is set under the lock, while its interceptor surely lives.
    Pending& pending = pending_.at(handle);
    pending.fired->store(true);
    grpc_call* call = pending.call;
    const std::string message = pending.message;
    // Cancelled without the lock (gRPC may finish the call on this thread),
    // holding a reference of our own in case Remove() runs meanwhile.
    grpc_call_ref(call);
    lock.unlock();
    grpc_call_cancel_with_status(call, GRPC_STATUS_DEADLINE_EXCEEDED, message.c_str(), nullptr);
    grpc_call_unref(call);
    lock.lock();
  }
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeCallInterceptorFactory(
    const CallPolicy& policy, CallDeadlines* deadlines) {
  Shared shared;
  shared.policy = policy;
  shared.deadlines = deadlines;
  if (policy.metrics != nullptr) {
    metrics::Registry& registry = *policy.metrics;
    shared.handled = &registry.AddCounter("vna_grpc_server_handled_total",
                                          "RPCs finished, by full method name and status code.",
                                          {"method", "code"});
    shared.seconds = &registry.AddHistogram(
        "vna_grpc_server_handling_seconds",
        "Time from a call's arrival to its status, by method and status code.",
        {"method", "code"});
    shared.in_flight = &registry.AddGauge("vna_grpc_server_in_flight",
                                          "RPCs being handled right now.").WithLabels({});
    shared.deadline_cancelled = &registry.AddCounter(
        "vna_grpc_server_deadline_cancelled_total",
        "Calls cancelled because they ran past --max_call_duration / --max_stream_duration.",
        {"method"});
  }
  return std::make_unique<CallInterceptorFactory>(std::move(shared));
}

}  // namespace vnarchive
