/* term.c: the pty + libvterm harness behind the end-to-end tests and the TUI
 * benchmarks (see term.h). The program runs on a real pty, in its own session,
 * so job control, SIGWINCH and terminal modes behave as in a terminal window;
 * every byte it writes is kept, counted and fed to libvterm. */
#include "tests/e2e/term.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

struct term {
    int master;
    int notify; /* read end of the frame notification pipe */
    pid_t pid;
    int exited_status;
    bool exited;
    int rows, cols;
    VTerm *vt;
    VTermScreen *screen;
    unsigned char *raw;
    size_t raw_len, raw_cap;
    size_t bytes;
    long reads;
    long frames;
    char *text; /* last term_screen() */
    char line[4096];
};

double term_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void vterm_output(const char *s, size_t len, void *user)
{
    struct term *t = user;
    /* Answers to the program's queries (cursor position, device attributes). */
    while (len > 0) {
        ssize_t n = write(t->master, s, len);
        if (n <= 0)
            return;
        s += n;
        len -= (size_t)n;
    }
}

static void child_exec(const char *slave, int notify_w, const char *const argv[],
                       const char *const envp[], int rows, int cols)
{
    setsid();
    int fd = open(slave, O_RDWR);
    if (fd < 0)
        _exit(126);
    ioctl(fd, TIOCSCTTY, 0);
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    ioctl(fd, TIOCSWINSZ, &ws);
    dup2(fd, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    if (notify_w != 3) {
        dup2(notify_w, 3);
        close(notify_w);
    }
    if (fd > 3)
        close(fd);
    for (int i = 4; i < 256; i++)
        close(i);
    signal(SIGPIPE, SIG_DFL);
    execve(argv[0], (char *const *)argv, (char *const *)envp);
    _exit(127);
}

struct term *term_spawn(const char *const argv[], const char *const envp[], int rows, int cols)
{
    struct term *t = calloc(1, sizeof *t);
    int pipefd[2];
    if (!t)
        return NULL;
    t->rows = rows;
    t->cols = cols;
    t->master = posix_openpt(O_RDWR | O_NOCTTY);
    if (t->master < 0 || grantpt(t->master) != 0 || unlockpt(t->master) != 0) {
        perror("posix_openpt");
        free(t);
        return NULL;
    }
    if (pipe(pipefd) != 0) {
        close(t->master);
        free(t);
        return NULL;
    }
    char slave[128];
    snprintf(slave, sizeof slave, "%s", ptsname(t->master));
    t->pid = fork();
    if (t->pid == 0) {
        close(t->master);
        close(pipefd[0]);
        child_exec(slave, pipefd[1], argv, envp, rows, cols);
    }
    close(pipefd[1]);
    t->notify = pipefd[0];
    fcntl(t->master, F_SETFL, O_NONBLOCK);
    fcntl(t->notify, F_SETFL, O_NONBLOCK);
    fcntl(t->master, F_SETFD, FD_CLOEXEC);
    fcntl(t->notify, F_SETFD, FD_CLOEXEC);
    t->vt = vterm_new(rows, cols);
    vterm_set_utf8(t->vt, 1);
    vterm_output_set_callback(t->vt, vterm_output, t);
    t->screen = vterm_obtain_screen(t->vt);
    vterm_screen_enable_altscreen(t->screen, 1);
    vterm_screen_reset(t->screen, 1);
    return t;
}

int term_send_bytes(struct term *t, const void *bytes, size_t len)
{
    const char *p = bytes;
    while (len > 0) {
        ssize_t n = write(t->master, p, len);
        if (n < 0 && errno == EAGAIN) {
            term_pump(t, 5);
            continue;
        }
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int term_send(struct term *t, const char *keys)
{
    return term_send_bytes(t, keys, strlen(keys));
}

static void keep_raw(struct term *t, const unsigned char *buf, size_t n)
{
    if (t->raw_len + n > t->raw_cap) {
        size_t cap = t->raw_cap ? t->raw_cap * 2 : 65536;
        while (cap < t->raw_len + n)
            cap *= 2;
        unsigned char *p = realloc(t->raw, cap);
        if (!p)
            abort();
        t->raw = p;
        t->raw_cap = cap;
    }
    memcpy(t->raw + t->raw_len, buf, n);
    t->raw_len += n;
}

static void drain_notify(struct term *t)
{
    char buf[64];
    ssize_t n;
    while ((n = read(t->notify, buf, sizeof buf)) > 0)
        t->frames += n;
}

/* One read() from the master, if ready; returns bytes, 0 if none, -1 on EOF. */
static long read_once(struct term *t)
{
    unsigned char buf[16384];
    ssize_t n = read(t->master, buf, sizeof buf);
    if (n > 0) {
        keep_raw(t, buf, (size_t)n);
        t->bytes += (size_t)n;
        t->reads++;
        vterm_input_write(t->vt, (const char *)buf, (size_t)n);
        return n;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    return -1; /* EIO: the slave side is closed */
}

long term_pump(struct term *t, int timeout_ms)
{
    double deadline = term_now_ms() + timeout_ms;
    long total = 0;
    for (;;) {
        int left = (int)(deadline - term_now_ms());
        struct pollfd p[2] = {{t->master, POLLIN, 0}, {t->notify, POLLIN, 0}};
        int r = poll(p, 2, total > 0 ? 0 : (left > 0 ? left : 0));
        if (r < 0 && errno == EINTR)
            continue;
        if (p[1].revents)
            drain_notify(t);
        if (r <= 0 || !(p[0].revents & (POLLIN | POLLHUP)))
            return total;
        long n = read_once(t);
        if (n < 0)
            return total > 0 ? total : -1;
        total += n;
    }
}

void term_settle(struct term *t, int quiet_ms, int timeout_ms)
{
    double deadline = term_now_ms() + timeout_ms;
    double quiet_since = term_now_ms();
    while (term_now_ms() < deadline) {
        long n = term_pump(t, quiet_ms / 4 + 1);
        if (n < 0)
            return;
        if (n > 0)
            quiet_since = term_now_ms();
        else if (term_now_ms() - quiet_since >= quiet_ms)
            return;
    }
}

bool term_wait_frame(struct term *t, int timeout_ms)
{
    long before = t->frames;
    double deadline = term_now_ms() + timeout_ms;
    while (t->frames == before) {
        int left = (int)(deadline - term_now_ms());
        if (left <= 0)
            return false;
        if (term_pump(t, left) < 0 && t->frames == before)
            return false;
    }
    /* The frame's write() happened before the notification: take it all. */
    while (term_pump(t, 0) > 0)
        ;
    return true;
}

long term_frames(const struct term *t)
{
    return t->frames;
}

static size_t put_utf8(char *out, uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Row text into buf; colmap[i] = display column of byte i (if colmap). */
static size_t row_text(struct term *t, int row, char *buf, size_t size, int *colmap)
{
    size_t len = 0, keep = 0;
    for (int col = 0; col < t->cols && len + 32 < size; col++) {
        VTermScreenCell cell;
        VTermPos pos = {.row = row, .col = col};
        size_t start = len;
        if (!vterm_screen_get_cell(t->screen, pos, &cell))
            continue;
        if (cell.chars[0] == 0 || cell.chars[0] == (uint32_t)-1) {
            if (cell.chars[0] == 0)
                buf[len++] = ' ';
        } else {
            for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i]; i++)
                len += put_utf8(buf + len, cell.chars[i]);
            keep = len;
        }
        if (colmap)
            for (size_t i = start; i < len; i++)
                colmap[i] = col;
        if (cell.chars[0] != 0 && cell.chars[0] != (uint32_t)-1 && cell.width == 2)
            col++;
    }
    buf[keep] = '\0';
    return keep;
}

const char *term_row(struct term *t, int row)
{
    row_text(t, row, t->line, sizeof t->line, NULL);
    return t->line;
}

const char *term_screen(struct term *t)
{
    size_t cap = (size_t)t->rows * ((size_t)t->cols * 8 + 2) + 1, len = 0;
    free(t->text);
    t->text = malloc(cap);
    if (!t->text)
        abort();
    for (int r = 0; r < t->rows; r++) {
        len += row_text(t, r, t->text + len, cap - len, NULL);
        t->text[len++] = '\n';
    }
    t->text[len] = '\0';
    return t->text;
}

bool term_contains(struct term *t, const char *text)
{
    return strstr(term_screen(t), text) != NULL;
}

int term_find_row(struct term *t, const char *text)
{
    for (int r = 0; r < t->rows; r++)
        if (strstr(term_row(t, r), text))
            return r;
    return -1;
}

int term_col_of(struct term *t, int row, const char *text)
{
    static int colmap[4096];
    row_text(t, row, t->line, sizeof t->line, colmap);
    const char *p = strstr(t->line, text);
    return p ? colmap[p - t->line] : -1;
}

void term_cell_attr(struct term *t, int row, int col, struct term_cell_attr *out)
{
    VTermScreenCell cell;
    VTermPos pos = {.row = row, .col = col};
    memset(out, 0, sizeof *out);
    out->fg = out->bg = -1;
    if (!vterm_screen_get_cell(t->screen, pos, &cell))
        return;
    out->bold = cell.attrs.bold;
    out->reverse = cell.attrs.reverse;
    out->underline = cell.attrs.underline != 0;
    if (VTERM_COLOR_IS_INDEXED(&cell.fg) && !VTERM_COLOR_IS_DEFAULT_FG(&cell.fg))
        out->fg = cell.fg.indexed.idx;
    if (VTERM_COLOR_IS_INDEXED(&cell.bg) && !VTERM_COLOR_IS_DEFAULT_BG(&cell.bg))
        out->bg = cell.bg.indexed.idx;
}

int term_cell_width(struct term *t, int row, int col)
{
    VTermScreenCell cell;
    VTermPos pos = {.row = row, .col = col};
    if (!vterm_screen_get_cell(t->screen, pos, &cell))
        return 1;
    if (cell.chars[0] == (uint32_t)-1)
        return 0;
    return cell.width;
}

uint32_t term_cell_char(struct term *t, int row, int col)
{
    VTermScreenCell cell;
    VTermPos pos = {.row = row, .col = col};
    if (!vterm_screen_get_cell(t->screen, pos, &cell) || cell.chars[0] == 0)
        return ' ';
    if (cell.chars[0] == (uint32_t)-1)
        return 0;
    return cell.chars[0];
}

void term_cursor(struct term *t, int *row, int *col)
{
    VTermPos pos;
    vterm_state_get_cursorpos(vterm_obtain_state(t->vt), &pos);
    *row = pos.row;
    *col = pos.col;
}

void term_size(const struct term *t, int *rows, int *cols)
{
    *rows = t->rows;
    *cols = t->cols;
}

void term_dump(struct term *t, const char *title)
{
    fprintf(stderr, "# ---- %s (%dx%d) ----\n", title, t->cols, t->rows);
    for (int r = 0; r < t->rows; r++)
        fprintf(stderr, "# %2d|%s\n", r, term_row(t, r));
}

bool term_wait_for(struct term *t, const char *text, int timeout_ms)
{
    double deadline = term_now_ms() + timeout_ms;
    for (;;) {
        if (term_contains(t, text))
            return true;
        int left = (int)(deadline - term_now_ms());
        if (left <= 0)
            return false;
        if (term_pump(t, left < 50 ? left : 50) < 0 && !term_contains(t, text))
            return false;
    }
}

bool term_wait_gone(struct term *t, const char *text, int timeout_ms)
{
    double deadline = term_now_ms() + timeout_ms;
    for (;;) {
        if (!term_contains(t, text))
            return true;
        int left = (int)(deadline - term_now_ms());
        if (left <= 0)
            return false;
        if (term_pump(t, left < 50 ? left : 50) < 0)
            return !term_contains(t, text);
    }
}

size_t term_bytes(const struct term *t)
{
    return t->bytes;
}

long term_reads(const struct term *t)
{
    return t->reads;
}

void term_reset_counters(struct term *t)
{
    t->bytes = 0;
    t->reads = 0;
}

const unsigned char *term_raw(const struct term *t, size_t *len)
{
    *len = t->raw_len;
    return t->raw;
}

int term_resize(struct term *t, int rows, int cols)
{
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    term_pump(t, 0);
    if (ioctl(t->master, TIOCSWINSZ, &ws) != 0)
        return -1;
    t->rows = rows;
    t->cols = cols;
    vterm_set_size(t->vt, rows, cols);
    return 0;
}

int term_signal(struct term *t, int sig)
{
    return kill(t->pid, sig);
}

pid_t term_pid(const struct term *t)
{
    return t->pid;
}

int term_wait_exit(struct term *t, int timeout_ms)
{
    double deadline = term_now_ms() + timeout_ms;
    if (t->exited)
        return t->exited_status;
    for (;;) {
        int status;
        pid_t r = waitpid(t->pid, &status, WNOHANG);
        if (r == t->pid) {
            t->exited = true;
            t->exited_status = status;
            while (term_pump(t, 0) > 0)
                ;
            return status;
        }
        if (term_now_ms() > deadline)
            return -1;
        term_pump(t, 10);
    }
}

void term_free(struct term *t)
{
    if (!t)
        return;
    if (!t->exited) {
        kill(t->pid, SIGKILL);
        waitpid(t->pid, NULL, 0);
    }
    close(t->master);
    close(t->notify);
    vterm_free(t->vt);
    free(t->raw);
    free(t->text);
    free(t);
}

/* --- fdesk-sim --- */

int sim_start(struct sim *s, const char *sim_path, int port, const char *const extra[])
{
    const char *argv[40];
    char portbuf[16];
    int n = 0, out[2];
    snprintf(portbuf, sizeof portbuf, "%d", port > 0 ? port : 0);
    argv[n++] = sim_path;
    argv[n++] = "--port";
    argv[n++] = portbuf;
    for (int i = 0; extra && extra[i] && n < 38; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    memset(s, 0, sizeof *s);
    if (pipe(out) != 0)
        return -1;
    s->pid = fork();
    if (s->pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        execv(sim_path, (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    char line[256];
    size_t len = 0;
    double deadline = term_now_ms() + 20000;
    while (len + 1 < sizeof line && term_now_ms() < deadline) {
        struct pollfd p = {out[0], POLLIN, 0};
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t r = read(out[0], line + len, 1);
        if (r <= 0)
            break;
        if (line[len] == '\n')
            break;
        len++;
    }
    line[len] = '\0';
    /* Kept open (not read) so a later line cannot kill it with SIGPIPE. */
    s->out_fd = out[0];
    const char *p = strstr(line, "http://127.0.0.1:");
    if (!p) {
        fprintf(stderr, "# fdesk-sim did not print its address (got '%s')\n", line);
        sim_stop(s);
        return -1;
    }
    s->port = atoi(p + strlen("http://127.0.0.1:"));
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", s->port);
    return 0;
}

void sim_stop(struct sim *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        double deadline = term_now_ms() + 3000;
        while (waitpid(s->pid, NULL, WNOHANG) == 0) {
            if (term_now_ms() > deadline) {
                kill(s->pid, SIGKILL);
                waitpid(s->pid, NULL, 0);
                break;
            }
            usleep(5000);
        }
    }
    s->pid = 0;
    if (s->out_fd > 0)
        close(s->out_fd);
    s->out_fd = -1;
}

static int read_http_response(int fd, char **body_out)
{
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return -1;
    for (;;) {
        if (len + 4096 > cap) {
            char *p = realloc(buf, cap *= 2);
            if (!p) {
                free(buf);
                return -1;
            }
            buf = p;
        }
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    int status = -1;
    if (sscanf(buf, "HTTP/%*s %d", &status) != 1)
        status = -1;
    if (body_out) {
        char *body = strstr(buf, "\r\n\r\n");
        *body_out = strdup(body ? body + 4 : "");
    }
    free(buf);
    return status;
}

int sim_http(const struct sim *s, const char *method, const char *path, const char *json_body,
             char **body_out)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    const char *body = json_body ? json_body : "";
    char head[1024];
    /* Basic auth with the simulator's default key ("sim-api-key:X"). */
    int hl = snprintf(head, sizeof head,
                      "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                      "Authorization: Basic c2ltLWFwaS1rZXk6WA==\r\n"
                      "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                      method, path, strlen(body));
    if (write(fd, head, (size_t)hl) != hl ||
        write(fd, body, strlen(body)) != (ssize_t)strlen(body)) {
        close(fd);
        return -1;
    }
    int status = read_http_response(fd, body_out);
    close(fd);
    return status;
}

/* --- environment --- */

static void env_put(struct test_env *e, char *var)
{
    size_t nlen = strcspn(var, "=");
    for (int i = 0; i < e->count; i++)
        if (strncmp(e->vars[i], var, nlen + 1) == 0) {
            free(e->vars[i]);
            e->vars[i] = var;
            return;
        }
    if (e->count + 1 < (int)(sizeof e->vars / sizeof e->vars[0])) {
        e->vars[e->count++] = var;
        e->vars[e->count] = NULL;
    } else {
        free(var);
    }
}

void test_env_set(struct test_env *e, const char *name, const char *value)
{
    size_t len = strlen(name) + strlen(value) + 2;
    char *v = malloc(len);
    if (!v)
        abort();
    snprintf(v, len, "%s=%s", name, value);
    env_put(e, v);
}

int test_env_init(struct test_env *e)
{
    static const char *const sub[] = {"home", "config", "cache", "state", "data"};
    static const char *const var[] = {"HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                                      "XDG_DATA_HOME"};
    memset(e, 0, sizeof *e);
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(e->dir, sizeof e->dir, "%s/fdesk-e2e-XXXXXX", tmp);
    if (!mkdtemp(e->dir))
        return -1;
    for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", e->dir, sub[i]);
        mkdir(path, 0700);
        test_env_set(e, var[i], path);
    }
    test_env_set(e, "TERM", "xterm-256color");
    test_env_set(e, "LANG", "C.UTF-8");
    test_env_set(e, "ESCDELAY", "25");
    test_env_set(e, "PATH", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    test_env_set(e, "FDESK_NOTIFY_FD", "3");
    /* Sanitizer settings pass through so an ASan build reports as configured. */
    const char *keep[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TMPDIR"};
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        if (getenv(keep[i]))
            test_env_set(e, keep[i], getenv(keep[i]));
    return 0;
}

const char *const *test_env_vars(const struct test_env *e)
{
    return (const char *const *)e->vars;
}

void test_env_free(struct test_env *e)
{
    for (int i = 0; i < e->count; i++)
        free(e->vars[i]);
    e->count = 0;
    if (e->dir[0]) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "# could not remove %s\n", e->dir);
    }
    e->dir[0] = '\0';
}
