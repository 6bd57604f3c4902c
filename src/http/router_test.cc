#include "http/router.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/json_error.h"

namespace depin::http {
namespace {

Handler Named(std::string name) {
  return [name](const Request&, Responder respond) { respond(Response::Json(200, name)); };
}

// Dispatches and returns the response that was sent.
Response Dispatch(const Router& router, std::string method, std::string path,
                  Request* out = nullptr) {
  Request req;
  req.method = std::move(method);
  req.path = std::move(path);
  Response got;
  router.Dispatch(req, Responder([&got](Response r) { got = std::move(r); }));
  if (out) *out = req;
  return got;
}

TEST(RouterTest, ExactParamsAndWildcard) {
  Router router;
  router.Get("/v1/health", Named("health"));
  router.Get("/v1/devices/{key}", Named("device"));
  router.Get("/v1/devices/{key}/rewards/{epoch}", Named("rewards"));
  router.Get("/assets/*", Named("assets"));
  Request req;
  EXPECT_EQ(Dispatch(router, "GET", "/v1/health").body, "health");
  EXPECT_EQ(Dispatch(router, "GET", "/v1/devices/abc", &req).body, "device");
  EXPECT_EQ(req.route, "/v1/devices/{key}");
  EXPECT_EQ(req.Param("key"), "abc");
  EXPECT_EQ(Dispatch(router, "GET", "/v1/devices/abc/rewards/7", &req).body, "rewards");
  EXPECT_EQ(req.Param("epoch"), "7");
  EXPECT_EQ(Dispatch(router, "GET", "/assets/js/app.js", &req).body, "assets");
  EXPECT_EQ(req.Param("*"), "js/app.js");
  EXPECT_EQ(Dispatch(router, "GET", "/v1/devices/").status, 404);  // empty parameter
  EXPECT_EQ(Dispatch(router, "GET", "/v1/health/").status, 404);   // no silent trailing slash
  EXPECT_EQ(Dispatch(router, "GET", "/v1").status, 404);
}

TEST(RouterTest, MostSpecificRouteWins) {
  Router router;
  router.Get("/v1/devices/{key}", Named("param"));
  router.Get("/v1/devices/count", Named("literal"));
  router.Get("/v1/*", Named("wildcard"));
  EXPECT_EQ(Dispatch(router, "GET", "/v1/devices/count").body, "literal");
  EXPECT_EQ(Dispatch(router, "GET", "/v1/devices/x").body, "param");
  EXPECT_EQ(Dispatch(router, "GET", "/v1/other/thing").body, "wildcard");
}

TEST(RouterTest, NotFoundAndMethodNotAllowedAreJsonErrors) {
  Router router;
  router.Get("/v1/reports", Named("list"));
  router.Post("/v1/reports", Named("submit"));
  router.Get("/v1/health", Named("health"));
  Response r = Dispatch(router, "GET", "/v1/nothing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(nlohmann::json::parse(r.body),
            (nlohmann::json{
                {"error", {{"code", "not_found"}, {"message", "no route for GET /v1/nothing"}}}}));
  r = Dispatch(router, "DELETE", "/v1/reports");
  EXPECT_EQ(r.status, 405);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].name, "Allow");
  EXPECT_EQ(r.headers[0].value, "GET, POST");
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], "method_not_allowed");
}

TEST(RouterDeathTest, DuplicateRouteAborts) {
  Router router;
  router.Get("/x", Named("a"));
  EXPECT_DEATH(router.Get("/x", Named("b")), "duplicate route");
}

TEST(ResponderTest, OnlyFirstResponseCountsAndDropIs500) {
  std::vector<int> sent;
  {
    Responder respond([&sent](Response r) { sent.push_back(r.status); });
    Responder copy = respond;
    EXPECT_TRUE(respond(Response::Json(201, "{}")));
    EXPECT_FALSE(copy(Response::Json(200, "{}")));
  }
  EXPECT_EQ(sent, std::vector<int>{201});
  {
    Responder dropped([&sent](Response r) { sent.push_back(r.status); });
  }
  EXPECT_EQ(sent, (std::vector<int>{201, 500}));
}

TEST(JsonErrorTest, StatusMapsToHttpCodeAndName) {
  Response r = JsonError(util::Status::ResourceExhausted("rate limit: 10 reports/s"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(
      nlohmann::json::parse(r.body),
      (nlohmann::json{
          {"error", {{"code", "resource_exhausted"}, {"message", "rate limit: 10 reports/s"}}}}));
  EXPECT_EQ(HttpStatusFor(util::Code::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(util::Code::kInvalidArgument), 400);
  EXPECT_EQ(JsonError(400, "bad", "\xff invalid utf8").status, 400);  // does not throw
}

}  // namespace
}  // namespace depin::http
