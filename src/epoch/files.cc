#include "epoch/files.h"

#include <cstdio>

#include "crypto/merkle.h"
#include "rewards/manifest_json.h"
#include "util/bytes.h"

namespace depin::epoch {

using util::Result;
using util::Status;

namespace {

constexpr std::string_view kLeavesMagic = "DPRL";
constexpr uint32_t kLeavesVersion = 1;
constexpr std::string_view kBurnsMagic = "DPUB";
constexpr uint32_t kBurnsVersion = 1;

std::string EpochName(uint64_t epoch) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "epoch-%020llu", static_cast<unsigned long long>(epoch));
  return buf;
}

std::string RewardsDir(const std::string& data_dir) { return util::JoinPath(data_dir, "rewards"); }

// Streams `write(sink)` into a temporary file, syncs it and renames it over `path`.
template <typename WriteFn>
Status WriteStreamAtomic(util::Env* env, const std::string& path, WriteFn&& write) {
  const std::string tmp = path + ".tmp";
  DEPIN_ASSIGN_OR_RETURN(auto file, env->NewWritableFile(tmp));
  Status st;
  write([&](std::string_view piece) {
    if (st.ok()) st = file->Append(util::AsBytes(piece));
  });
  if (st.ok()) st = file->Sync();
  Status closed = file->Close();
  if (st.ok()) st = closed;
  if (!st.ok()) return st.WithContext(tmp);
  DEPIN_RETURN_IF_ERROR(env->RenameFile(tmp, path));
  return env->SyncDir(RewardsDir(path.substr(0, path.rfind("/rewards/"))));
}

}  // namespace

uint64_t TotalMinted(const rewards::Manifest& manifest) {
  return manifest.emission - manifest.unallocated_total;
}

std::string ManifestPath(const std::string& data_dir, uint64_t epoch) {
  return util::JoinPath(RewardsDir(data_dir), EpochName(epoch) + ".json");
}
std::string LeavesPath(const std::string& data_dir, uint64_t epoch) {
  return util::JoinPath(RewardsDir(data_dir), EpochName(epoch) + ".leaves");
}

Status WriteEpochFiles(util::Env* env, const std::string& data_dir,
                       const rewards::Manifest& manifest) {
  DEPIN_RETURN_IF_ERROR(env->CreateDirs(RewardsDir(data_dir)));
  DEPIN_RETURN_IF_ERROR(
      WriteStreamAtomic(env, ManifestPath(data_dir, manifest.epoch), [&](const auto& sink) {
        rewards::WriteManifestJson(manifest, sink);
        sink("\n");
      }));
  util::Bytes bytes;
  util::ByteWriter w(&bytes);
  w.Raw(kLeavesMagic);
  w.U32(kLeavesVersion);
  w.U64(TotalMinted(manifest));
  w.U64(manifest.leaves.size());
  for (const rewards::RewardLeaf& leaf : manifest.leaves) {
    w.Raw(leaf.key.view());
    w.U64(leaf.cumulative);
  }
  w.Raw(util::ByteView(manifest.root.data(), manifest.root.size()));
  return env->WriteFileAtomic(LeavesPath(data_dir, manifest.epoch), bytes);
}

std::string SpeedtestsPath(const std::string& data_dir, uint64_t epoch) {
  return util::JoinPath(RewardsDir(data_dir), EpochName(epoch) + ".speedtests");
}

Status WriteSpeedtestHistory(util::Env* env, const std::string& data_dir, uint64_t epoch,
                             const verify::SpeedtestHistory& history) {
  DEPIN_RETURN_IF_ERROR(env->CreateDirs(RewardsDir(data_dir)));
  return env->WriteFileAtomic(SpeedtestsPath(data_dir, epoch),
                              verify::EncodeSpeedtestHistory(history));
}

Result<verify::SpeedtestHistory> LoadSpeedtestHistory(util::Env* env, const std::string& data_dir,
                                                      uint64_t epoch) {
  const std::string path = SpeedtestsPath(data_dir, epoch);
  if (!env->FileExists(path)) return verify::SpeedtestHistory{};
  DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, env->ReadFile(path));
  Result<verify::SpeedtestHistory> history = verify::DecodeSpeedtestHistory(bytes);
  if (!history.ok()) return history.status().WithContext(path);
  return history;
}

std::string PayerBurnsPath(const std::string& data_dir, uint64_t epoch) {
  return util::JoinPath(RewardsDir(data_dir), EpochName(epoch) + ".burns");
}

Status WritePayerBurns(util::Env* env, const std::string& data_dir, uint64_t epoch,
                       const std::vector<verify::PayerBurn>& burns) {
  DEPIN_RETURN_IF_ERROR(env->CreateDirs(RewardsDir(data_dir)));
  util::Bytes bytes;
  util::ByteWriter w(&bytes);
  w.Raw(kBurnsMagic);
  w.U32(kBurnsVersion);
  w.U64(burns.size());
  for (const verify::PayerBurn& b : burns) {
    w.Raw(b.payer.view());
    w.U64(b.dc_burned);
  }
  return env->WriteFileAtomic(PayerBurnsPath(data_dir, epoch), bytes);
}

Result<std::vector<verify::PayerBurn>> LoadPayerBurns(util::Env* env, const std::string& data_dir,
                                                      uint64_t epoch) {
  const std::string path = PayerBurnsPath(data_dir, epoch);
  if (!env->FileExists(path)) {
    DEPIN_ASSIGN_OR_RETURN(std::string text, LoadManifestText(env, data_dir, epoch));
    Result<rewards::Manifest> manifest = rewards::ManifestFromJson(text);
    if (!manifest.ok()) return manifest.status().WithContext(ManifestPath(data_dir, epoch));
    return std::move(manifest->payer_burns);
  }
  DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, env->ReadFile(path));
  util::ByteReader r(bytes);
  auto bad = [&](std::string_view what) {
    return Status::Corruption(path + ": " + std::string(what));
  };
  auto magic = r.Raw(4);
  auto version = r.U32();
  auto count = r.U64();
  if (!magic.ok() || util::AsChars(*magic) != kBurnsMagic || !version.ok() ||
      *version != kBurnsVersion || !count.ok()) {
    return bad("bad header");
  }
  if (*count != r.remaining() / 40 || r.remaining() % 40 != 0) return bad("bad length");
  std::vector<verify::PayerBurn> out(*count);
  for (verify::PayerBurn& b : out) {
    auto key = r.Raw(crypto::kPublicKeySize);
    auto dc = r.U64();
    if (!key.ok() || !dc.ok()) return bad("truncated");
    std::copy(key->begin(), key->end(), b.payer.bytes.begin());
    b.dc_burned = *dc;
    if (&b != out.data() && !((&b - 1)->payer < b.payer)) return bad("payers not ascending");
  }
  return out;
}

Result<EpochLeaves> LoadEpochLeaves(util::Env* env, const std::string& data_dir, uint64_t epoch) {
  const std::string path = LeavesPath(data_dir, epoch);
  if (!env->FileExists(path)) {
    return Status::NotFound("epoch " + std::to_string(epoch) +
                            " has no manifest yet");  // no path: API clients see it
  }
  DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, env->ReadFile(path));
  util::ByteReader r(bytes);
  auto bad = [&](std::string_view what) {
    return Status::Corruption(path + ": " + std::string(what));
  };
  auto magic = r.Raw(4);
  auto version = r.U32();
  auto minted = r.U64();
  auto count = r.U64();
  if (!magic.ok() || util::AsChars(*magic) != kLeavesMagic || !version.ok() ||
      *version != kLeavesVersion || !minted.ok() || !count.ok()) {
    return bad("bad header");
  }
  if (*count > r.remaining() / 40) return bad("leaf count exceeds the file");
  EpochLeaves out;
  out.total_minted = *minted;
  out.leaves.reserve(*count);
  for (uint64_t i = 0; i < *count; ++i) {
    auto key = r.Raw(32);
    auto cumulative = r.U64();
    if (!key.ok() || !cumulative.ok()) return bad("truncated leaf");
    DEPIN_ASSIGN_OR_RETURN(crypto::PublicKey k, crypto::PublicKey::FromBytes(*key));
    out.leaves.push_back({k, *cumulative});
  }
  auto root = r.Raw(32);
  if (!root.ok() || r.remaining() != 0) return bad("bad root or trailing bytes");
  std::copy(root->begin(), root->end(), out.root.begin());
  if (crypto::MerkleRoot(rewards::RewardLeafHashes(out.leaves)) != out.root) {
    return bad("leaves do not hash to the stored root");
  }
  return out;
}

Result<std::string> LoadManifestText(util::Env* env, const std::string& data_dir, uint64_t epoch) {
  const std::string path = ManifestPath(data_dir, epoch);
  if (!env->FileExists(path)) {
    return Status::NotFound("epoch " + std::to_string(epoch) +
                            " has no manifest yet");  // no path: API clients see it
  }
  DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, env->ReadFile(path));
  return std::string(util::AsChars(bytes));
}

}  // namespace depin::epoch
