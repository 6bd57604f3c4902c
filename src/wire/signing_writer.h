// SigningWriter: builds canonical signing bytes and validates the fields it writes in one pass.
//
// Layout rules (docs/wire-format.md, "Signing bytes"): the signing domain (domain.h: tag, 0x00,
// length-prefixed network id), then fields in a fixed order; integers fixed-width little-endian;
// fixed-size byte fields (keys, hashes, signatures) raw; variable byte strings as u32 length +
// bytes; lists as u32 count + items; optional values as u8 0 (absent) or u8 1 followed by the
// value.
//
// Each write that can fail (wrong size, over a limit, out of range) records the first error with
// the field's path, e.g. "report.device_key: 31 bytes, want 32"; later writes become no-ops and
// Finish() returns that error. So "validate" and "encode" are the same code and cannot disagree.
// Internal to depin_wire. Not thread-safe; one writer per message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/bytes.h"
#include "util/result.h"
#include "wire/domain.h"

namespace depin::wire::internal {

class SigningWriter {
 public:
  // Opens the bytes with domain(kind, network_id); an invalid network id is the first error,
  // reported as "<network_field>: ...".
  SigningWriter(SigningKind kind, std::string_view network_id,
                std::string_view network_field = "network_id");

  void U8(uint8_t v) { w_.U8(v); }
  void U32(uint32_t v) { w_.U32(v); }
  void U64(uint64_t v) { w_.U64(v); }
  void I32(int32_t v) { w_.I32(v); }
  void I64(int64_t v) { w_.I64(v); }
  // Exactly `size` bytes, written without a length.
  void Fixed(std::string_view field, const std::string& value, size_t size);
  // Empty (u8 0) or exactly `size` bytes (u8 1, bytes).
  void OptionalFixed(std::string_view field, const std::string& value, size_t size);
  // u32 length then bytes; length must be in [min_size, max_size].
  void Variable(std::string_view field, const std::string& value, size_t min_size, size_t max_size);
  // A list of `size`-byte items: u32 count, then each item raw; count <= max_count.
  template <typename List>
  void FixedList(std::string_view field, const List& items, size_t size, size_t max_count) {
    if (!Count(field, static_cast<size_t>(items.size()), 0, max_count)) return;
    for (const std::string& item : items) Fixed(field, item, size);
  }
  // Writes u32 `count` after checking it is in [min_count, max_count]; false on error.
  bool Count(std::string_view field, size_t count, size_t min_count, size_t max_count);
  // Records the error "<field>: <what>" unless an earlier one is recorded.
  void Fail(std::string_view field, std::string_view what);
  // The version field: must equal kWireVersion.
  void Version(std::string_view field, uint32_t version);

  bool ok() const { return status_.ok(); }
  util::Result<util::Bytes> Finish() &&;

 private:
  util::Bytes out_;
  util::ByteWriter w_{&out_};
  util::Status status_;
};

}  // namespace depin::wire::internal
