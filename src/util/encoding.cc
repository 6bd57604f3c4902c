#include "util/encoding.h"

#include <array>

namespace depin::util {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kBase58Alphabet =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::array<int16_t, 256> Base58Index() {
  std::array<int16_t, 256> index{};
  index.fill(-1);
  for (size_t i = 0; i < kBase58Alphabet.size(); ++i) {
    index[static_cast<uint8_t>(kBase58Alphabet[i])] = static_cast<int16_t>(i);
  }
  return index;
}

}  // namespace

std::string HexEncode(ByteView data) {
  std::string out;
  out.reserve(data.size() * 2);
  for (uint8_t b : data) {
    out.push_back(kHexDigits[b >> 4]);
    out.push_back(kHexDigits[b & 0xf]);
  }
  return out;
}

Result<Bytes> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return Status::InvalidArgument("hex: odd length " + std::to_string(text.size()));
  }
  Bytes out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = HexValue(text[2 * i]);
    int lo = HexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      size_t bad = hi < 0 ? 2 * i : 2 * i + 1;
      return Status::InvalidArgument("hex: invalid character at position " + std::to_string(bad));
    }
    out[i] = static_cast<uint8_t>((hi << 4) | lo);
  }
  return out;
}

Result<Bytes> HexDecodeExact(std::string_view text, size_t size) {
  DEPIN_ASSIGN_OR_RETURN(Bytes out, HexDecode(text));
  if (out.size() != size) {
    return Status::InvalidArgument("hex: expected " + std::to_string(size) + " bytes, got " +
                                   std::to_string(out.size()));
  }
  return out;
}

std::string Base58Encode(ByteView data) {
  size_t zeros = 0;
  while (zeros < data.size() && data[zeros] == 0) ++zeros;
  // log(256)/log(58) < 1.37, so this many base-58 digits always suffice.
  std::vector<uint8_t> digits((data.size() - zeros) * 138 / 100 + 1, 0);
  size_t length = 0;
  for (size_t i = zeros; i < data.size(); ++i) {
    int carry = data[i];
    size_t j = 0;
    for (auto it = digits.rbegin(); (carry != 0 || j < length) && it != digits.rend(); ++it, ++j) {
      carry += 256 * (*it);
      *it = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    length = j;
  }
  auto it = digits.begin() + static_cast<std::ptrdiff_t>(digits.size() - length);
  std::string out(zeros, '1');
  for (; it != digits.end(); ++it) out.push_back(kBase58Alphabet[*it]);
  return out;
}

Result<Bytes> Base58Decode(std::string_view text) {
  static const std::array<int16_t, 256> kIndex = Base58Index();
  size_t ones = 0;
  while (ones < text.size() && text[ones] == '1') ++ones;
  // log(58)/log(256) < 0.733.
  std::vector<uint8_t> bytes((text.size() - ones) * 733 / 1000 + 1, 0);
  size_t length = 0;
  for (size_t i = ones; i < text.size(); ++i) {
    int carry = kIndex[static_cast<uint8_t>(text[i])];
    if (carry < 0) {
      return Status::InvalidArgument("base58: invalid character at position " + std::to_string(i));
    }
    size_t j = 0;
    for (auto it = bytes.rbegin(); (carry != 0 || j < length) && it != bytes.rend(); ++it, ++j) {
      carry += 58 * (*it);
      *it = static_cast<uint8_t>(carry % 256);
      carry /= 256;
    }
    length = j;
  }
  Bytes out(ones, 0);
  out.insert(out.end(), bytes.end() - static_cast<std::ptrdiff_t>(length), bytes.end());
  return out;
}

}  // namespace depin::util
