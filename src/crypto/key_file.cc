// Key file reading and writing. The format is line-oriented text so that an operator can see
// which public key a file holds without tools; see key_file.h.
#include "crypto/key_file.h"

#include <cstdio>
#include <string_view>
#include <vector>

#include <sodium.h>

#include "util/encoding.h"

namespace depin::crypto {
namespace {

constexpr std::string_view kHeader =
    "# OpenDePIN Ed25519 key. Anyone with this file can sign as this key.";
constexpr std::string_view kPublicPrefix = "public: ";
constexpr std::string_view kSeedPrefix = "seed: ";
// A key file is three short lines; anything much larger is not a key file.
constexpr uint64_t kMaxKeyFileSize = 4096;

std::string OctalMode(uint32_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%04o", mode & 07777u);
  return buf;
}

// Splits on '\n', dropping one trailing '\r' per line and a final empty line.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

// Wipes a buffer that held secret material when it goes out of scope.
struct Wipe {
  util::Bytes& bytes;
  ~Wipe() { sodium_memzero(bytes.data(), bytes.size()); }
};

}  // namespace

util::Status WriteKeyFile(util::Env* env, const std::string& path, const KeyPair& key) {
  if (env->FileExists(path)) {
    return util::Status::AlreadyExists(path + ": already exists; refusing to overwrite a key");
  }
  std::string text;
  text += kHeader;
  text += "\n";
  text += kPublicPrefix;
  text += key.public_key().ToBase58();
  text += "\n";
  text += kSeedPrefix;
  text += util::HexEncode(key.seed());
  text += "\n";
  // WriteFileAtomic writes through `path`.tmp, and open(2) keeps the mode of a file that already
  // exists: a stale, world-readable temporary left by a crash would leak the seed. Remove it.
  const std::string tmp = path + ".tmp";
  if (env->FileExists(tmp)) DEPIN_RETURN_IF_ERROR(env->RemoveFile(tmp));
  util::Status s = env->WriteFileAtomic(path, util::AsBytes(text), 0600);
  sodium_memzero(text.data(), text.size());
  DEPIN_RETURN_IF_ERROR(s);
  // Belt and braces: never leave a key file behind that ReadKeyFile would refuse.
  DEPIN_ASSIGN_OR_RETURN(uint32_t mode, env->GetFileMode(path));
  if ((mode & 077) != 0) {
    (void)env->RemoveFile(path);
    return util::Status::PermissionDenied(path + ": created with permissions " + OctalMode(mode) +
                                          " instead of 0600; removed it");
  }
  return util::Status::Ok();
}

util::Result<KeyPair> ReadKeyFile(util::Env* env, const std::string& path) {
  DEPIN_ASSIGN_OR_RETURN(uint32_t mode, env->GetFileMode(path));
  if ((mode & 077) != 0) {
    // Same rule as ssh: a secret key others can read (or replace) is not a secret key.
    return util::Status::PermissionDenied(path + ": permissions " + OctalMode(mode) +
                                          " are too open; run chmod 600 " + path);
  }
  DEPIN_ASSIGN_OR_RETURN(uint64_t size, env->GetFileSize(path));
  if (size > kMaxKeyFileSize) {
    return util::Status::InvalidArgument(path + ": " + std::to_string(size) +
                                         " bytes is too large for a key file");
  }
  DEPIN_ASSIGN_OR_RETURN(util::Bytes raw, env->ReadFile(path));
  Wipe wipe_raw{raw};

  std::string_view public_text;
  std::string_view seed_text;
  int line_no = 0;
  for (std::string_view line : SplitLines(util::AsChars(raw))) {
    ++line_no;
    std::string where = path + ":" + std::to_string(line_no) + ": ";
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with(kPublicPrefix)) {
      if (!public_text.empty()) return util::Status::InvalidArgument(where + "second public line");
      public_text = line.substr(kPublicPrefix.size());
      if (public_text.empty()) return util::Status::InvalidArgument(where + "empty public key");
    } else if (line.starts_with(kSeedPrefix)) {
      if (!seed_text.empty()) return util::Status::InvalidArgument(where + "second seed line");
      seed_text = line.substr(kSeedPrefix.size());
      if (seed_text.empty()) return util::Status::InvalidArgument(where + "empty seed");
    } else {
      return util::Status::InvalidArgument(where +
                                           "expected 'public: <base58>' or 'seed: <64 hex>'");
    }
  }
  if (seed_text.empty()) return util::Status::InvalidArgument(path + ": no seed line");
  if (public_text.empty()) return util::Status::InvalidArgument(path + ": no public line");

  util::Result<util::Bytes> seed = util::HexDecodeExact(seed_text, kSeedSize);
  if (!seed.ok()) {
    // The decoder's message names a position, never the secret itself.
    return seed.status().WithContext(path + ": seed");
  }
  util::Bytes seed_bytes = std::move(seed).value();
  Wipe wipe_seed{seed_bytes};
  util::Result<PublicKey> stated = PublicKey::FromBase58(public_text);
  if (!stated.ok()) return stated.status().WithContext(path + ": public");
  DEPIN_ASSIGN_OR_RETURN(KeyPair key, KeyPair::FromSeed(seed_bytes));
  if (key.public_key() != *stated) {
    return util::Status::InvalidArgument(path + ": public key " + stated->ToBase58() +
                                         " does not match the seed (which gives " +
                                         key.public_key().ToBase58() + ")");
  }
  return key;
}

}  // namespace depin::crypto
