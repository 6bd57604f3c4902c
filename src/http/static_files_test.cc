// StaticFiles: content types, caching headers, ETag revalidation, the "not built" page, and path
// traversal refused both in Serve and through the real HTTP server (raw and percent-encoded).
#include "http/static_files.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "http/server.h"
#include "http/test_http.h"
#include "util/temp_dir.h"

namespace depin::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

void Write(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const HttpHeader& h : r.headers) {
    if (h.name == name) return h.value;
  }
  return "";
}

std::string ErrorCode(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.contains("error")) return "<not a JSON error>";
  return j["error"]["code"].get<std::string>();
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dist_ = dir_.File("dashboard");
    Write(dist_ + "/index.html", "<!doctype html><title>dash</title>");
    Write(dist_ + "/assets/index-abc123.js", "console.log('hi')");
    Write(dist_ + "/assets/index-abc123.css", "body{}");
    Write(dir_.File("secret.txt"), "do not serve");  // beside the bundle, never reachable
  }
  util::TempDir dir_;
  std::string dist_;
};

TEST_F(StaticFilesTest, ServesIndexAndAssetsWithTypesAndCaching) {
  StaticFiles files = StaticFiles::Load(dist_);
  ASSERT_TRUE(files.available());
  EXPECT_EQ(files.file_count(), 3u);

  Response index = files.Serve("/", "");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.body, "<!doctype html><title>dash</title>");
  EXPECT_EQ(HeaderOf(index, "Cache-Control"), "no-cache");
  const std::string etag = HeaderOf(index, "ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(files.Serve("/index.html", "").body, index.body);

  Response again = files.Serve("/", etag);  // revalidation
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(files.Serve("/", "\"other\"").status, 200);

  Response js = files.Serve("/assets/index-abc123.js", "");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.body, "console.log('hi')");
  EXPECT_EQ(HeaderOf(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(js, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(files.Serve("/assets/index-abc123.css", "").content_type, "text/css; charset=utf-8");
}

TEST_F(StaticFilesTest, TraversalAndOddPathsAreRefused) {
  StaticFiles files = StaticFiles::Load(dist_);
  for (std::string path :
       {"/assets/../secret.txt", "/assets/../../secret.txt", "/assets/%2e%2e/secret.txt",
        "/assets/%2E%2E%2Fsecret.txt", "/assets/..%2fsecret.txt", "/assets/.%2e/secret.txt",
        "/assets/..\\secret.txt", "/assets//index-abc123.js", "/assets/./index-abc123.js",
        "/assets/"}) {
    Response r = files.Serve(path, "");
    EXPECT_EQ(r.status, 400) << path;
    EXPECT_EQ(ErrorCode(r.body), "invalid_argument") << path;
  }
  Response missing = files.Serve("/assets/nope.js", "");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(ErrorCode(missing.body), "not_found");
  EXPECT_EQ(files.Serve("/secret.txt", "").status, 404);
}

TEST(StaticFilesMissingTest, WithoutABuildRootExplainsHowToBuild) {
  util::TempDir dir;
  StaticFiles files = StaticFiles::Load(dir.File("no-such-dir"));
  EXPECT_FALSE(files.available());
  Response r = files.Serve("/", "");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("dashboard is not built"), std::string::npos);
  EXPECT_NE(r.body.find("scripts/build.sh"), std::string::npos);
  EXPECT_EQ(files.Serve("/assets/index.js", "").status, 404);
}

TEST_F(StaticFilesTest, OverHttpTraversalGetsJsonErrorsAndNeverTheFile) {
  Router router;
  StaticFiles::AddRoutes(StaticFiles::Load(dist_), &router);
  auto server = HttpServer::Start(HttpServerOptions{}, &router);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const uint16_t port = (*server)->port();

  auto index = testing::HttpGet(port, "/");
  EXPECT_EQ(index.result_int(), 200);
  EXPECT_EQ(index[http::field::content_type], "text/html; charset=utf-8");
  auto js = testing::HttpGet(port, "/assets/index-abc123.js");
  EXPECT_EQ(js.result_int(), 200);
  EXPECT_EQ(js[http::field::cache_control], "public, max-age=31536000, immutable");

  for (std::string target : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/../secret.txt",
                             "/assets/%2e%2e/secret.txt", "/assets/..%2Fsecret.txt",
                             "/assets/%2e%2e%2f%2e%2e%2fsecret.txt", "/..%2fsecret.txt"}) {
    auto res = testing::HttpGet(port, target);
    EXPECT_TRUE(res.result_int() == 400 || res.result_int() == 404)
        << target << " -> " << res.result_int();
    EXPECT_EQ(res.body().find("do not serve"), std::string::npos) << target;
    EXPECT_NE(ErrorCode(res.body()), "<not a JSON error>") << target;
  }
  (*server)->Stop();
}

TEST(StaticFilesContentTypeTest, KnownAndUnknownExtensions) {
  EXPECT_EQ(ContentTypeFor("a.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("a.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("a.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("a.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace depin::http
