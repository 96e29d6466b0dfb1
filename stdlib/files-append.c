/* files-append.c — append_line and append_csv (std/files.df): the writers
 * a flow can call, since a flow holds no state to keep a file open in.
 * Each call opens the file with O_APPEND, writes its bytes with one
 * write (2) and closes it, so what a call wrote is in the file when it
 * returns, and the lines of concurrent writers (several tasks, several
 * processes) never mix within a line: O_APPEND moves to the end and
 * writes in one step. */
#include "dfstd.h"
#include "csv.h"
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

/* Fails with errno's message, naming @path. */
static gboolean
fail_errno (const char *path, int saved_errno, GError **error)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "cannot append to %s: %s", path, g_strerror (saved_errno));
  return FALSE;
}

/* Opens @path for appending, creating it (mode 0666 less the umask). */
static int
open_append (const char *path, GError **error)
{
  int fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0)
    fail_errno (path, errno, error);
  return fd;
}

/* Writes all of @data to @fd.  One write (2) writes it all on a local
 * file; the loop only resumes after a signal or a short write (a full
 * disk reports itself at the next write). */
static gboolean
write_all (int fd, const char *path, const char *data, gsize len, GError **error)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return fail_errno (path, errno, error);
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Closes @fd; on NFS a close can report a failed write, so it counts. */
static gboolean
close_fd (int fd, const char *path, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (g_close (fd, &local))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot append to %s: %s", path,
               local->message);
  return FALSE;
}

/* Appends @data to @path in one write: open, write, close. */
static gboolean
append_bytes (const char *path, const char *data, gsize len, GError **error)
{
  int fd = open_append (path, error);
  if (fd < 0)
    return FALSE;
  if (!write_all (fd, path, data, len, error))
    {
      g_close (fd, NULL);
      return FALSE;
    }
  return close_fd (fd, path, error);
}

/* The line is written whole or not at all as far as this call can tell:
 * the bytes are not a wait on anything but the file system, so the call
 * does not look at its cancellable, and a line that reached the stage is
 * never half-written by a drain. */
DFSTD_API gboolean
append_line (DfContext *ctx, char *line, const char *path, GError **error)
{
  g_autoptr (GString) text = g_string_new (line);
  g_string_append_c (text, '\n');
  return append_bytes (path, text->str, text->len, error);
}

/* Whether the file open at @fd holds no bytes. */
static gboolean
is_empty (int fd, const char *path, gboolean *empty, GError **error)
{
  struct stat st;
  if (fstat (fd, &st) < 0)
    return fail_errno (path, errno, error);
  *empty = st.st_size == 0;
  return TRUE;
}

/* Writes the header (when the file is empty) and the row in one write,
 * holding an exclusive flock (2) from the size check to the write: two
 * writers that both found the file empty would each write a header.  The
 * lock is advisory, so it orders append_csv calls (of any task or
 * process) among themselves; it is released by the close. */
static gboolean
append_row (int fd, GStrv record, const char *path, const char *header, GError **error)
{
  while (flock (fd, LOCK_EX) < 0)
    if (errno != EINTR)
      return fail_errno (path, errno, error);
  gboolean empty = FALSE;
  if (!is_empty (fd, path, &empty, error))
    return FALSE;
  g_autoptr (GString) text = g_string_new (NULL);
  if (empty && header[0] != '\0')
    dfstd_csv_append_header (text, header);
  dfstd_csv_append_row (text, (const char *const *) record, g_strv_length (record));
  return write_all (fd, path, text->str, text->len, error);
}

DFSTD_API gboolean
append_csv (DfContext *ctx, GStrv record, const char *path, const char *header, GError **error)
{
  /* A bad record is refused before the file is touched: it writes
   * nothing, and creates no file. */
  if (!dfstd_csv_check_record ((const char *const *) record, path, header, error))
    return FALSE;
  int fd = open_append (path, error);
  if (fd < 0)
    return FALSE;
  if (!append_row (fd, record, path, header, error))
    {
      g_close (fd, NULL);
      return FALSE;
    }
  return close_fd (fd, path, error);
}
