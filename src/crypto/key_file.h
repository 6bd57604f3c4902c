// Key files: one Ed25519 key per file, text, written with mode 0600.
//
//   # OpenDePIN Ed25519 key. Anyone with this file can sign as this key.
//   public: <base58 public key>
//   seed: <64 hex chars>
//
// Reading refuses a file readable or writable by group or others (as ssh does), a file whose
// public line does not match its seed, and any malformed line, each with a one-line error that
// names the file. Thread-safe.
#pragma once

#include <string>

#include "crypto/ed25519.h"
#include "util/env.h"

namespace depin::crypto {

// Writes a new key file; AlreadyExists if `path` exists (keys are never silently overwritten).
util::Status WriteKeyFile(util::Env* env, const std::string& path, const KeyPair& key);
util::Result<KeyPair> ReadKeyFile(util::Env* env, const std::string& path);

}  // namespace depin::crypto
