// Router: maps (method, path) to an asynchronous Handler.
//
// Patterns are split on '/': a literal segment matches itself, "{name}" matches any one non-empty
// segment (available as request.Param("name")), and a final "*" matches the rest of the path
// (request.Param("*")), e.g. "/v1/health", "/v1/devices/{key}", "/assets/*". When several routes
// match, the most specific wins (more literal segments first, then no wildcard). A path that
// matches no route gets 404, a path that matches only with other methods gets 405 with an Allow
// header; both are JSON errors. The route pattern is also the metrics label, so label
// cardinality stays bounded whatever clients send.
//
// Thread-safety: add every route before the server starts; afterwards Find/Dispatch are const and
// may be called from any number of threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/types.h"

namespace depin::http {

class Router {
 public:
  struct Match {
    const Handler* handler = nullptr;  // null: see `status`
    int status = 200;                  // 404 or 405 when handler is null
    std::string route;                 // the pattern, e.g. "/v1/devices/{key}"
    std::map<std::string, std::string, std::less<>> params;
    std::string allow;  // for 405: the methods that would match, e.g. "GET, POST"
  };

  // Adds a route; a second route with the same method and pattern is a programmer error (aborts).
  void Add(std::string method, std::string pattern, Handler handler);
  void Get(std::string pattern, Handler handler) {
    Add("GET", std::move(pattern), std::move(handler));
  }
  void Post(std::string pattern, Handler handler) {
    Add("POST", std::move(pattern), std::move(handler));
  }

  Match Find(std::string_view method, std::string_view path) const;

  // Every route as "METHOD pattern", in the order added (docs/openapi.yaml must name each one:
  // OpenApiContractTest).
  std::vector<std::string> Routes() const;

  // Finds the route for `request`, fills request.route and request.params, and calls its
  // handler; or answers 404/405 through `respond`. Exceptions from handlers are the caller's.
  void Dispatch(Request& request, Responder respond) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    bool wildcard = false;
    int literals = 0;
    Handler handler;
  };
  static bool MatchPath(const Route& route, const std::vector<std::string_view>& parts,
                        std::map<std::string, std::string, std::less<>>* params);

  std::vector<Route> routes_;
};

}  // namespace depin::http
