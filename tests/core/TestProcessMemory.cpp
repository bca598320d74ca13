// The allocator policy of the applications (keepFreedMemoryForReuse): a freed block of a few MiB
// is reused without page faults, and the resident-size reader gives a plausible figure.
#include <QtTest>

#include <cstdlib>
#include <cstring>
#include <sys/resource.h>

#include "core/base/ProcessMemory.h"
#include "tests/support/SanitizerBuild.h"

using namespace cklab;

namespace {

long minorFaults()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

// Allocates `bytes`, writes every page, frees; returns the minor page faults this took.
long faultsOfFreshBlock(std::size_t bytes)
{
    const long before = minorFaults();
    auto* block = static_cast<char*>(std::malloc(bytes));
    if (block == nullptr)
        return -1;
    std::memset(block, 1, bytes);
    asm volatile("" : : "r"(block) : "memory"); // the pages must really be written
    std::free(block);
    return minorFaults() - before;
}

} // namespace

class TestProcessMemory : public QObject {
    Q_OBJECT

private slots:
    void freedBlocksAreReusedWithoutPageFaults()
    {
#if !defined(__GLIBC__)
        QSKIP("the policy is glibc's mallopt");
#endif
        if (test::kAddressSanitizer || test::kThreadSanitizer)
            QSKIP("a sanitizer replaces malloc");
        QVERIFY(keepFreedMemoryForReuse());
        // 3072 pages. glibc's default maps the first such block on its own and unmaps it when
        // freed (raising its thresholds), so the second use faults every page in again.
        constexpr std::size_t kBytes = std::size_t{12} << 20;
        faultsOfFreshBlock(kBytes);
        for (int round = 0; round < 5; ++round) {
            const long again = faultsOfFreshBlock(kBytes);
            QVERIFY2(again < 64, qPrintable(QString("reuse %1: %2 page faults").arg(round + 1).arg(again)));
        }
    }

    void residentSizeIsPlausible()
    {
        const double mb = residentMegabytes();
        if (mb < 0)
            QSKIP("/proc/self/status not available");
        QVERIFY(mb > 1.0);
        QVERIFY(mb < 4096.0);
    }
};

QTEST_GUILESS_MAIN(TestProcessMemory)
#include "TestProcessMemory.moc"
