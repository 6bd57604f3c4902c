// Status: the outcome of an operation that can fail for reasons outside the program's control
// (bad input, I/O, a peer). Errors from untrusted input are values, never exceptions or asserts.
//
// A Status is either OK or carries a Code and a one-line message that says what and where, e.g.
//   Status::InvalidArgument("network.toml:14: rewards.pools: shares sum to 1.05, must be 1.00")
// OK statuses allocate nothing. Status is a value type; distinct objects may be used from distinct
// threads without synchronization.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace depin::util {

enum class Code : unsigned char {
  kOk = 0,
  kInvalidArgument,     // malformed or out-of-range input
  kNotFound,            // the named thing does not exist
  kAlreadyExists,       // would overwrite something that must not be overwritten
  kPermissionDenied,    // the caller (or a file's mode) is not allowed to do this
  kUnauthenticated,     // a signature or credential did not verify
  kFailedPrecondition,  // the system is not in a state where this can be done
  kOutOfRange,          // past the end, or outside a window
  kResourceExhausted,   // a queue, quota or rate limit is full: retry later
  kCorruption,          // stored data fails its checksum or framing
  kIOError,             // the operating system refused an I/O operation
  kUnavailable,         // a dependency (peer, server) cannot be reached now
  kInternal,            // a bug: an invariant did not hold
  kUnsupported,         // a format version or feature this build does not implement
};

// Returns a stable lower-case name for `code`, e.g. "invalid_argument"; used in logs, JSON errors
// and metric labels.
std::string_view CodeName(Code code);

// The HTTP status an API answers with when a request fails with `code` (400 for bad input, 401,
// 403, 404, 409, 429 for backpressure, 503, else 500). One table for every layer that serves HTTP.
int HttpStatusFor(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string_view message);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string_view m) { return {Code::kInvalidArgument, m}; }
  static Status NotFound(std::string_view m) { return {Code::kNotFound, m}; }
  static Status AlreadyExists(std::string_view m) { return {Code::kAlreadyExists, m}; }
  static Status PermissionDenied(std::string_view m) { return {Code::kPermissionDenied, m}; }
  static Status Unauthenticated(std::string_view m) { return {Code::kUnauthenticated, m}; }
  static Status FailedPrecondition(std::string_view m) { return {Code::kFailedPrecondition, m}; }
  static Status OutOfRange(std::string_view m) { return {Code::kOutOfRange, m}; }
  static Status ResourceExhausted(std::string_view m) { return {Code::kResourceExhausted, m}; }
  static Status Corruption(std::string_view m) { return {Code::kCorruption, m}; }
  static Status IOError(std::string_view m) { return {Code::kIOError, m}; }
  static Status Unavailable(std::string_view m) { return {Code::kUnavailable, m}; }
  static Status Internal(std::string_view m) { return {Code::kInternal, m}; }
  static Status Unsupported(std::string_view m) { return {Code::kUnsupported, m}; }

  bool ok() const { return rep_ == nullptr; }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  // The message without the code name; empty when OK.
  std::string_view message() const { return rep_ ? std::string_view(rep_->message) : ""; }
  // "ok", or "<code name>: <message>".
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context` and ": ", keeping the code.
  Status WithContext(std::string_view context) const;

 private:
  struct Rep {
    Code code;
    std::string message;
  };
  std::unique_ptr<Rep> rep_;
};

}  // namespace depin::util

// Propagates a non-OK Status to the caller.
#define DEPIN_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::depin::util::Status depin_status_ = (expr);  \
    if (!depin_status_.ok()) return depin_status_; \
  } while (false)
