/* outbox_attach.c: private, durable copies of the files attached to a queued
 * reply or note, under the state directory's attachments/MARKER/N/NAME, so
 * what is sent is what the agent attached even if the originals change. */
#include "src/outbox.h"
#include "src/log.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* state_dir/attachments/MARKER into buf. */
static int item_dir(struct state_db *st, const char *marker, char *buf, size_t size)
{
    const char *slash = strrchr(st->path, '/');
    int dirlen = slash ? (int)(slash - st->path) : 1;
    const char *dir = slash ? st->path : ".";
    return (size_t)snprintf(buf, size, "%.*s/attachments/%s", dirlen, dir, marker) < size ? 0 : -1;
}

static int sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Copies src to dst (new file, 0600) and syncs it to disk. */
static int copy_file(const char *src, const char *dst)
{
    char buf[65536];
    int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
    ssize_t n;

    if (in < 0)
        return -1;
    out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    while (out >= 0 && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto done;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                goto done;
            off += w;
        }
    }
    rc = out >= 0 && fsync(out) == 0 ? 0 : -1;
done:
    close(in);
    if (out >= 0 && close(out) != 0)
        rc = -1;
    return rc;
}

/* Checks every file and their total size. */
static int check_files(const char *const *paths, size_t count, char *err, size_t errsize)
{
    long long total = 0;
    struct stat sb;

    for (size_t i = 0; i < count; i++) {
        if (stat(paths[i], &sb) != 0 || access(paths[i], R_OK) != 0) {
            snprintf(err, errsize, "cannot attach %s: %s", paths[i], strerror(errno));
            return -1;
        }
        if (!S_ISREG(sb.st_mode)) {
            snprintf(err, errsize, "cannot attach %s: not a regular file", paths[i]);
            return -1;
        }
        total += sb.st_size;
    }
    if (total > OUTBOX_MAX_ATTACHMENT_BYTES) {
        snprintf(err, errsize,
                 "the attachments add up to %.1f MB; Freshdesk accepts at most 20 MB per message",
                 (double)total / (1024.0 * 1024.0));
        return -1;
    }
    return 0;
}

cJSON *outbox_attach_store(struct state_db *st, const char *marker, const char *const *paths,
                           size_t count, char *err, size_t errsize)
{
    char dir[4096], sub[4200], dst[4400];
    cJSON *list;

    if (check_files(paths, count, err, errsize) != 0)
        return NULL;
    if (item_dir(st, marker, dir, sizeof dir) != 0 || !(list = cJSON_CreateArray())) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    snprintf(sub, sizeof sub, "%.*s", (int)(strrchr(dir, '/') - dir), dir);
    if ((mkdir(sub, 0700) != 0 && errno != EEXIST) || mkdir(dir, 0700) != 0)
        goto fail;
    for (size_t i = 0; i < count; i++) {
        char *copy = strdup(paths[i]);
        if (!copy)
            goto fail;
        snprintf(sub, sizeof sub, "%s/%zu", dir, i);
        snprintf(dst, sizeof dst, "%s/%s", sub, basename(copy));
        free(copy);
        if (mkdir(sub, 0700) != 0 || copy_file(paths[i], dst) != 0 || sync_dir(sub) != 0)
            goto fail;
        cJSON_AddItemToArray(list, cJSON_CreateString(dst));
    }
    if (sync_dir(dir) != 0)
        goto fail;
    return list;
fail:
    snprintf(err, errsize, "cannot keep a copy of the attachments in %s: %s", dir, strerror(errno));
    cJSON_Delete(list);
    outbox_attach_remove(st, marker);
    return NULL;
}

/* rm -r of a directory made by outbox_attach_store (two levels of files). */
static void remove_tree(const char *path, int depth)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char child[4400];

    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        if (depth > 0 && e->d_type == DT_DIR)
            remove_tree(child, depth - 1);
        else
            unlink(child);
    }
    if (d)
        closedir(d);
    rmdir(path);
}

void outbox_attach_remove(struct state_db *st, const char *marker)
{
    char dir[4096];

    if (marker && *marker && item_dir(st, marker, dir, sizeof dir) == 0 && access(dir, F_OK) == 0)
        remove_tree(dir, 1);
}
