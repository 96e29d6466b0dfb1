/* test-doc-code.c — the C code blocks of README.md and docs/NAME.md
 * compile against the headers dfc generates for the programs they are
 * written against, so a page cannot show a prototype, a struct or a call
 * that the code no longer has.
 *
 * On a page:
 *
 *   ```            the program: the nearest bare fenced block before the
 *   stage ...      C block that is not a transcript (first line `$ `);
 *   ```            dfc must compile it (a bare block that is neither, a
 *                  drawing, is tagged ```text)
 *   ```c           compiled: after `#include "NAME.h"` unless the block
 *   ...            includes it itself
 *   ```
 *   ```c continued compiled after the compiled C blocks before it on
 *   ...            the page (```c, then ```c continued…), as one file:
 *   ```            a walk through one piece of code
 *   ```c fragment  not compiled: a sketch with statements outside a
 *   ...            function or undeclared names; it must NOT compile as
 *   ```            it stands (one that does is tagged ```c)
 *
 * Any other ```c… tag fails.  NAME is the X of the C block's own
 * `#include "X.h"`, else the Y of the program's first line `// Y.df`,
 * else `example`.  A C block with no program before it on its page is
 * compiled after `#include "dfrt.h"`.  Each case writes the program to a
 * fresh directory as NAME.df and runs there
 *
 *   dfc -I SOURCE/stdlib NAME.df -o NAME.c --header NAME.h
 *   $DFC_COMPILE_CC -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter
 *      -Wno-unused-function -Wno-unused-const-variable -c
 *      -I DIR -I SOURCE/runtime $DFC_COMPILE_CFLAGS doc.c
 *
 * The three -Wno-unused flags because a block shows stage code (a stage
 * need not use its context or error, and the project builds its own
 * stage code with -Wno-unused-parameter) and static definitions whose
 * callers are elsewhere.  `-I SOURCE/stdlib` finds std/NAME.df, and
 * $DFC_COMPILE_CFLAGS holds the flags of GIO and, when $DFC_COMPILE_STDLIB
 * is 1, of the standard library's packages (else a block whose program
 * imports std/ is skipped).  /doc-code/rules checks the test itself: a stale
 * block and a fragment that compiles are both caught.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include "dfc-run.h"

typedef struct {
  char *page;        /* README.md, docs/graphs.md */
  char *tag;         /* what follows the opening ``` ("" when bare) */
  guint line;        /* of the opening fence, from 1 */
  char *text;        /* the lines between the fences, each ending in '\n' */
} Block;

static void
block_free (gpointer data)
{
  Block *b = data;
  g_free (b->page);
  g_free (b->tag);
  g_free (b->text);
  g_free (b);
}

/* The fenced blocks of `doc`, in order. */
static GPtrArray *
parse_blocks (const char *page, const char *doc)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func (block_free);
  g_auto (GStrv) lines = g_strsplit (doc, "\n", -1);
  Block *open = NULL;
  GString *text = NULL;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      if (g_str_has_prefix (line, "```") && open == NULL)
        {
          open = g_new0 (Block, 1);
          open->page = g_strdup (page);
          open->tag = g_strstrip (g_strdup (line + 3));
          open->line = i + 1;
          text = g_string_new (NULL);
        }
      else if (g_str_has_prefix (line, "```"))
        {
          open->text = g_string_free (text, FALSE);
          g_ptr_array_add (blocks, open);
          open = NULL;
        }
      else if (open != NULL)
        g_string_append_printf (text, "%s\n", line);
    }
  if (open != NULL)
    g_error ("%s:%u: a fence that is never closed", page, open->line);
  return blocks;
}

static gboolean
is_c (const Block *b)
{
  return strcmp (b->tag, "c") == 0 || g_str_has_prefix (b->tag, "c ");
}

static gboolean
is_program (const Block *b)
{
  return b->tag[0] == '\0' && !g_str_has_prefix (b->text, "$ ");
}

typedef struct {
  const Block *code;
  const Block *program;   /* NULL when the page shows none before it */
  char *name;             /* NAME of NAME.df and NAME.h */
  char *text;             /* what is compiled: the block, after the blocks
                             it continues */
  gboolean orphan;        /* ```c continued, after no compiled block */
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;
  g_free (c->name);
  g_free (c->text);
  g_free (c);
}

/* X of the first `#include "X.h"` of `text` that is not the runtime's,
 * or NULL. */
static char *
included_header (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      if (!g_str_has_prefix (l, "#include \"") || !g_str_has_suffix (l, ".h\""))
        continue;
      const char *start = l + strlen ("#include \"");
      if (!g_str_has_prefix (start, "dfrt"))
        return g_strndup (start, strlen (start) - 3);
    }
  return NULL;
}

/* Y of a first line `// Y.df`, or NULL. */
static char *
named_program (const char *text)
{
  if (!g_str_has_prefix (text, "// "))
    return NULL;
  const char *end = strchr (text, '\n');
  g_autofree char *name = g_strndup (text + 3, end - text - 3);
  if (!g_str_has_suffix (name, ".df") || strchr (name, ' ') != NULL)
    return NULL;
  return g_strndup (name, strlen (name) - 3);
}

static const char *
source_root (void)
{
  const char *root = g_getenv ("DFC_SOURCE_ROOT");
  g_assert_nonnull (root);
  return root;
}

static void
write_file (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* dfc on NAME.df in `dir`; FALSE with its message in `err`. */
static gboolean
run_dfc (const char *dir, const char *name, char **err)
{
  g_autofree char *df = g_strconcat (name, ".df", NULL);
  g_autofree char *c = g_strconcat (name, ".c", NULL);
  g_autofree char *h = g_strconcat (name, ".h", NULL);
  g_autofree char *stdlib = g_build_filename (source_root (), "stdlib", NULL);
  const char *argv[] = { "-I", stdlib, df, "-o", c, "--header", h, NULL };
  DfcResult r;
  dfc_run (dir, argv, NULL, 0, &r);
  gboolean ok = r.status == 0;
  *err = g_strdup (r.err);
  dfc_result_clear (&r);
  return ok;
}

/* The compiler on doc.c in `dir`; FALSE with its messages in `err`. */
static gboolean
run_cc (const char *dir, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) cc = g_strsplit (g_getenv ("DFC_COMPILE_CC"), " ", -1);
  for (guint i = 0; cc[i] != NULL; i++)
    if (cc[i][0] != '\0')
      g_ptr_array_add (argv, g_strdup (cc[i]));
  const char *fixed[] = { "-std=gnu11", "-Wall", "-Wextra", "-Werror",
                          "-Wno-unused-parameter", "-Wno-unused-function",
                          "-Wno-unused-const-variable", "-c", "-o", "doc.o" };
  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_ptr_array_add (argv, g_strdup (fixed[i]));
  g_ptr_array_add (argv, g_strconcat ("-I", dir, NULL));
  g_ptr_array_add (argv, g_strconcat ("-I", source_root (), "/runtime", NULL));
  g_auto (GStrv) cflags = g_strsplit (g_getenv ("DFC_COMPILE_CFLAGS"), " ", -1);
  for (guint i = 0; cflags[i] != NULL; i++)
    if (cflags[i][0] != '\0')
      g_ptr_array_add (argv, g_strdup (cflags[i]));
  g_ptr_array_add (argv, g_strdup ("doc.c"));
  g_ptr_array_add (argv, NULL);

  int wait_status = 0;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, err,
                &wait_status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (wait_status, NULL);
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *entry;
  while (handle != NULL && (entry = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* The line that includes the header the case's C block is written
 * against, unless the block has its own. */
static char *
header_line (const Case *c)
{
  if (c->program == NULL)
    return g_strdup ("#include \"dfrt.h\"\n");
  g_autofree char *own = included_header (c->text);
  return own != NULL ? g_strdup ("") : g_strdup_printf ("#include \"%s.h\"\n", c->name);
}

/* Whether the case's C block compiles; why not in `why`. */
static gboolean
compiles (const Case *c, char **why)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dfc-doc-code-XXXXXX", &error);
  g_assert_no_error (error);
  gboolean ok = TRUE;
  if (c->program != NULL)
    {
      g_autofree char *df = g_strconcat (c->name, ".df", NULL);
      g_autofree char *err = NULL;
      write_file (dir, df, c->program->text);
      ok = run_dfc (dir, c->name, &err);
      if (!ok)
        *why = g_strdup_printf ("dfc rejects the program of %s:%u:\n%s",
                                c->program->page, c->program->line, err);
    }
  if (ok)
    {
      g_autofree char *include = header_line (c);
      g_autofree char *text = g_strconcat (include, c->text, NULL);
      write_file (dir, "doc.c", text);
      ok = run_cc (dir, why);
    }
  remove_dir (dir);
  return ok;
}

/* A program that imports the standard library needs its packages' flags,
 * which a build without it (-Dstdlib=false) does not give. */
static gboolean
skip_without_stdlib (const Case *c)
{
  if (c->program == NULL || strstr (c->program->text, "import \"std/") == NULL
      || g_strcmp0 (g_getenv ("DFC_COMPILE_STDLIB"), "1") == 0)
    return FALSE;
  g_test_skip ("the standard library is not built");
  return TRUE;
}

static void
test_compiled (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *why = NULL;
  if (skip_without_stdlib (c))
    return;
  if (!compiles (c, &why))
    g_test_fail_printf ("%s:%u: the C block does not compile against %s.h "
                        "(fix it, or tag it ```c fragment if it is a sketch):\n%s",
                        c->code->page, c->code->line, c->name, why);
}

static void
test_fragment (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *why = NULL;
  if (skip_without_stdlib (c))
    return;
  if (compiles (c, &why))
    g_test_fail_printf ("%s:%u: the C block tagged 'fragment' compiles: tag it ```c",
                        c->code->page, c->code->line);
}

static void
test_bad_tag (gconstpointer data)
{
  const Case *c = data;
  if (c->orphan)
    g_test_fail_printf ("%s:%u: ```c continued follows no compiled C block",
                        c->code->page, c->code->line);
  else
    g_test_fail_printf ("%s:%u: a C block is ```c, ```c continued or ```c fragment, not ```%s",
                        c->code->page, c->code->line, c->code->tag);
}

/* The pages: README.md and docs/NAME.md, sorted. */
static GPtrArray *
list_pages (void)
{
  GPtrArray *pages = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (pages, g_strdup ("README.md"));
  g_autofree char *docs = g_build_filename (source_root (), "docs", NULL);
  g_autoptr (GDir) dir = g_dir_open (docs, 0, NULL);
  g_assert_nonnull (dir);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (const char *entry; (entry = g_dir_read_name (dir)) != NULL;)
    if (g_str_has_suffix (entry, ".md"))
      g_ptr_array_add (names, g_strconcat ("docs/", entry, NULL));
  g_ptr_array_sort (names, dfc_compare_strings);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (pages, g_strdup (names->pdata[i]));
  return pages;
}

/* A case per C block of `blocks`, each with its program; a ```c
 * continued block is compiled after the compiled blocks before it. */
static void
collect_cases (const GPtrArray *blocks, GPtrArray *cases)
{
  const Block *program = NULL;
  const Case *last = NULL;      /* the last compiled case */
  for (guint i = 0; i < blocks->len; i++)
    {
      const Block *b = blocks->pdata[i];
      if (is_program (b))
        program = b;
      if (!is_c (b))
        continue;
      Case *c = g_new0 (Case, 1);
      c->code = b;
      gboolean continued = strcmp (b->tag, "c continued") == 0;
      c->orphan = continued && last == NULL;
      if (continued && last != NULL)
        {
          c->program = last->program;
          c->name = g_strdup (last->name);
          c->text = g_strconcat (last->text, b->text, NULL);
        }
      else
        {
          c->program = program;
          c->text = g_strdup (b->text);
          c->name = included_header (b->text);
          if (c->name == NULL && program != NULL)
            c->name = named_program (program->text);
          if (c->name == NULL)
            c->name = g_strdup ("example");
        }
      if (strcmp (b->tag, "c") == 0 || (continued && !c->orphan))
        last = c;
      g_ptr_array_add (cases, c);
    }
}

/* The rules on a page made up here: a block that matches the header
 * compiles, a block continuing it sees its definitions, one with a stale
 * prototype does not. */
static void
test_rules (void)
{
  const char *page =
    "```\n"
    "stage measure(page: const char *) -> (bytes: int);\n"
    "flow m(page: const char *) -> (bytes: int) { measure; }\n"
    "```\n"
    "```c\n"
    "static int calls;\n"
    "gboolean measure (DfContext *ctx, const char *page, int *bytes, GError **error)\n"
    "{ *bytes = ++calls; return TRUE; }\n"
    "```\n"
    "```c continued\n"
    "int measure_calls (void) { return calls; }\n"
    "```\n"
    "```c\n"
    "gboolean measure (DfContext *ctx, const char *page, GError **error)\n"
    "{ return TRUE; }\n"
    "```\n";
  g_autoptr (GPtrArray) blocks = parse_blocks ("rules.md", page);
  g_autoptr (GPtrArray) cases = g_ptr_array_new_with_free_func (case_free);
  collect_cases (blocks, cases);
  g_assert_cmpuint (cases->len, ==, 3);
  g_autofree char *why_good = NULL, *why_continued = NULL, *why_stale = NULL;
  g_assert_true (compiles (cases->pdata[0], &why_good));
  g_assert_true (compiles (cases->pdata[1], &why_continued));
  g_assert_false (compiles (cases->pdata[2], &why_stale));
  g_assert_nonnull (strstr (why_stale, "measure"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("DFC_COMPILE_CC"));
  g_assert_nonnull (g_getenv ("DFC_COMPILE_CFLAGS"));
  g_autoptr (GPtrArray) pages = list_pages ();
  g_autoptr (GPtrArray) all_blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GPtrArray) cases = g_ptr_array_new_with_free_func (case_free);
  for (guint i = 0; i < pages->len; i++)
    {
      const char *page = pages->pdata[i];
      g_autofree char *path = g_build_filename (source_root (), page, NULL);
      g_autofree char *doc = NULL;
      g_autoptr (GError) error = NULL;
      if (!g_file_get_contents (path, &doc, NULL, &error))
        g_error ("%s", error->message);
      GPtrArray *blocks = parse_blocks (page, doc);
      g_ptr_array_add (all_blocks, blocks);
      collect_cases (blocks, cases);
    }
  /* Report every stale block in one run, not just the first. */
  g_test_set_nonfatal_assertions ();
  g_test_add_func ("/doc-code/rules", test_rules);
  for (guint i = 0; i < cases->len; i++)
    {
      const Case *c = cases->pdata[i];
      gboolean fragment = strcmp (c->code->tag, "c fragment") == 0;
      gboolean compiled = strcmp (c->code->tag, "c") == 0
                          || (strcmp (c->code->tag, "c continued") == 0 && !c->orphan);
      g_autofree char *test = g_strdup_printf ("/doc-code/%s/%u%s", c->code->page, c->code->line,
                                               fragment ? "-fragment" : "");
      g_test_add_data_func (test, c,
                            compiled ? test_compiled : fragment ? test_fragment : test_bad_tag);
    }
  return g_test_run ();
}
