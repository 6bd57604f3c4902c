#include "wire/domain.h"

#include <string>

#include "wire/limits.h"

namespace depin::wire {

std::string_view DomainTag(SigningKind kind) {
  switch (kind) {
    case SigningKind::kReport:
      return "opendepin/report/v2";
    case SigningKind::kUsageReceipt:
      return "opendepin/usage-receipt/v2";
    case SigningKind::kReportBatch:
      return "opendepin/report-batch/v2";
    case SigningKind::kTx:
      return "opendepin/tx/v2";
    case SigningKind::kLedgerTx:
      return "opendepin/ledger-tx/v2";
    case SigningKind::kBlock:
      return "opendepin/block/v2";
    case SigningKind::kDenylist:
      return "opendepin/denylist/v2";
    case SigningKind::kEntropy:
      return "opendepin/entropy/v2";
  }
  return "opendepin/unknown/v2";  // unreachable: every kind is listed above
}

util::Status CheckNetworkId(std::string_view network_id, std::string_view field) {
  if (network_id.empty() || network_id.size() > kMaxNetworkIdBytes) {
    return util::Status::InvalidArgument(std::string(field) + ": " +
                                         std::to_string(network_id.size()) + " bytes, want 1.." +
                                         std::to_string(kMaxNetworkIdBytes));
  }
  return util::Status::Ok();
}

void AppendSigningDomain(util::ByteWriter& w, SigningKind kind, std::string_view network_id) {
  w.Raw(DomainTag(kind));
  w.U8(0);
  w.LengthPrefixed(util::AsBytes(network_id));
}

util::Bytes SigningDomain(SigningKind kind, std::string_view network_id) {
  util::Bytes out;
  util::ByteWriter w(&out);
  AppendSigningDomain(w, kind, network_id);
  return out;
}

}  // namespace depin::wire
