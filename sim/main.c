/* main.c: fdesk-sim entry point. */
#include "config.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("Usage: fdesk-sim [OPTIONS]\nA Freshdesk API v2 simulator.\n");
        return 0;
    }
    fprintf(stderr, "fdesk-sim: not yet\n");
    return 1;
}
