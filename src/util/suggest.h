// "Did you mean ...?" for misspelt names in files people write by hand (network.toml, sim
// scenarios): the known name closest to a typo by edit distance. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace depin::util {

// Levenshtein distance (insertions, deletions, substitutions each cost 1).
size_t EditDistance(std::string_view a, std::string_view b);

// The first of `known` (in set order) at the smallest edit distance from `name`, if that
// distance is at most `max_distance`; nullopt when nothing is that close.
std::optional<std::string> ClosestName(std::string_view name,
                                       const std::set<std::string, std::less<>>& known,
                                       size_t max_distance = 2);

}  // namespace depin::util
