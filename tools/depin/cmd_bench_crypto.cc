// Placeholder: the command group is being written (see docs/architecture.md).
#include "cli.h"

namespace depin::cli {

void RegisterBenchCrypto(CLI::App& /*bench*/, Selected& /*selected*/) {}

}  // namespace depin::cli
