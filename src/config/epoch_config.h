// The reward engine's configuration from the network file: [[rewards.pools]] become reward pools
// (a pool rewarding data_transfer proofs is the usage pool; a pool rewarding other proofs is the
// availability pool; a pool with no proofs is a recipient pool paid to the governance key, e.g.
// the treasury), overflow_to becomes the usage pool's overflow target. The uptime minimum (12
// distinct hours) is capped at the epoch's length in hours for short dev epochs, and so are the
// readings per hour QoD expects. The resource classes become the verifier setup
// (verify/registry.h): the close runs the verifiers of each class's proofs. Pure; thread-safe.
#pragma once

#include "config/network_config.h"
#include "rewards/config.h"
#include "util/result.h"

namespace depin::config {

// InvalidArgument naming the pool when the mapping is impossible (two usage pools, ...).
util::Result<rewards::RewardConfig> RewardConfigFromNetwork(const NetworkConfig& config);

}  // namespace depin::config
