// `depin keys new|show|sign|verify`: create key files, show their address, sign and verify
// messages. A message argument that starts with '@' names a file whose bytes are the message;
// with --hex the message (or the file's text) is hex-decoded first.
#include <cstdio>
#include <memory>
#include <string>

#include "cli.h"
#include "crypto/ed25519.h"
#include "crypto/key_file.h"
#include "util/encoding.h"
#include "util/env.h"

namespace depin::cli {
namespace {

struct KeysArgs {
  std::string key_file;
  std::string address;
  std::string message;
  std::string signature;
  bool hex = false;
};

// The message bytes named by `arg`: the text itself, or the contents of the file after '@'.
util::Result<util::Bytes> LoadMessage(const std::string& arg, bool hex) {
  util::Bytes raw;
  std::string what = "message";
  if (!arg.empty() && arg[0] == '@') {
    std::string path = arg.substr(1);
    if (path.empty())
      return util::Status::InvalidArgument("message: '@' must be followed by a file");
    DEPIN_ASSIGN_OR_RETURN(raw, util::Env::Default()->ReadFile(path));
    what = "message file " + path;
  } else {
    util::ByteView view = util::AsBytes(arg);
    raw.assign(view.begin(), view.end());
  }
  if (!hex) return raw;
  std::string_view text = util::AsChars(raw);
  // A hex file usually ends with a newline; it is not part of the message.
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  util::Result<util::Bytes> decoded = util::HexDecode(text);
  if (!decoded.ok()) return decoded.status().WithContext(what + " (--hex)");
  return decoded;
}

util::Status KeysNew(const KeysArgs& args) {
  util::Env* env = util::Env::Default();
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  std::string dir = util::DirName(args.key_file);
  if (dir != ".") DEPIN_RETURN_IF_ERROR(env->CreateDirs(dir));
  crypto::KeyPair key = crypto::KeyPair::Generate();
  DEPIN_RETURN_IF_ERROR(crypto::WriteKeyFile(env, args.key_file, key));
  std::printf("%s\n", key.public_key().ToBase58().c_str());
  return util::Status::Ok();
}

util::Status KeysShow(const KeysArgs& args) {
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair key,
                         crypto::ReadKeyFile(util::Env::Default(), args.key_file));
  std::printf("address: %s\nhex:     %s\n", key.public_key().ToBase58().c_str(),
              key.public_key().ToHex().c_str());
  return util::Status::Ok();
}

util::Status KeysSign(const KeysArgs& args) {
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair key,
                         crypto::ReadKeyFile(util::Env::Default(), args.key_file));
  DEPIN_ASSIGN_OR_RETURN(util::Bytes message, LoadMessage(args.message, args.hex));
  crypto::Signature sig = key.Sign(message);
  std::printf("%s\n", util::HexEncode(sig).c_str());
  return util::Status::Ok();
}

util::Status KeysVerify(const KeysArgs& args) {
  util::Result<crypto::PublicKey> key = crypto::PublicKey::FromBase58(args.address);
  if (!key.ok()) return key.status();
  util::Result<util::Bytes> sig_bytes =
      util::HexDecodeExact(args.signature, crypto::kSignatureSize);
  if (!sig_bytes.ok()) return sig_bytes.status().WithContext("signature");
  DEPIN_ASSIGN_OR_RETURN(crypto::Signature sig, crypto::SignatureFromBytes(*sig_bytes));
  DEPIN_ASSIGN_OR_RETURN(util::Bytes message, LoadMessage(args.message, args.hex));
  if (!crypto::Verify(*key, message, sig)) {
    return util::Status::Unauthenticated("invalid: the signature is not " + args.address +
                                         "'s signature of this " + std::to_string(message.size()) +
                                         "-byte message");
  }
  std::printf("valid\n");
  return util::Status::Ok();
}

}  // namespace

void RegisterKeysCommands(CLI::App& app, Selected& selected) {
  CLI::App* keys = app.add_subcommand("keys", "Create Ed25519 key files, sign and verify");
  keys->require_subcommand(1, 1);
  auto args = std::make_shared<KeysArgs>();

  CLI::App* create =
      AddCommand(*keys, selected, "new", "Create a key file (mode 0600); prints its address",
                 [args] { return [args] { return KeysNew(*args); }; });
  create->add_option("file", args->key_file, "Key file to create (never overwritten)")->required();

  CLI::App* show =
      AddCommand(*keys, selected, "show", "Print a key file's address and hex public key",
                 [args] { return [args] { return KeysShow(*args); }; });
  show->add_option("file", args->key_file, "Key file")->required();

  CLI::App* sign = AddCommand(*keys, selected, "sign", "Sign a message; prints the hex signature",
                              [args] { return [args] { return KeysSign(*args); }; });
  sign->add_option("file", args->key_file, "Key file")->required();
  sign->add_option("message", args->message, "The message, or @path to sign a file's bytes")
      ->required();
  sign->add_flag("--hex", args->hex, "The message is hex-encoded bytes");

  CLI::App* verify = AddCommand(*keys, selected, "verify",
                                "Check a signature; exit 0 if valid, 1 (with the reason) if not",
                                [args] { return [args] { return KeysVerify(*args); }; });
  verify->add_option("address", args->address, "Signer's base58 address")->required();
  verify->add_option("message", args->message, "The message, or @path for a file's bytes")
      ->required();
  verify->add_option("signature", args->signature, "128 hex characters")->required();
  verify->add_flag("--hex", args->hex, "The message is hex-encoded bytes");
}

}  // namespace depin::cli
