/* main.c: the fdesk program. The command line lives in the core (src/cli.c);
 * this file only supplies the curses UI as the hook for "no subcommand". */
#include "src/cli.h"
#include "ui/tui.h"

int main(int argc, char **argv)
{
    static const struct cli_hooks hooks = {.run_tui = tui_run};

    return cli_main(argc, argv, &hooks);
}
