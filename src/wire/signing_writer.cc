#include "wire/signing_writer.h"

#include <string>

#include "wire/constants.h"

namespace depin::wire::internal {

SigningWriter::SigningWriter(SigningKind kind, std::string_view network_id,
                             std::string_view network_field)
    : status_(CheckNetworkId(network_id, network_field)) {
  AppendSigningDomain(w_, kind, network_id);
}

void SigningWriter::Fixed(std::string_view field, const std::string& value, size_t size) {
  if (!ok()) return;
  if (value.size() != size) {
    Fail(field, std::to_string(value.size()) + " bytes, want " + std::to_string(size));
    return;
  }
  w_.Raw(value);
}

void SigningWriter::OptionalFixed(std::string_view field, const std::string& value, size_t size) {
  if (!ok()) return;
  if (value.empty()) {
    w_.U8(0);
    return;
  }
  if (value.size() != size) {
    Fail(field,
         std::to_string(value.size()) + " bytes, want 0 (absent) or " + std::to_string(size));
    return;
  }
  w_.U8(1);
  w_.Raw(value);
}

void SigningWriter::Variable(std::string_view field, const std::string& value, size_t min_size,
                             size_t max_size) {
  if (!ok()) return;
  if (value.size() < min_size || value.size() > max_size) {
    Fail(field, std::to_string(value.size()) + " bytes, want " + std::to_string(min_size) + ".." +
                    std::to_string(max_size));
    return;
  }
  w_.LengthPrefixed(util::AsBytes(value));
}

bool SigningWriter::Count(std::string_view field, size_t count, size_t min_count,
                          size_t max_count) {
  if (!ok()) return false;
  if (count < min_count || count > max_count) {
    Fail(field, std::to_string(count) + " entries, want " + std::to_string(min_count) + ".." +
                    std::to_string(max_count));
    return false;
  }
  w_.U32(static_cast<uint32_t>(count));
  return true;
}

void SigningWriter::Fail(std::string_view field, std::string_view what) {
  if (!ok()) return;
  status_ = util::Status::InvalidArgument(std::string(field) + ": " + std::string(what));
}

void SigningWriter::Version(std::string_view field, uint32_t version) {
  if (!ok()) return;
  if (version != kWireVersion) {
    status_ = util::Status::Unsupported(std::string(field) + ": unknown version " +
                                        std::to_string(version) + ", want " +
                                        std::to_string(kWireVersion));
    return;
  }
  w_.U32(version);
}

util::Result<util::Bytes> SigningWriter::Finish() && {
  if (!status_.ok()) return status_;
  return std::move(out_);
}

}  // namespace depin::wire::internal
