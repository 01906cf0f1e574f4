// `vnarchive search|get|status|health|reflect`: one RPC each, printed for a
// person or as one JSON object (docs/cli.md). `search --db` answers from a
// database file instead (embedded_commands.cc), printed the same way.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/util/time_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "services/cli/client_util.h"
#include "services/cli/commands.h"
#include "services/cli/embedded.h"
#include "vnarchive/v1/ingest.grpc.pb.h"
#include "vnarchive/v1/search.grpc.pb.h"

namespace vnarchive {
namespace cli {
namespace {

using google::protobuf::util::TimeUtil;

// The request both modes answer: the service over gRPC, or --db in-process.
v1::SearchRequest SearchRequestFor(const SearchCommand& command) {
  v1::SearchRequest request;
  request.set_query(command.query);
  request.set_page_size(command.limit);
  request.set_offset(command.offset);
  if (command.sort == "date") request.set_sort(v1::DATE_DESC);
  if (command.sort == "date-asc") request.set_sort(v1::DATE_ASC);
  if (command.sort == "relevance") request.set_sort(v1::RELEVANCE);
  for (const std::string& facet : command.facets) request.add_facets(facet);
  request.set_exact_facets(command.exact_facets);
  request.set_exact_total(command.exact_total);
  return request;
}

// Asks the search service; returns 0 with *response filled, or the exit code
// after printing the error.
int AskSearchService(const SearchCommand& command, const v1::SearchRequest& request,
                     v1::SearchResponse* response) {
  auto stub = v1::SearchService::NewStub(MakeChannel(command.addr));
  grpc::ClientContext context;
  SetDeadline(&context, 30);
  const grpc::Status status = stub->Search(&context, request, response);
  if (!status.ok()) return ReportRpcError("search", status, command.json);
  return 0;
}

// "PERSON", "ORG", ... as the proto names them.
std::string EntityTypeName(const v1::Entity& entity) {
  return v1::EntityType_Name(entity.type());
}

std::string SearchResponseJson(const v1::SearchResponse& response) {
  std::string out = absl::StrCat("{\"total\":", response.total(), ",\"total_estimated\":",
                                 response.total_estimated() ? "true" : "false", ",\"hits\":[");
  for (int i = 0; i < response.hits_size(); ++i) {
    const v1::SearchHit& hit = response.hits(i);
    absl::StrAppend(&out, i ? "," : "", "{\"doc_id\":", JsonString(hit.doc_id()),
                    ",\"name\":", JsonString(hit.name()), ",\"title\":", JsonString(hit.title()),
                    ",\"score\":", absl::StrFormat("%.6g", hit.score()),
                    ",\"snippet\":", JsonString(hit.snippet()));
    if (hit.has_published_at()) {
      absl::StrAppend(&out, ",\"published_at\":",
                      JsonString(TimeUtil::ToString(hit.published_at())));
    }
    out += ",\"entities\":[";
    for (int k = 0; k < hit.entities_size(); ++k) {
      const v1::Entity& entity = hit.entities(k);
      absl::StrAppend(&out, k ? "," : "", "{\"type\":", JsonString(EntityTypeName(entity)),
                      ",\"canonical\":", JsonString(entity.canonical()),
                      ",\"surface\":", JsonString(entity.surface()), "}");
    }
    out += "]}";
  }
  out += "],\"facets\":[";
  for (int f = 0; f < response.facets_size(); ++f) {
    const v1::Facet& facet = response.facets(f);
    absl::StrAppend(&out, f ? "," : "", "{\"field\":", JsonString(facet.field()),
                    ",\"values\":[");
    for (int v = 0; v < facet.values_size(); ++v) {
      absl::StrAppend(&out, v ? "," : "", "{\"value\":", JsonString(facet.values(v).value()),
                      ",\"count\":", facet.values(v).count(), "}");
    }
    out += "]}";
  }
  absl::StrAppend(&out, "],\"facet_sample\":", response.facet_sample(),
                  ",\"suggestion\":", JsonString(response.suggestion()), "}");
  return out;
}

// The hit's entities on one line, people and bodies first: what the
// document is about at a glance. At most `max` of them.
std::string EntitiesLine(const v1::SearchHit& hit, int max) {
  std::vector<std::string> parts;
  for (v1::EntityType type : {v1::PERSON, v1::ORG, v1::LOC, v1::DOC_REF}) {
    for (const v1::Entity& entity : hit.entities()) {
      if (entity.type() != type || static_cast<int>(parts.size()) >= max) continue;
      parts.push_back(absl::StrCat(entity.canonical(), " (", EntityTypeName(entity), ")"));
    }
  }
  return absl::StrJoin(parts, "; ");
}

}  // namespace

int RunSearch(const SearchCommand& command) {
  const v1::SearchRequest request = SearchRequestFor(command);
  v1::SearchResponse response;
  const int failed = command.db.empty() ? AskSearchService(command, request, &response)
                                        : SearchArchive(command, request, &response);
  if (failed != 0) return failed;

  if (command.json) {
    std::cout << SearchResponseJson(response) << "\n";
    return 0;
  }
  std::cout << (response.total_estimated() ? "about " : "") << response.total()
            << (response.total() == 1 ? " result" : " results") << " for " << command.query
            << (response.total_estimated() ? " (--exact-total counts them all)" : "") << "\n";
  if (!response.suggestion().empty()) {
    std::cout << "did you mean: " << response.suggestion() << "\n";
  }
  for (int i = 0; i < response.hits_size(); ++i) {
    const v1::SearchHit& hit = response.hits(i);
    std::string date;
    if (hit.has_published_at()) {
      // Shown in Vietnam time (UTC+7), as the dateline was written.
      date = absl::FormatTime("%Y-%m-%d %H:%M (UTC+7), ",
                              absl::FromUnixSeconds(hit.published_at().seconds()),
                              absl::FixedTimeZone(7 * 3600));
    }
    std::cout << "\n" << command.offset + i + 1 << ". "
              << (hit.name().empty() ? hit.doc_id() : hit.name())
              << absl::StrFormat("  (%sscore %.3f, id %s)", date, hit.score(), hit.doc_id())
              << "\n";
    if (!hit.title().empty()) std::cout << "   " << hit.title() << "\n";
    if (!hit.snippet().empty()) std::cout << "   " << hit.snippet() << "\n";
    const std::string entities = EntitiesLine(hit, 6);
    if (!entities.empty()) std::cout << "   " << entities << "\n";
  }
  // Estimated counts are shown as such: "~" before each, and how many of
  // the matches they were counted over.
  const bool estimated =
      response.facets_size() > 0 && response.facet_sample() < response.total();
  for (const v1::Facet& facet : response.facets()) {
    std::vector<std::string> values;
    for (const v1::FacetValue& value : facet.values()) {
      values.push_back(absl::StrCat(value.value(), estimated ? " ~" : " ", value.count()));
    }
    std::cout << "\n" << facet.field() << ": " << (values.empty() ? "-" : absl::StrJoin(values, ", "))
              << "\n";
  }
  if (estimated) {
    std::cout << "\nfacets estimated from " << response.facet_sample() << " of "
              << response.total() << " matches (--exact-facets counts all)\n";
  }
  return 0;
}

int RunGet(const GetCommand& command) {
  auto stub = v1::SearchService::NewStub(MakeChannel(command.addr));
  v1::GetDocumentRequest request;
  request.set_doc_id(command.doc_id);
  grpc::ClientContext context;
  SetDeadline(&context, 30);
  v1::GetDocumentResponse response;
  const grpc::Status status = stub->GetDocument(&context, request, &response);
  if (!status.ok()) return ReportRpcError("get", status, command.json);
  if (command.json) {
    std::cout << ToJson(response) << "\n";
    return 0;
  }
  const v1::Document& doc = response.document();
  std::cout << "doc_id:   " << doc.doc_id() << "\n";
  if (!doc.name().empty()) std::cout << "name:     " << doc.name() << "\n";
  if (!doc.title().empty()) std::cout << "title:    " << doc.title() << "\n";
  if (!doc.source().empty()) std::cout << "source:   " << doc.source() << "\n";
  if (!doc.url().empty()) std::cout << "url:      " << doc.url() << "\n";
  if (doc.has_published_at()) {
    std::cout << "published: " << TimeUtil::ToString(doc.published_at()) << "\n";
  }
  std::cout << "hash:     " << doc.content_hash() << "\n";
  if (response.has_indexed_at()) {
    std::cout << "indexed:  " << TimeUtil::ToString(response.indexed_at()) << "\n";
  }
  std::cout << "entities: " << doc.entities_size() << "\n";
  for (const v1::Entity& entity : doc.entities()) {
    std::cout << "  " << v1::EntityType_Name(entity.type()) << "  " << entity.canonical();
    if (entity.surface() != entity.canonical()) std::cout << "  (" << entity.surface() << ")";
    std::cout << "\n";
  }
  std::cout << "\n" << doc.text() << "\n";
  return 0;
}

int RunStatus(const StatusCommand& command) {
  auto stub = v1::IngestService::NewStub(MakeChannel(command.addr));
  v1::GetStatusRequest request;
  request.set_doc_id(command.doc_id);
  grpc::ClientContext context;
  SetDeadline(&context, 30);
  v1::GetStatusResponse response;
  const grpc::Status status = stub->GetStatus(&context, request, &response);
  if (!status.ok()) return ReportRpcError("status", status, command.json);
  if (command.json) {
    std::cout << ToJson(response) << "\n";
  } else {
    std::cout << response.doc_id() << ": " << v1::GetStatusResponse::Stage_Name(response.stage())
              << " at " << TimeUtil::ToString(response.updated_at());
    if (!response.error().empty()) std::cout << ": " << response.error();
    std::cout << "\n";
  }
  return response.stage() == v1::GetStatusResponse::FAILED ? 1 : 0;
}

int RunHealth(const HealthCommand& command) {
  using grpc::health::v1::HealthCheckResponse;
  auto stub = grpc::health::v1::Health::NewStub(MakeChannel(command.addr));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(command.service);
  grpc::ClientContext context;
  SetDeadline(&context, 5);
  HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return ReportRpcError("health", status, command.json);
  const std::string name = HealthCheckResponse::ServingStatus_Name(response.status());
  if (command.json) {
    std::cout << "{\"status\":" << JsonString(name) << "}\n";
  } else {
    std::cout << command.addr << ": " << name << "\n";
  }
  return response.status() == HealthCheckResponse::SERVING ? 0 : 1;
}

int RunReflect(const ReflectCommand& command) {
  namespace reflection = grpc::reflection::v1alpha;
  auto stub = reflection::ServerReflection::NewStub(MakeChannel(command.addr));
  grpc::ClientContext context;
  SetDeadline(&context, 10);
  auto stream = stub->ServerReflectionInfo(&context);

  reflection::ServerReflectionRequest list;
  list.set_list_services("");
  reflection::ServerReflectionResponse response;
  if (!stream->Write(list) || !stream->Read(&response) ||
      !response.has_list_services_response()) {
    stream->WritesDone();
    return ReportRpcError("reflect", stream->Finish(), command.json);
  }
  std::string json = "{\"services\":[";
  bool all_described = true;
  int index = 0;
  for (const auto& service : response.list_services_response().service()) {
    // Describe each service: this is what grpcurl needs to call it.
    reflection::ServerReflectionRequest describe;
    describe.set_file_containing_symbol(service.name());
    reflection::ServerReflectionResponse described;
    std::vector<std::string> methods;
    bool found = false;
    if (stream->Write(describe) && stream->Read(&described) &&
        described.has_file_descriptor_response()) {
      for (const std::string& bytes : described.file_descriptor_response().file_descriptor_proto()) {
        google::protobuf::FileDescriptorProto file;
        if (!file.ParseFromString(bytes)) continue;
        for (const auto& s : file.service()) {
          if (absl::StrCat(file.package(), ".", s.name()) != service.name()) continue;
          found = true;
          for (const auto& m : s.method()) methods.push_back(m.name());
        }
      }
    }
    all_described = all_described && found;
    if (command.json) {
      absl::StrAppend(&json, index++ ? "," : "", "{\"name\":", JsonString(service.name()),
                      ",\"described\":", found ? "true" : "false", ",\"methods\":[");
      for (size_t i = 0; i < methods.size(); ++i) {
        absl::StrAppend(&json, i ? "," : "", JsonString(methods[i]));
      }
      json += "]}";
    } else {
      std::cout << service.name();
      if (found) {
        std::cout << "  (" << absl::StrJoin(methods, ", ") << ")\n";
      } else {
        std::cout << "  (cannot be described)\n";
      }
    }
  }
  stream->WritesDone();
  (void)stream->Finish();
  if (command.json) std::cout << json << "]}\n";
  return all_described ? 0 : 1;
}

}  // namespace cli
}  // namespace vnarchive
