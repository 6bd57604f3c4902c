// Byte buffers and fixed-width little-endian encoding.
//
// ByteWriter appends; ByteReader consumes and reports truncation as a Status instead of reading
// past the end, so decoders of untrusted input stay total. Neither is thread-safe; use one per
// thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace depin::util {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view AsChars(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

class ByteWriter {
 public:
  explicit ByteWriter(Bytes* out) : out_(out) {}
  void U8(uint8_t v) { out_->push_back(v); }
  void U16(uint16_t v) { Fixed(v, 2); }
  void U32(uint32_t v) { Fixed(v, 4); }
  void U64(uint64_t v) { Fixed(v, 8); }
  void I32(int32_t v) { Fixed(static_cast<uint32_t>(v), 4); }
  void I64(int64_t v) { Fixed(static_cast<uint64_t>(v), 8); }
  void Raw(ByteView b) { out_->insert(out_->end(), b.begin(), b.end()); }
  void Raw(std::string_view s) { Raw(AsBytes(s)); }
  // u32 little-endian length, then the bytes.
  void LengthPrefixed(ByteView b) {
    U32(static_cast<uint32_t>(b.size()));
    Raw(b);
  }

 private:
  void Fixed(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_->push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  Bytes* out_;
};

class ByteReader {
 public:
  explicit ByteReader(ByteView in) : in_(in) {}
  size_t remaining() const { return in_.size() - pos_; }
  size_t position() const { return pos_; }
  Result<uint8_t> U8() { return Fixed<uint8_t>(1); }
  Result<uint16_t> U16() { return Fixed<uint16_t>(2); }
  Result<uint32_t> U32() { return Fixed<uint32_t>(4); }
  Result<uint64_t> U64() { return Fixed<uint64_t>(8); }
  Result<ByteView> Raw(size_t n) {
    if (remaining() < n) return Truncated(n);
    ByteView out = in_.subspan(pos_, n);
    pos_ += n;
    return out;
  }

 private:
  template <typename T>
  Result<T> Fixed(size_t n) {
    if (remaining() < n) return Truncated(n);
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(in_[pos_ + i]) << (8 * i);
    pos_ += n;
    return static_cast<T>(v);
  }
  Status Truncated(size_t wanted) const;
  ByteView in_;
  size_t pos_ = 0;
};

}  // namespace depin::util
