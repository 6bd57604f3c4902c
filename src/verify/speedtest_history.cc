#include "verify/speedtest_history.h"

#include <algorithm>
#include <string>

namespace depin::verify {

using util::Status;

util::Bytes EncodeSpeedtestHistory(const SpeedtestHistory& history) {
  util::Bytes out;
  util::ByteWriter w(&out);
  w.U32(static_cast<uint32_t>(history.size()));
  for (const DeviceSpeedtests& d : history) {
    w.Raw(d.device.view());
    w.U32(static_cast<uint32_t>(d.samples.size()));
    for (const SpeedtestSample& s : d.samples) {
      w.U64(s.receive_ms);
      w.U64(s.download_bps);
      w.U64(s.upload_bps);
      w.U64(s.latency_ms);
    }
  }
  return out;
}

namespace {

Status DecodeDevice(util::ByteReader& r, size_t index, DeviceSpeedtests* d) {
  const std::string where = "speedtest history: device " + std::to_string(index);
  util::Result<util::ByteView> key = r.Raw(crypto::kPublicKeySize);
  util::Result<uint32_t> n = key.ok() ? r.U32() : util::Result<uint32_t>(key.status());
  if (!n.ok()) return Status::Corruption(where + ": " + std::string(n.status().message()));
  if (*n == 0 || *n > kMaxWindowSpeedtests) {
    return Status::Corruption(where + ": " + std::to_string(*n) + " samples (want 1.." +
                              std::to_string(kMaxWindowSpeedtests) + ")");
  }
  std::copy(key->begin(), key->end(), d->device.bytes.begin());
  d->samples.resize(*n);
  for (SpeedtestSample& s : d->samples) {
    uint64_t* fields[] = {&s.receive_ms, &s.download_bps, &s.upload_bps, &s.latency_ms};
    for (uint64_t* f : fields) {
      util::Result<uint64_t> v = r.U64();
      if (!v.ok()) return Status::Corruption(where + ": " + std::string(v.status().message()));
      *f = *v;
    }
  }
  return Status::Ok();
}

}  // namespace

util::Result<SpeedtestHistory> DecodeSpeedtestHistory(util::ByteView data) {
  util::ByteReader r(data);
  util::Result<uint32_t> count = r.U32();
  if (!count.ok()) return Status::Corruption("speedtest history: truncated device count");
  // Each device needs at least 36 + 32 bytes: a hostile count cannot make us allocate much.
  if (*count > r.remaining() / (crypto::kPublicKeySize + 4 + 32)) {
    return Status::Corruption("speedtest history: device count " + std::to_string(*count) +
                              " does not fit the file");
  }
  SpeedtestHistory history(*count);
  for (size_t i = 0; i < history.size(); ++i) {
    DEPIN_RETURN_IF_ERROR(DecodeDevice(r, i, &history[i]));
    if (i > 0 && !(history[i - 1].device < history[i].device)) {
      return Status::Corruption("speedtest history: device " + std::to_string(i) +
                                " is not in ascending key order");
    }
  }
  if (r.remaining() != 0) {
    return Status::Corruption("speedtest history: " + std::to_string(r.remaining()) +
                              " trailing bytes");
  }
  return history;
}

}  // namespace depin::verify
