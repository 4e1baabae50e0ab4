/* tui.h: the curses UI's entry point, called by cli_main() when fdesk is
 * started without a subcommand. */
#ifndef FD_UI_TUI_H
#define FD_UI_TUI_H

#include "src/cli.h"

int tui_run(struct cli_options *opts);

#endif
