#pragma once
/// No bare std::bad_alloc reaches the user ("std::bad_alloc" says nothing): the run and load
/// entry points run their allocating steps through allocating(), which names the step.
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

namespace cklab {

/// "out of memory while loading the data set; ..." — what was being allocated, and what to do.
class OutOfMemoryError : public std::runtime_error {
public:
    explicit OutOfMemoryError(const std::string& what)
        : std::runtime_error("out of memory while " + what
                             + " (the allocation failed); make the model, the data or the batch smaller, "
                               "or set CKLAB_MEMORY_LIMIT lower so the run is refused before it starts")
    {
    }
};

/// `fn()`, with a std::bad_alloc turned into OutOfMemoryError(`what`).
template <typename Fn>
decltype(auto) allocating(const std::string& what, Fn&& fn)
{
    try {
        return std::forward<Fn>(fn)();
    } catch (const std::bad_alloc&) {
        throw OutOfMemoryError(what);
    }
}

} // namespace cklab
