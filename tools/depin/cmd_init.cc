// `depin init <dir>`: create a new network's data directory (network.toml and role keys).
#include <cstdio>
#include <memory>
#include <string>

#include "cli.h"
#include "config/network_init.h"

namespace depin::cli {

void RegisterInitCommand(CLI::App& app, Selected& selected) {
  auto dir = std::make_shared<std::string>();
  CLI::App* cmd = AddCommand(
      app, selected, "init",
      "Create DIR/network.toml (a complete, commented dev network) and DIR/keys/ with a fresh "
      "key for every role",
      [dir] {
        return [dir]() -> util::Status {
          DEPIN_ASSIGN_OR_RETURN(config::InitResult r,
                                 config::InitNetwork(util::Env::Default(), *dir));
          std::printf("created %s\n", r.config_path.c_str());
          for (const config::InitResult::Key& key : r.keys) {
            std::printf("  %-14s %s  %s\n", key.role.c_str(), key.public_key.c_str(),
                        key.path.c_str());
          }
          std::printf("  %-14s %s\n", "admin token", r.admin_token_path.c_str());
          std::printf("run it with: depin node --data %s --dev\n", dir->c_str());
          return util::Status::Ok();
        };
      });
  cmd->add_option("dir", *dir, "Data directory to create (must not hold a network.toml)")
      ->required();
}

}  // namespace depin::cli
