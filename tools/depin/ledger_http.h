// LedgerHttp: the HTTP transport a ledger::LedgerClient needs (ledger/tx_client.h), made of an
// http::DeviceClient, the one HTTP client: GETs are GETs, POSTs carry JSON. The ledger layer does
// not know any HTTP client, so the adapter lives with its users (`depin tx`, the crash tests).
//
// Thread-safety: as the DeviceClient it wraps (one per thread); it must outlive the transport.
#pragma once

#include <string_view>
#include <utility>

#include "http/client.h"
#include "ledger/tx_client.h"

namespace depin::cli {

inline ledger::HttpCall LedgerHttp(http::DeviceClient* http) {
  return [http](std::string_view method, std::string_view target,
                std::string_view body) -> util::Result<ledger::HttpExchange> {
    util::Result<http::HttpReply> r =
        method == "GET" ? http->Get(target)
                        : http->Post(target, "application/json", util::AsBytes(body));
    if (!r.ok()) return r.status();
    return ledger::HttpExchange{r->status, std::move(r->body)};
  };
}

}  // namespace depin::cli
