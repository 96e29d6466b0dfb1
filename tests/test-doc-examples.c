/* test-doc-examples.c — the transcripts of docs/diagnostics.md (and of
 * README.md) are true.
 *
 * A page pairs each example with what dfc prints for it:
 *
 *   ```            a fenced block: the whole of NAME.df
 *   ...
 *   ```
 *   ```            the next bare fenced block, right after it: a transcript
 *   $ dfc NAME.df  whose first line is a `$ dfc ... NAME.df` command
 *   ...            and whose other lines are what the commands print
 *   ```
 *
 * A transcript may also start with another command that makes the file
 * itself (`$ printf '...' > NAME.df`, for bytes a page cannot show); it
 * then follows no example.  Each case writes the example into a fresh
 * directory, runs every `$ ` line there with /bin/sh — `dfc` being the
 * binary under test, standard error merged into standard output — and
 * compares what they print with the transcript's other lines.
 *
 * A section `## \`CODE\`` must show at least one transcript, and every
 * diagnostic in its transcripts must be CODE: an example that draws an
 * unrelated diagnostic (a graph named `g` is reserved, say) fails here.
 */
#include <gio/gio.h>
#include <string.h>
#include "dfc-run.h"
#include "scratch-dir.h"

typedef struct {
  const char *page;  /* docs/diagnostics.md, README.md */
  gboolean bare;     /* a fence with no language tag */
  guint line;        /* of the opening fence, from 1 */
  guint end_line;    /* of the closing fence */
  char *text;        /* the lines between the fences, each ending in '\n' */
  char *section;     /* the CODE of the enclosing `## \`CODE\``, or NULL */
} Block;

static void
block_free (gpointer data)
{
  Block *b = data;
  g_free (b->text);
  g_free (b->section);
  g_free (b);
}

/* `## \`CODE\`` → CODE; any other heading → NULL. */
static char *
section_code (const char *heading)
{
  if (!g_str_has_prefix (heading, "## `") || !g_str_has_suffix (heading, "`"))
    return NULL;
  return g_strndup (heading + 4, strlen (heading) - 5);
}

/* A page: its fenced blocks and its code sections, in order. */
typedef struct {
  const char *name;
  GPtrArray *blocks;       /* of Block */
  GPtrArray *sections;     /* of char *: each `## \`CODE\``'s CODE */
} Page;

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->blocks);
  g_ptr_array_unref (page->sections);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

static Page *
parse_page (const char *name, const char *doc)
{
  Page *page = g_new0 (Page, 1);
  page->name = name;
  page->blocks = g_ptr_array_new_with_free_func (block_free);
  page->sections = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = g_strsplit (doc, "\n", -1);
  g_autofree char *section = NULL;
  Block *open = NULL;
  GString *text = NULL;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      if (open == NULL && g_str_has_prefix (line, "## "))
        {
          g_free (section);
          section = section_code (line);
          if (section != NULL)
            g_ptr_array_add (page->sections, g_strdup (section));
        }
      else if (g_str_has_prefix (line, "```") && open == NULL)
        {
          open = g_new0 (Block, 1);
          open->page = name;
          open->bare = strcmp (line, "```") == 0;
          open->line = i + 1;
          text = g_string_new (NULL);
          open->section = g_strdup (section);
        }
      else if (g_str_has_prefix (line, "```"))
        {
          open->end_line = i + 1;
          open->text = g_string_free (text, FALSE);
          g_ptr_array_add (page->blocks, open);
          open = NULL;
        }
      else if (open != NULL)
        g_string_append_printf (text, "%s\n", line);
    }
  if (open != NULL)
    g_error ("%s:%u: a fence that is never closed", name, open->line);
  return page;
}

static gboolean
is_transcript (const Block *b)
{
  return b->bare && g_str_has_prefix (b->text, "$ ");
}

/* The NAME.df a transcript's first command works on, or NULL. */
static char *
transcript_file (const Block *b)
{
  const char *end = strchr (b->text, '\n');
  g_autofree char *command = g_strndup (b->text + 2, end - b->text - 2);
  g_auto (GStrv) words = g_strsplit (command, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (g_str_has_suffix (words[i], ".df") && strchr (words[i], '/') == NULL)
      return g_strdup (words[i]);
  return NULL;
}

typedef struct {
  const Block *example;     /* NULL when the transcript makes its file */
  const Block *transcript;
  char *file;
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;
  g_free (c->file);
  g_free (c);
}

/* What `command` prints, run by /bin/sh in `dir`, `dfc` meaning $DFC. */
static char *
run_command (const char *dir, const char *command)
{
  g_autofree char *script = g_strconcat ("dfc () { \"$DFC\" \"$@\"; }\n", command, NULL);
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_setenv (launcher, "DFC", dfc_path (), TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  char *out = NULL;
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  /* A transcript is text: bytes that are not UTF-8 fail here (a page
   * shows them through `cat -v`). */
  g_assert_no_error (error);
  return out != NULL ? out : g_strdup ("");
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dfc-doc-XXXXXX", &error);
  g_assert_no_error (error);
  if (c->example != NULL)
    {
      g_autofree char *path = g_build_filename (dir, c->file, NULL);
      g_file_set_contents (path, c->example->text, -1, &error);
      g_assert_no_error (error);
    }

  g_autoptr (GString) expected = g_string_new (NULL);
  g_autoptr (GString) actual = g_string_new (NULL);
  g_auto (GStrv) lines = g_strsplit (c->transcript->text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    if (g_str_has_prefix (lines[i], "$ "))
      {
        g_autofree char *out = run_command (dir, lines[i] + 2);
        g_string_append (actual, out);
      }
    else
      g_string_append_printf (expected, "%s\n", lines[i]);
  scratch_remove (dir);

  if (strcmp (actual->str, expected->str) != 0)
    g_test_message ("%s:%u: the transcript of %s is stale; dfc now prints:\n%s",
                    c->transcript->page, c->transcript->line, c->file, actual->str);
  g_assert_cmpstr (actual->str, ==, expected->str);
}

/* The code of a diagnostic line `FILE:L:C: error: ... [CODE]`, or NULL. */
static char *
diagnostic_code (const char *line)
{
  if (strstr (line, ": error: ") == NULL && strstr (line, ": warning: ") == NULL)
    return NULL;
  const char *open = strrchr (line, '[');
  if (open == NULL || !g_str_has_suffix (open, "]") || open[1] == '-')
    return NULL;        /* none, or `[-ferror-limit=N]` */
  return g_strndup (open + 1, strlen (open) - 2);
}

/* In section `code`, the transcripts' diagnostics are all `code`; the
 * number of transcripts the section shows. */
static guint
check_section (const Page *page, const char *code)
{
  guint transcripts = 0;
  for (guint i = 0; i < page->blocks->len; i++)
    {
      const Block *b = page->blocks->pdata[i];
      if (!is_transcript (b) || g_strcmp0 (b->section, code) != 0)
        continue;
      transcripts++;
      g_auto (GStrv) lines = g_strsplit (b->text, "\n", -1);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          g_autofree char *shown = diagnostic_code (lines[j]);
          if (shown != NULL && strcmp (shown, code) != 0)
            {
              g_test_message ("%s:%u: section '%s' shows a [%s]: %s",
                              page->name, b->line + 1 + j, code, shown, lines[j]);
              g_test_fail ();
            }
        }
    }
  return transcripts;
}

/* Each code's section shows a transcript, and only diagnostics of its code. */
static void
test_sections (gconstpointer data)
{
  const Page *page = data;
  g_assert_cmpuint (page->sections->len, >, 0);
  for (guint i = 0; i < page->sections->len; i++)
    {
      const char *code = page->sections->pdata[i];
      if (check_section (page, code) == 0)
        {
          g_test_message ("%s: section '%s' shows no '$ dfc' transcript", page->name, code);
          g_test_fail ();
        }
    }
}

/* One case per transcript; a transcript that is not well formed fails. */
static GPtrArray *
collect_cases (const Page *page)
{
  const GPtrArray *blocks = page->blocks;
  GPtrArray *cases = g_ptr_array_new_with_free_func (case_free);
  for (guint i = 0; i < blocks->len; i++)
    {
      const Block *b = blocks->pdata[i];
      if (!is_transcript (b))
        continue;
      Case *c = g_new0 (Case, 1);
      c->transcript = b;
      c->file = transcript_file (b);
      const Block *before = i > 0 ? blocks->pdata[i - 1] : NULL;
      if (g_str_has_prefix (b->text, "$ dfc "))
        c->example = before;
      if (c->file == NULL)
        g_error ("%s:%u: the transcript's first command names no FILE.df", b->page, b->line);
      if (g_str_has_prefix (b->text, "$ dfc ")
          && (before == NULL || is_transcript (before) || before->end_line + 1 != b->line))
        g_error ("%s:%u: a '$ dfc' transcript must follow its example's block", b->page, b->line);
      g_ptr_array_add (cases, c);
    }
  if (cases->len == 0)
    g_error ("%s: no transcript found", page->name);
  return cases;
}

/* The page `name` (a path in the source tree). */
static Page *
read_page (const char *name)
{
  g_autofree char *path = g_build_filename (dfc_tests_dir (), "..", name, NULL);
  g_autofree char *doc = NULL;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &doc, NULL, &error))
    g_error ("%s", error->message);
  return parse_page (name, doc);
}

/* A test per case, as /doc-examples/GROUP/NAME. */
static void
add_cases (const GPtrArray *cases, const char *group)
{
  for (guint i = 0; i < cases->len; i++)
    {
      const Case *c = cases->pdata[i];
      g_autofree char *name = g_strndup (c->file, strlen (c->file) - 3);
      g_autofree char *test = g_strdup_printf ("/doc-examples/%s/%s", group, name);
      g_test_add_data_func (test, c, run_case);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (Page) diagnostics = read_page ("docs/diagnostics.md");
  g_autoptr (Page) readme = read_page ("README.md");
  g_autoptr (GPtrArray) diagnostics_cases = collect_cases (diagnostics);
  g_autoptr (GPtrArray) readme_cases = collect_cases (readme);
  /* Report every stale transcript in one run, not just the first. */
  g_test_set_nonfatal_assertions ();
  add_cases (diagnostics_cases, "diagnostics");
  add_cases (readme_cases, "README");
  g_test_add_data_func ("/doc-examples/diagnostics/sections", diagnostics, test_sections);
  return g_test_run ();
}
