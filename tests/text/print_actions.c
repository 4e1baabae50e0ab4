/* print_actions.c: prints the action table in the man page's form, so
 * tests/text/man-actions.sh can check fdesk.conf(5) without running fdesk. */
#include "config.h"
#include <stdio.h>

#include "src/actions.h"

int main(void)
{
    action_print_list(stdout, ACTION_LIST_MAN);
    return ferror(stdout) ? 1 : 0;
}
