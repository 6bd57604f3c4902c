// JSON error responses: every error the API returns has the same shape,
//   {"error":{"code":"not_found","message":"no route for GET /v1/nope"}}
// where `code` is a stable machine-readable name (util::CodeName for Status errors) and `message`
// says what and where for a human. docs/api.md lists the codes. Thread-safe (pure functions).
#pragma once

#include <string_view>

#include "http/types.h"
#include "util/status.h"

namespace depin::http {

// A response with HTTP status `http_status` and the JSON error body.
Response JsonError(int http_status, std::string_view code, std::string_view message);

// The HTTP status for a Status code: the one table in util/status.h.
using util::HttpStatusFor;

// JsonError(HttpStatusFor(status.code()), CodeName(status.code()), status.message()), except that
// the node's own failures (io_error, internal) answer a generic message and log the status: their
// messages name files and other internals, which clients must not see.
Response JsonError(const util::Status& status);

}  // namespace depin::http
