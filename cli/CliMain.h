#pragma once
/// Entry of checkpointlab-cli (commands run, replay, inspect, predict). Links the core only.
namespace cklab::cli {

/// Exit codes: 0 success, 2 invalid arguments or configuration, 1 failure at run time.
int runMain(int argc, char** argv);

} // namespace cklab::cli
