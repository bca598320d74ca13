#include "core/base/ProcessMemory.h"
#include "cli/CliMain.h"

int main(int argc, char** argv)
{
    cklab::keepFreedMemoryForReuse();
    return cklab::cli::runMain(argc, argv);
}
