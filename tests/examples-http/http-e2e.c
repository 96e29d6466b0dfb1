/* http-e2e.c — see http-e2e.h. */
#include "http-e2e.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

void
example_run_clear (ExampleRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

GSubprocess *
example_spawn (const char *program, const char *const *args)
{
  const char *path = g_getenv (program);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  GSubprocess *process;

  g_assert_nonnull (path);
  g_ptr_array_add (argv, (gpointer) path);
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  return process;
}

ExampleRun
example_finish (GSubprocess *process)
{
  ExampleRun run = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process))
    g_error ("the example died of signal %d; stderr:\n%s", g_subprocess_get_term_sig (process),
             run.err);
  run.status = g_subprocess_get_exit_status (process);
  return run;
}

ExampleRun
example_run (const char *program, const char *const *args)
{
  g_autoptr (GSubprocess) process = example_spawn (program, args);

  return example_finish (process);
}

/* One field from `*p`, which it moves past the field (not past the comma
 * or CRLF after it). */
static char *
csv_field (const char **p, const char *end, GError **error)
{
  g_autoptr (GString) field = g_string_new (NULL);
  const char *s = *p;

  if (s < end && *s == '"')
    {
      for (s++;; s++)
        {
          if (s == end)
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   "a quoted field is not closed");
              return NULL;
            }
          if (*s == '"' && (s + 1 == end || s[1] != '"'))
            break;
          if (*s == '"')
            s++;
          g_string_append_c (field, *s);
        }
      s++;
    }
  else
    for (; s < end && *s != ',' && *s != '\r' && *s != '\n' && *s != '"'; s++)
      g_string_append_c (field, *s);
  *p = s;
  return g_string_free (g_steal_pointer (&field), FALSE);
}

GPtrArray *
csv_parse (const char *text, gsize length, GError **error)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *p = text, *end = text + length;

  while (p < end)
    {
      g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);

      for (;;)
        {
          char *field = csv_field (&p, end, error);

          if (field == NULL)
            return NULL;
          g_ptr_array_add (fields, field);
          if (p < end && *p == ',')
            {
              p++;
              continue;
            }
          if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
            break;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "record %u does not end in CRLF", records->len + 1);
          return NULL;
        }
      p += 2;
      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (records, g_ptr_array_steal (fields, NULL));
    }
  return g_steal_pointer (&records);
}

GPtrArray *
csv_read (const char *path)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;
  GPtrArray *records;

  g_assert_true (g_file_get_contents (path, &text, &length, &error));
  g_assert_no_error (error);
  records = csv_parse (text, length, &error);
  g_assert_no_error (error);
  return records;
}

NodeStats
stats_of_node (const char *err, const char *node)
{
  g_auto (GStrv) lines = g_strsplit (err, "\n", -1);
  NodeStats found = { 0 };
  gboolean in_table = FALSE, seen = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char name[64];
      guint64 in, out, ok, errs, dropped;

      if (g_str_has_prefix (lines[i], "node "))
        in_table = TRUE;
      if (!in_table
          || sscanf (lines[i], "%63s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                     " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
                     name, &in, &out, &ok, &errs, &dropped) != 6)
        continue;
      g_assert_cmpuint (in, ==, ok + errs + dropped);
      if (strcmp (name, node) == 0)
        {
          found = (NodeStats) { in, ok, errs, dropped };
          seen = TRUE;
        }
    }
  if (!seen)
    g_error ("no row for node '%s' in the --stats table:\n%s", node, err);
  return found;
}

gint64
server_count (TestServer *server, const char *group, const char *name)
{
  g_autoptr (GError) error = NULL;
  guint status = 0;
  g_autoptr (GBytes) body = test_server_get (server, "stats", &status, &error);
  g_autoptr (JsonNode) stats = NULL;
  g_autofree char *text = NULL;
  JsonObject *members;

  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  stats = json_from_string (text, &error);
  g_assert_no_error (error);
  members = json_object_get_object_member (json_node_get_object (stats), group);
  return json_object_get_int_member_with_default (members, name, 0);
}

TestServer *
server_start (const char *const *args)
{
  g_autoptr (GError) error = NULL;
  TestServer *server = test_server_start (args, &error);

  g_assert_no_error (error);
  return server;
}

void
server_stop (TestServer *server)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (test_server_stop (server, &error));
  g_assert_no_error (error);
}

char *
scratch_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("examples-http-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

char *
scratch_path (const char *dir, const char *name)
{
  return g_build_filename (dir, name, NULL);
}

void
scratch_remove (const char *dir)
{
  g_autoptr (GDir) entries = g_dir_open (dir, 0, NULL);
  const char *name;

  while (entries != NULL && (name = g_dir_read_name (entries)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}
