/* test_collision.c: the collision check says what changed between the copy
 * the agent saw and the server's fresh copy, and nothing when nothing did. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "src/collision.h"

static const char *agent_name(fd_id id, void *data)
{
    return id == 77 ? "Ann Agent" : NULL;
}

static void nothing_changed_means_no_warning(void **unused)
{
    struct fd_ticket t = {.id = 1, .status = 2, .priority = 1, .updated_at = 1000};
    struct fd_conversation c[] = {{.id = 10, .created_at = 900}};
    struct collision_snapshot s;
    char *desc = (char *)"x";

    collision_snapshot_take(&s, &t, c, 1);
    assert_false(collision_describe(&s, &t, c, 1, NULL, &desc));
    assert_null(desc);
}

static void new_messages_and_field_changes_are_described(void **unused)
{
    struct fd_ticket seen = {.id = 1, .status = 2, .priority = 1, .updated_at = 1000};
    struct fd_conversation before[] = {{.id = 10, .created_at = 900}};
    struct fd_conversation after[] = {
        {.id = 10, .created_at = 900},
        {.id = 11, .created_at = 1700000520, .incoming = true},
        {.id = 12, .created_at = 1700000700, .is_private = true, .source = 2},
    };
    struct fd_ticket fresh = seen;
    struct collision_snapshot s;
    struct collision_names names = {.agent = agent_name};
    char *desc;

    collision_snapshot_take(&s, &seen, before, 1);
    fresh.status = 3;
    fresh.responder_id = 77;
    fresh.updated_at = 2000;
    assert_true(collision_describe(&s, &fresh, after, 3, &names, &desc));
    assert_non_null(strstr(desc, "2 new messages since you opened it: a reply from the customer "
                                 "at 22:22 UTC, a private note at 22:25 UTC"));
    assert_non_null(strstr(desc, "status changed from Open to Pending"));
    assert_non_null(strstr(desc, "assigned to Ann Agent (was unassigned)"));
    assert_null(strstr(desc, "priority"));
    free(desc);
}

static void other_changes_still_warn(void **unused)
{
    struct fd_ticket t = {.id = 1, .status = 2, .updated_at = 1000, .group_id = 5};
    struct collision_snapshot s;
    char *desc;

    collision_snapshot_take(&s, &t, NULL, 0);
    t.updated_at = 1001;
    assert_true(collision_describe(&s, &t, NULL, 0, NULL, &desc));
    assert_non_null(strstr(desc, "changed by someone else"));
    free(desc);
    t.group_id = 0;
    assert_true(collision_describe(&s, &t, NULL, 0, NULL, &desc));
    assert_non_null(strstr(desc, "group changed to no group (was #5)"));
    free(desc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nothing_changed_means_no_warning),
        cmocka_unit_test(new_messages_and_field_changes_are_described),
        cmocka_unit_test(other_changes_still_warn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
