// Fuzz target: a transaction as POST /v1/ledger/txs receives it: the wire v1 SignedTransaction
// decoder, its conversion to the ledger's Tx, and the ledger's native binary decoder (block bodies
// and the native API layout). Invariants: a decoded transaction re-encodes to bytes that decode
// to the same id, and signature checks never crash.
#include "fuzz/fuzz_util.h"
#include "ledger/tx.h"
#include "ledger/tx_codec.h"
#include "wire/transaction.h"

using namespace depin;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::InitOnce();
  const util::ByteView bytes = fuzz::View(data, size);

  auto checked = wire::DecodeSignedTransaction(bytes);
  if (checked.ok()) {
    (void)wire::VerifyCheckedTransaction(*checked);
    auto id = wire::ComputeTxId(checked->message.tx());
    fuzz::Check(id.ok() && *id == checked->id, "wire tx: id is not stable");
  }
  auto wire_tx = ledger::DecodeWireTx(bytes);
  if (wire_tx.ok()) {
    fuzz::Check(checked.ok(), "ledger accepted a wire tx that wire rejects");
    (void)ledger::VerifyTxSignatures(*wire_tx);
    (void)ledger::TxId(*wire_tx);
  }

  auto native = ledger::DecodeTx(bytes);
  if (native.ok()) {
    const util::Bytes encoded = ledger::EncodeTx(*native);
    auto again = ledger::DecodeTx(encoded);
    fuzz::Check(again.ok(), "native tx: re-encoding does not decode");
    fuzz::Check(ledger::TxId(*again) == ledger::TxId(*native), "native tx: id changed");
    (void)ledger::VerifyTxSignatures(*native);
  }
  return 0;
}
