// Fuzz target: the operator's signed denylist (verify/denylist.h). The first byte picks: 0 the
// input is a whole file, checked against a fixed operator key (the signature line parser and
// verification); 1 the input is the text before the signature line, which this target signs with
// the operator key first, so the fuzzer reaches the line parser behind the signature.
// Invariant: a list that parses is written back (SignToText) to a file that parses to the same
// entries.
#include "fuzz/fuzz_util.h"
#include "util/encoding.h"
#include "verify/denylist.h"
#include "wire/test_samples.h"

using namespace depin;

namespace {

const crypto::KeyPair& OperatorKey() {
  static const crypto::KeyPair key = wire::testing::KeyFromFill(0x07);
  return key;
}

// The file text for `body` signed by the operator for fuzz::kNetwork, as Denylist::SignToText
// signs. Init checks that this agrees with SignToText, so a change of the signing domain fails
// this target at once instead of silently leaving the line parser unreached.
std::string SignBody(std::string_view body) {
  const crypto::Signature sig =
      OperatorKey().Sign(verify::Denylist::SigningBytes(fuzz::kNetwork, body));
  return std::string(body) + "signature " + util::HexEncode(sig) + "\n";
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::InitOnce();
  const std::string text = verify::Denylist(3, {}, {}).SignToText(fuzz::kNetwork, OperatorKey());
  const std::string body = text.substr(0, text.rfind("signature "));
  fuzz::Check(SignBody(body) == text, "denylist: this target signs differently from SignToText");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view input = fuzz::Text(data + 1, size - 1);
  const crypto::PublicKey& operator_key = OperatorKey().public_key();
  auto list = (data[0] & 1)
                  ? verify::Denylist::ParseSigned(SignBody(input), fuzz::kNetwork, operator_key)
                  : verify::Denylist::ParseSigned(input, fuzz::kNetwork, operator_key);
  if (!list.ok()) return 0;
  auto again = verify::Denylist::ParseSigned(list->SignToText(fuzz::kNetwork, OperatorKey()),
                                             fuzz::kNetwork, operator_key);
  fuzz::Check(again.ok(), "denylist: written text does not parse");
  fuzz::Check(again->version() == list->version() && again->devices() == list->devices() &&
                  again->edges() == list->edges(),
              "denylist: entries changed through text");
  return 0;
}
