// Fuzz target: blocks as a peer or a block file hands them over: the wire v1 Block decoder, and
// the ledger's stored header and body decoders (the first byte picks which). Invariants: a decoded
// header re-encodes to bytes that decode to the same block hash; a decoded body re-encodes to the
// same transaction ids.
#include "fuzz/fuzz_util.h"
#include "ledger/block.h"
#include "wire/block.h"

using namespace depin;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::InitOnce();
  if (size < 1) return 0;
  const util::ByteView bytes = fuzz::View(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      auto block = wire::DecodeBlock(bytes);
      if (block.ok()) (void)wire::VerifyCheckedBlock(*block);
      break;
    }
    case 1: {
      auto header = ledger::DecodeBlockHeader(bytes);
      if (!header.ok()) break;
      auto again = ledger::DecodeBlockHeader(ledger::EncodeBlockHeader(*header));
      fuzz::Check(again.ok() && ledger::BlockHash(*again) == ledger::BlockHash(*header),
                  "block header: re-encoding changed the hash");
      (void)ledger::VerifyBlockSignature(*header);
      break;
    }
    default: {
      auto body = ledger::DecodeBlockBody(bytes);
      if (!body.ok()) break;
      auto again = ledger::DecodeBlockBody(ledger::EncodeBlockBody(*body));
      fuzz::Check(again.ok() && again->size() == body->size(), "block body: re-encoding");
      for (size_t i = 0; i < body->size(); ++i) {
        fuzz::Check(ledger::TxId((*again)[i]) == ledger::TxId((*body)[i]), "block body: tx id");
      }
      break;
    }
  }
  return 0;
}
