#include <cstdio>

#include "cli.h"

namespace depin::cli {

CLI::App* AddCommand(CLI::App& parent, Selected& selected, const std::string& name,
                     const std::string& description, std::function<Action()> make_action) {
  CLI::App* sub = parent.add_subcommand(name, description);
  std::string full = parent.get_parent() ? parent.get_name() + " " + name : name;
  sub->callback([&selected, full, make_action = std::move(make_action)] {
    selected.command = full;
    selected.action = make_action();
  });
  return sub;
}

void RegisterVersionCommand(CLI::App& app, Selected& selected) {
  AddCommand(app, selected, "version", "Print the version of this build", [] {
    return [] {
      std::printf("depin %s (OpenDePIN, wire format v1)\n", DEPIN_VERSION);
      return util::Status::Ok();
    };
  });
}

}  // namespace depin::cli
