#include "core/cli/CliMain.h"

int main(int argc, char** argv)
{
    return cklab::cli::runMain(argc, argv);
}
