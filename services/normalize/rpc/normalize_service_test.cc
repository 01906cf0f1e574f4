#include "services/normalize/rpc/normalize_service.h"

#include <string>

#include "gtest/gtest.h"
#include "services/normalize/core/decode.h"

namespace vnarchive {
namespace normalize {
namespace {

grpc::Status Call(NormalizeServiceImpl& service, const v1::NormalizeRequest& request,
                  v1::NormalizeResponse* response) {
  grpc::ServerContext context;
  return service.Normalize(&context, &request, response);
}

TEST(NormalizeServiceTest, TextAndRawTogetherAreInvalidArgument) {
  NormalizeServiceImpl service({});
  v1::NormalizeRequest request;
  request.set_text("Hội nghị");
  request.set_raw("Hội nghị");
  v1::NormalizeResponse response;
  EXPECT_EQ(Call(service, request, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST(NormalizeServiceTest, EncodingWithoutRawIsInvalidArgument) {
  NormalizeServiceImpl service({});
  v1::NormalizeRequest request;
  request.set_text("Hội nghị");
  request.set_encoding("tcvn3");
  v1::NormalizeResponse response;
  EXPECT_EQ(Call(service, request, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST(NormalizeServiceTest, UnknownEncodingIsInvalidArgument) {
  NormalizeServiceImpl service({});
  v1::NormalizeRequest request;
  request.set_raw("abc");
  request.set_encoding("koi8-r");
  v1::NormalizeResponse response;
  EXPECT_EQ(Call(service, request, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST(NormalizeServiceTest, DecodesRawBytesAndReportsTheEncoding) {
  NormalizeServiceImpl service({});
  auto bytes = Encode("Hoà bình và phát triển thuỷ lợi", Encoding::kVni);
  ASSERT_TRUE(bytes.ok());
  v1::NormalizeRequest request;
  request.set_raw(*bytes);
  request.set_encoding("vni");
  v1::NormalizeResponse response;
  ASSERT_TRUE(Call(service, request, &response).ok());
  EXPECT_EQ(response.text(), "Hòa bình và phát triển thủy lợi");
  EXPECT_EQ(response.encoding(), "vni");
  EXPECT_EQ(response.counts().tones_moved(), 2u);
}

TEST(NormalizeServiceTest, RequestStyleOverridesTheDefault) {
  NormalizeServiceImpl service({});
  v1::NormalizeRequest request;
  request.set_text("Hòa bình, thủy lợi");
  request.set_tone_style(v1::MODERN);
  request.set_include_tokens(true);
  v1::NormalizeResponse response;
  ASSERT_TRUE(Call(service, request, &response).ok());
  EXPECT_EQ(response.text(), "Hoà bình, thuỷ lợi");
  ASSERT_EQ(response.tokens_size(), 4);
  EXPECT_EQ(response.tokens(0).folded(), "hoa");
  EXPECT_EQ(response.tokens(0).span().end(), std::string("Hoà").size());
}

TEST(NormalizeDocumentTest, NormalisesTitleAndBody) {
  const Normalizer normalizer;
  v1::Document document;
  document.set_title("Mô hình “Dân vận khéo”  ở  Bảo Lộc");
  document.set_text("Đoạn một.\r\n\r\nĐoạn hai.\r\nĐoạn một.");
  ASSERT_TRUE(NormalizeDocument(normalizer, document).ok());
  EXPECT_EQ(document.title(), "Mô hình \"Dân vận khéo\" ở Bảo Lộc");
  EXPECT_EQ(document.text(), "Đoạn một.\n\nĐoạn hai.");
  EXPECT_EQ(document.paragraphs_size(), 2);
}

}  // namespace
}  // namespace normalize
}  // namespace vnarchive
