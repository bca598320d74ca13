#pragma once
// Shared by the libFuzzer targets: an input must end in a clear error — one of the engine's
// own exception types with a non-empty message — or succeed. Anything else (a library's raw
// exception, a crash, a hang, an unbounded allocation) is a finding.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <typeinfo>

#include "core/base/Errors.h"

namespace cklab::fuzz {

template <class F>
void expectClearError(F&& body)
{
    try {
        body();
    } catch (const ConfigError& e) {
        if (e.problems().empty() && std::string(e.what()).empty()) {
            std::fprintf(stderr, "ConfigError without a message\n");
            std::abort();
        }
    } catch (const IoError& e) {
        if (std::string(e.what()).empty()) {
            std::fprintf(stderr, "IoError without a message\n");
            std::abort();
        }
    } catch (const std::exception& e) {
        // CKLAB_FUZZ_LENIENT=1 accepts any std::exception (the CLI prints what() and exits 1).
        if (std::getenv("CKLAB_FUZZ_LENIENT") == nullptr) {
            std::fprintf(stderr, "unclear error: %s: %s\n", typeid(e).name(), e.what());
            std::abort();
        }
    }
}

} // namespace cklab::fuzz
