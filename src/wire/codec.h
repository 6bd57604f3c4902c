// Protobuf serialization helpers shared by the wire decoders: deterministic serialization, and
// parsing of untrusted bytes with the size limit checked before the parser runs. Pure functions;
// thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include <google/protobuf/message.h>

#include "util/bytes.h"
#include "util/status.h"

namespace depin::wire {

// Deterministic protobuf serialization (what devices send and logs store).
util::Bytes Serialize(const google::protobuf::Message& message);

// Parses `bytes` into `message` if bytes.size() <= max_size, then drops unknown fields (they are
// not covered by any signature). `what` names the message in errors, e.g.
// "SignedReport: 20000 bytes, max 16384" or "SignedReport: malformed protobuf (12 bytes)".
util::Status ParseLimited(util::ByteView bytes, size_t max_size, std::string_view what,
                          google::protobuf::Message* message);

}  // namespace depin::wire
