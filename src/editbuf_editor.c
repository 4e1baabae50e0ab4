/* editbuf_editor.c: hands the editor's text to the agent's own $VISUAL or
 * $EDITOR through a private temporary file in the state directory, and takes
 * the result back as one undo step. */
#include "src/editbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    size_t cap = 4096, len = 0, n;
    char *buf = f ? malloc(cap) : NULL;

    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) {
                free(buf);
                buf = NULL;
            } else {
                buf = grown;
            }
        }
    }
    if (buf)
        buf[len] = '\0';
    if (f)
        fclose(f);
    return buf;
}

/* Runs `sh -c 'EDITOR "$1"' sh PATH` and waits; returns the wait status or -1. */
static int run(const char *editor, const char *path)
{
    char cmd[1024];
    int status;
    pid_t pid;

    snprintf(cmd, sizeof cmd, "%s \"$1\"", editor);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return status;
}

int editbuf_run_editor(struct editbuf *b, const char *editor, const char *dir, char *err,
                       size_t errsize)
{
    char path[4096];
    int fd, status, rc = -1;

    if (!editor || !*editor)
        editor = getenv("VISUAL");
    if (!editor || !*editor)
        editor = getenv("EDITOR");
    if (!editor || !*editor)
        editor = "vi";
    if ((size_t)snprintf(path, sizeof path, "%s/fdesk-edit-XXXXXX.txt", dir) >= sizeof path) {
        snprintf(err, errsize, "the state directory path is too long");
        return -1;
    }
    fd = mkstemps(path, 4); /* mode 0600 */
    if (fd < 0) {
        snprintf(err, errsize, "cannot create a file for the editor in %s: %s", dir,
                 strerror(errno));
        return -1;
    }
    fchmod(fd, 0600);
    if (write_all(fd, b->text, b->len) != 0 || close(fd) != 0) {
        snprintf(err, errsize, "cannot write %s: %s", path, strerror(errno));
        unlink(path);
        return -1;
    }
    status = run(editor, path);
    if (status < 0) {
        snprintf(err, errsize, "cannot start the editor '%s': %s", editor, strerror(errno));
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errsize, "the editor '%s' %s %d; your text is unchanged", editor,
                 WIFEXITED(status) ? "exited with status" : "was stopped by signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        rc = 0;
    } else {
        char *text = read_file(path);
        if (!text)
            snprintf(err, errsize, "cannot read back %s: %s", path, strerror(errno));
        else if (strcmp(text, b->text) == 0)
            rc = 1; /* saved unchanged: nothing to undo */
        else
            rc = editbuf_replace_all(b, text) == 0 ? 1 : -1;
        if (rc < 0 && text)
            snprintf(err, errsize, "out of memory");
        free(text);
    }
    unlink(path);
    return rc;
}
