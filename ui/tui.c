/* tui.c: start-up of the terminal UI. */
#include "ui/tui.h"

#include <stdio.h>
#include <stdlib.h>

int tui_run(struct cli_options *opts)
{
    (void)opts;
    fprintf(stderr, "fdesk: no Freshdesk account configured.\n"
                    "  Set FRESHDESK_DOMAIN=yourcompany and FRESHDESK_API_KEY=your-key,\n"
                    "  or write ~/.config/fdesk/config (see fdesk(1)),\n"
                    "  or try 'fdesk --demo' to explore with sample data.\n");
    return FD_EXIT_CONFIG;
}
