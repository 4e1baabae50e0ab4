/* test_compose.c: a reply starts from a quote of the customer's last message
 * and the signature, as plain text. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "src/compose.h"

static void finds_the_last_incoming_message(void **unused)
{
    struct fd_conversation c[] = {{.id = 1, .incoming = true},
                                  {.id = 2, .incoming = false},
                                  {.id = 3, .incoming = true},
                                  {.id = 4, .is_private = true}};
    assert_int_equal(compose_last_customer_message(c, 4), 2);
    assert_int_equal(compose_last_customer_message(c + 3, 1), -1);
    assert_int_equal(compose_last_customer_message(NULL, 0), -1);
}

static void quote_prefixes_every_line_and_names_the_author(void **unused)
{
    char *q = compose_quote("Zoë", 1700000520, "Hello,\r\n\r\nmy order\x1b[31m is late.\n\n\n");
    assert_string_equal(q, "On 2023-11-14 22:22 UTC, Zoë wrote:\n> Hello,\n>\n> my order[31m is "
                           "late.\n");
    free(q);
    q = compose_quote(NULL, 0, "one line");
    assert_string_equal(q, "The customer wrote:\n> one line\n");
    free(q);
}

static void signature_from_html_or_text(void **unused)
{
    char *s = compose_signature("<p>Ann Agent<br>Acme &amp; Co</p>", true);
    assert_string_equal(s, "\n-- \nAnn Agent\nAcme & Co");
    free(s);
    s = compose_signature("Bob\nSupport\n\n", false);
    assert_string_equal(s, "\n-- \nBob\nSupport");
    free(s);
    s = compose_signature("   ", false);
    assert_string_equal(s, "");
    free(s);
    s = compose_signature(NULL, true);
    assert_string_equal(s, "");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_the_last_incoming_message),
        cmocka_unit_test(quote_prefixes_every_line_and_names_the_author),
        cmocka_unit_test(signature_from_html_or_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
