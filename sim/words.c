/* words.c: the text of the generated account. Names, company names, subjects and message
 * bodies in many scripts (accented Latin, Cyrillic, Greek, CJK, Arabic, Hebrew, Devanagari,
 * Thai, emoji with ZWJ sequences and skin tones, combining marks), HTML with a matching plain
 * text, quoted history, and the --hostile attack strings. Everything is a pure function of the
 * seed and an index so any object can be regenerated alone.
 */
#include "sim/internal.h"

#include <stdlib.h>
#include <string.h>

struct name_part {
    const char *text, *ascii;
};

static const struct name_part first_names[] = {
    {"Matt", "matt"},
    {"Jessica", "jessica"},
    {"José", "jose"},
    {"Zoë", "zoe"},
    {"François", "francois"},
    {"Łukasz", "lukasz"},
    {"Søren", "soren"},
    {"Ágnes", "agnes"},
    {"Chloé", "chloe"},
    {"Renée", "renee"},
    {"Zoe\xcc\x88", "zoe"},
    {"Jürgen", "jurgen"},
    {"Иван", "ivan"},
    {"Ольга", "olga"},
    {"Νίκος", "nikos"},
    {"太郎", "taro"},
    {"伟", "wei"},
    {"민준", "minjun"},
    {"محمد", "mohammed"},
    {"فاطمة", "fatima"},
    {"דוד", "david"},
    {"שרה", "sarah"},
    {"प्रिया", "priya"},
    {"สมชาย", "somchai"},
    {"Nguyễn", "nguyen"},
    {"Siobhán", "siobhan"},
    {"Iryna", "iryna"},
    {"Ana", "ana"},
    {"Tomás", "tomas"},
    {"Amelia", "amelia"},
};
static const struct name_part last_names[] = {
    {"Rogers", "rogers"},
    {"Rangel", "rangel"},
    {"García", "garcia"},
    {"Müller", "muller"},
    {"Ångström", "angstrom"},
    {"Dvořák", "dvorak"},
    {"Øster", "oster"},
    {"Petrov", "petrov"},
    {"Петров", "petrov"},
    {"Παπαδόπουλος", "papadopoulos"},
    {"山田", "yamada"},
    {"王", "wang"},
    {"김", "kim"},
    {"العلي", "alali"},
    {"כהן", "cohen"},
    {"शर्मा", "sharma"},
    {"ใจดี", "jaidee"},
    {"Văn", "van"},
    {"O'Brien", "obrien"},
    {"Grankova", "grankova"},
    {"Smith", "smith"},
    {"Nováková", "novakova"},
    {"Çelik", "celik"},
    {"Þórsdóttir", "thorsdottir"},
};

static const struct name_part company_a[] = {
    {"Acme", "acme"},
    {"Müller & Söhne", "mueller"},
    {"株式会社さくら", "sakura"},
    {"شركة النور", "alnoor"},
    {"Ñandú", "nandu"},
    {"Globex", "globex"},
    {"Initech", "initech"},
    {"Северсталь", "severstal"},
    {"אלקטרה", "electra"},
    {"Café Crème", "cafecreme"},
    {"Umbrella", "umbrella"},
    {"Zürich Data", "zurichdata"},
    {"北京星光", "xingguang"},
    {"Ωmega", "omega"},
    {"Hooli", "hooli"},
};
static const struct name_part company_b[] = {
    {"GmbH", "gmbh"},     {"Ltd", "ltd"},   {"Corp", "corp"}, {"S.A.", "sa"},
    {"Logística", "log"}, {"Labs", "labs"}, {"& Co.", "co"},  {"有限公司", "cn"},
};

static const char *const subjects[] = {
    "Payment failed but my card was charged",
    "Cannot log in after password reset",
    "Refund for order #%ld",
    "Invoice %ld shows the wrong VAT number",
    "Facture incorrecte — commande nº %ld",
    "Überweisung für Bestellung %ld nicht angekommen",
    "Ошибка при оплате заказа %ld",
    "请帮我重置密码 (订单 %ld)",
    "注文番号%ldの配送状況について",
    "مشكلة في الفاتورة رقم %ld",
    "בעיה בהתחברות לחשבון %ld",
    "🚀 Feature request: dark mode",
    "Printer on fire 🔥🔥 (ticket %ld)",
    "Café menu crashes for naïve users",
    "Export to CSV drops the ‘ñ’ and ‘ü’ characters",
    "App freezes when I tap 👩‍💻 profile",
    "Thanks! 👍🏽 Works now",
    "Shipping to 🇯🇵 Japan takes too long",
    "Can't attach files larger than 10 MB",
    "Zoe\xcc\x88 can't see the shared inbox",
    "API returns 500 on /orders/%ld",
    "Πρόβλημα με την παραγγελία %ld",
    "कृपया मेरा खाता सक्रिय करें",
    "การชำระเงินล้มเหลว %ld",
    "Need a copy of contract %ld",
    "Password reset email never arrives",
    "Two-factor code rejected",
    "Upgrade to the Pro plan",
    "Duplicate charge on %ld",
    "Order %ld arrived damaged",
};

static const char *const customer_lines[] = {
    "I was trying to make a payment on your site and got a \"Your payment failed\" error.",
    "However, my card was charged. Can you let me know if the order is processed?",
    "The app crashes every time I open the settings page <really> & consistently.",
    "Merci de votre aide, c'était très rapide la dernière fois.",
    "Können Sie mir bitte die Rechnung noch einmal schicken? Grüße aus München.",
    "Здравствуйте! Заказ до сих пор не пришёл.",
    "您好，我的账户被锁定了，请尽快处理。",
    "お世話になっております。返品の手続きを教えてください。",
    "مرحبا، لم أتلقَّ رسالة التأكيد بعد.",
    "שלום, החשבון שלי נחסם אתמול בלילה.",
    "This is urgent 😡😡 — our whole team is blocked 👨‍👩‍👧‍👦.",
    "Attached is a screenshot (see below).",
    "Ça marche pas depuis la mise à jour 3.2.1…",
    "Tack för snabbt svar! Hälsningar, Åsa",
    "Δεν μπορώ να συνδεθώ από χθες.",
    "मेरा ऑर्डर अभी तक नहीं आया है।",
    "Thanks, Matt",
};

static const char *const agent_lines[] = {
    "Thanks for reaching out, and sorry for the trouble.",
    "I have processed the refund; it should reach your card in 3–5 business days.",
    "Could you send us a screenshot of the error and the time it happened?",
    "I've escalated this to our engineering team and will update you shortly.",
    "Vielen Dank für Ihre Geduld.",
    "Nous avons corrigé le problème. Pouvez-vous réessayer ?",
    "ご不便をおかけして申し訳ございません。",
    "We’ve reset your password — use the link we just sent.",
    "Is there anything else I can help with? 🙂",
    "Best regards,\nThe Support Team",
};

static const char *const note_lines[] = {
    "Customer is on the legacy plan; check billing before refunding.",
    "Looks like a duplicate of the outage from last week.",
    "Asked engineering in #support-escalations, waiting for an answer.",
    "VIP account — keep the CSM in the loop.",
    "Ticket merged from a phone call; see the call notes.",
};

void sim_person_name(uint64_t seed, long idx, char *name, size_t nlen, char *handle, size_t hlen)
{
    uint64_t h = sim_hash3(seed, 0xA11CE, (uint64_t)idx);
    const struct name_part *f = &first_names[sim_pick(h, sizeof first_names / sizeof *f)];
    const struct name_part *l =
        &last_names[sim_pick(sim_hash(h, 1), sizeof last_names / sizeof *l)];
    snprintf(name, nlen, "%s %s", f->text, l->text);
    snprintf(handle, hlen, "%s.%s", f->ascii, l->ascii);
}

void sim_company_name(uint64_t seed, long idx, char *name, size_t nlen, char *domain, size_t dlen)
{
    uint64_t h = sim_hash3(seed, 0xC0C0, (uint64_t)idx);
    const struct name_part *a = &company_a[sim_pick(h, sizeof company_a / sizeof *a)];
    const struct name_part *b = &company_b[sim_pick(sim_hash(h, 2), sizeof company_b / sizeof *b)];
    snprintf(name, nlen, "%s %s %ld", a->text, b->text, idx + 1);
    snprintf(domain, dlen, "%s-%s%ld.example.com", a->ascii, b->ascii, idx + 1);
}

void sim_ticket_subject(uint64_t seed, int64_t id, char *out, size_t len)
{
    uint64_t h = sim_hash3(seed, 0x5B, (uint64_t)id);
    const char *tmpl = subjects[sim_pick(h, sizeof subjects / sizeof *subjects)];
    long n = 10000 + sim_pick(sim_hash(h, 3), 90000);
    if (strstr(tmpl, "%ld"))
        snprintf(out, len, tmpl, n);
    else
        snprintf(out, len, "%s", tmpl);
}

/* A growing string. */
struct sbuf {
    char *p;
    size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (!b->p)
            abort();
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

char *sim_html_escape(const char *s)
{
    struct sbuf b = {0};
    sb_add(&b, "", 0);
    for (; *s; s++) {
        switch (*s) {
        case '&':
            sb_str(&b, "&amp;");
            break;
        case '<':
            sb_str(&b, "&lt;");
            break;
        case '>':
            sb_str(&b, "&gt;");
            break;
        case '"':
            sb_str(&b, "&quot;");
            break;
        case '\n':
            sb_str(&b, "<br>");
            break;
        default:
            sb_add(&b, s, 1);
        }
    }
    return b.p;
}

static const struct {
    const char *ent, *text;
} entities[] = {{"&amp;", "&"},   {"&lt;", "<"},  {"&gt;", ">"},
                {"&quot;", "\""}, {"&#39;", "'"}, {"&nbsp;", " "}};

char *sim_html_to_text(const char *html)
{
    struct sbuf b = {0};
    sb_add(&b, "", 0);
    for (const char *p = html; *p;) {
        if (*p == '<') {
            const char *e = strchr(p, '>');
            if (!e)
                break;
            if (!strncmp(p, "<br", 3) || !strncmp(p, "</div", 5) || !strncmp(p, "</p", 3))
                sb_str(&b, "\n");
            p = e + 1;
            continue;
        }
        if (*p == '&') {
            size_t i;
            for (i = 0; i < sizeof entities / sizeof *entities; i++) {
                size_t n = strlen(entities[i].ent);
                if (!strncmp(p, entities[i].ent, n)) {
                    sb_str(&b, entities[i].text);
                    p += n;
                    break;
                }
            }
            if (i < sizeof entities / sizeof *entities)
                continue;
        }
        sb_add(&b, p, 1);
        p++;
    }
    while (b.len && b.p[b.len - 1] == '\n')
        b.p[--b.len] = '\0';
    return b.p;
}

static void add_paragraph(struct sbuf *html, struct sbuf *text, const char *para)
{
    char *esc = sim_html_escape(para);
    sb_str(html, "<div>");
    sb_str(html, esc);
    sb_str(html, "</div>\n");
    free(esc);
    if (text->len)
        sb_str(text, "\n\n");
    sb_str(text, para);
}

static void add_quote(struct sbuf *html, struct sbuf *text, uint64_t h, const char *from,
                      int64_t when)
{
    char date[32], head[256];
    sim_fmt_time(when - 3600 * (1 + (long)sim_pick(h, 48)), date);
    snprintf(head, sizeof head, "On %.10s at %.5s, %s wrote:", date, date + 11, from);
    sb_str(html, "<div class=\"freshdesk_quote\"><blockquote class=\"freshdesk_quote\">");
    char *esc = sim_html_escape(head);
    sb_str(html, esc);
    free(esc);
    sb_str(text, "\n\n");
    sb_str(text, head);
    int n = 2 + (int)sim_pick(sim_hash(h, 9), 4);
    for (int i = 0; i < n; i++) {
        const char *line = customer_lines[sim_pick(sim_hash(h, 10 + i),
                                                   sizeof customer_lines / sizeof *customer_lines)];
        esc = sim_html_escape(line);
        sb_str(html, "<br>");
        sb_str(html, esc);
        free(esc);
        sb_str(text, "\n> ");
        sb_str(text, line);
    }
    sb_str(html, "</blockquote></div>\n");
}

void sim_message(uint64_t seed, uint64_t salt, int kind, bool quoted, const char *from_name,
                 int64_t when, struct sim_text *out)
{
    static const char *const *pools[] = {customer_lines, agent_lines, note_lines};
    static const size_t sizes[] = {sizeof customer_lines / sizeof *customer_lines,
                                   sizeof agent_lines / sizeof *agent_lines,
                                   sizeof note_lines / sizeof *note_lines};
    struct sbuf html = {0}, text = {0};
    uint64_t h = sim_hash(seed, salt);
    long n = 1 + sim_pick(h, 4);
    if (sim_pick(sim_hash(h, 77), 25) == 0)
        n = 40 + sim_pick(sim_hash(h, 78), 60); /* a long one */
    sb_add(&html, "", 0);
    sb_add(&text, "", 0);
    for (long i = 0; i < n; i++) {
        uint64_t hi = sim_hash(h, 100 + (uint64_t)i);
        add_paragraph(&html, &text, pools[kind][sim_pick(hi, (long)sizes[kind])]);
    }
    if (quoted)
        add_quote(&html, &text, sim_hash(h, 5), from_name, when);
    out->html = html.p;
    out->text = text.p;
}

void sim_text_free(struct sim_text *t)
{
    free(t->html);
    free(t->text);
    t->html = t->text = NULL;
}

static const char *const attacks[SIM_HOSTILE_COUNT] = {
    "\x1b[2J\x1b[HScreen cleared by ticket",
    "\x1b]0;pwned window title\x07Title set",
    "\x1b]52;c;cm0gLXJmIH4vKgo=\x07"
    "Clipboard write (OSC 52)",
    "\xc2\x9b"
    "2J\xc2\x9d"
    "0;C1 title\xc2\x9c C1 controls",
    "Invoice \xe2\x80\xae"
    "fdp.exe\xe2\x80\xac and \xe2\x81\xa7isolate",
    "Refund approved\b\b\b\b\b\b\b\bdenied!!\rOVERWRITTEN",
    "Bad bytes \xff\xfe \xc3\x28 \xed\xa0\x80 \xf8\x88\x80\x80\x80 end",
    NULL, /* 10,000 characters */
    "",   /* empty */
    "Line one\nLine two\tTabbed\x7f\x07 bell",
    "Z\xcd\x91\xcd\x94\xcd\x9b\xcc\xbf\xcd\x8c\xcc\x80"
    "a\xcc\x8a\xcc\x8a\xcc\x8a"
    "l\xcc\xb7go \xe2\x80\x8b\xe2\x80\x8bzero width",
    "\x1b[31mRed\x1b[0m \x1b[1000;1000H\x1b[6n cursor report",
};

char *sim_hostile_text(int n, int field)
{
    const char *a;
    if (n < 1 || n > SIM_HOSTILE_COUNT)
        return strdup("");
    a = attacks[n - 1];
    if (!a) {
        size_t len = field == 0 ? 10000 : 300;
        char *s = malloc(len + 1);
        for (size_t i = 0; i < len; i++)
            s[i] = "Long subject "[i % 13];
        s[len] = '\0';
        return s;
    }
    if (field == 0 || field == 3 || !*a)
        return strdup(a);
    /* names keep a readable part so the row can still be found */
    size_t len = strlen(a) + 16;
    char *s = malloc(len);
    snprintf(s, len, "%s%s", field == 1 ? "Eve " : "Evil Co ", a);
    return s;
}
