// Fuzz target: the reward manifest reader (ManifestFromJson), which `depin rewards explain` and
// `recompute` run on files a node serves or an operator copies around. Invariant: a manifest
// that parses is written back canonically, and that text parses to the same canonical text (and
// the same hash); the one-device reader accepts whatever the full reader accepts.
#include "fuzz/fuzz_util.h"
#include "rewards/manifest_json.h"

using namespace depin;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::InitOnce();
  const std::string_view text = fuzz::Text(data, size);
  auto manifest = rewards::ManifestFromJson(text);
  if (!manifest.ok()) return 0;
  const std::string canonical = rewards::ManifestToJson(*manifest);
  auto again = rewards::ManifestFromJson(canonical);
  fuzz::Check(again.ok(), "manifest: canonical text does not parse");
  fuzz::Check(rewards::ManifestToJson(*again) == canonical, "manifest: canonical text changed");
  fuzz::Check(rewards::ManifestHash(*again) == rewards::ManifestHash(*manifest), "manifest: hash");
  const crypto::PublicKey device =
      manifest->devices.empty() ? crypto::PublicKey{} : manifest->devices.front().device;
  fuzz::Check(rewards::ManifestFromJsonForDevice(text, device).ok(),
              "manifest: one-device reader rejects what the full reader accepts");
  return 0;
}
