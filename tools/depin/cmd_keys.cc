// Placeholder: the command group is being written (see docs/architecture.md).
#include "cli.h"

namespace depin::cli {

void RegisterKeysCommands(CLI::App& /*app*/, Selected& /*selected*/) {}

}  // namespace depin::cli
