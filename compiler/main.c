/* main.c — the dfc command line.
 *
 *   dfc [options] FILE.df        FILE may be - for standard input
 *
 * Exit status: 0 success, 1 errors in the input, 2 bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "gen.h"

#ifndef DFC_VERSION
#define DFC_VERSION "unknown"
#endif
#ifndef DFC_STDLIB_DIR
#error "DFC_STDLIB_DIR: the standard library's directory, set by compiler/meson.build"
#endif

typedef enum {
  MODE_GENERATE,
  MODE_CHECK,
  MODE_DOT,
  MODE_MERMAID,
} Mode;

typedef struct {
  Mode mode;
  gboolean mode_set;
  const char *input;
  const char *output;      /* -o */
  const char *header;      /* --header */
  const char *depfile;     /* --depfile */
  const char *stubs;       /* --stubs */
  const char *prefix;      /* --prefix */
  gboolean no_line;        /* --no-line */
  gboolean werror;
  guint error_limit;       /* -ferror-limit=N / --error-limit=N; 0: none */
  GPtrArray *warnings;     /* "name" / "no-name", in command-line order */
  GPtrArray *import_dirs;  /* -I DIR in command-line order, then the standard
                            * library's; NULL-terminated once parsed */
} Options;

enum { EXIT_OK = 0, EXIT_ERRORS = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
  "Usage: dfc [OPTION]... FILE.df\n"
  "Check a data-flow program and generate its C state machines.\n"
  "FILE may be - to read standard input.\n"
  "\n"
  "  -o FILE.c            write the generated C to FILE.c (default: NAME.c\n"
  "                       in the current directory for NAME.df)\n"
  "  --header FILE.h      write the header to FILE.h (default: FILE.c's name\n"
  "                       with .h)\n"
  "  --depfile FILE       write a Make dependency line for the outputs\n"
  "  --stubs FILE.c       also write a skeleton of the stages FILE.df declares\n"
  "                       (never over an existing file)\n"
  "  --prefix PREFIX      prefix every generated public symbol\n"
  "  -I DIR, -IDIR        look for imported files in DIR (after the importing\n"
  "                       file's directory; before the standard library)\n"
  "  --no-line            emit no #line directives\n"
  "  --check              report diagnostics only, generate nothing\n"
  "  --dot                print the flows and graphs as a Graphviz digraph\n"
  "  --mermaid            print the flows and graphs as a Mermaid flowchart\n"
  "                       (-o FILE writes the picture to FILE)\n"
  "  -W<name>             enable warning <name> (-Wall: every warning)\n"
  "  -Wno-<name>          disable warning <name>\n"
  "  -Werror              treat warnings as errors\n"
  "  -ferror-limit=N, --error-limit=N\n"
  "                       stop after N errors (default 20; 0: no limit)\n"
  "  --list-diagnostics   list every diagnostic code and exit\n"
  "  --version            print the version and exit\n"
  "  --help               print this help and exit\n"
  "\n"
  "Exit status: 0 success, 1 errors in the program, 2 bad usage.\n"
  "Every diagnostic code is explained in docs/diagnostics.md.\n";

static int usage_error (const char *fmt, ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  fprintf (stderr, "dfc: ");
  vfprintf (stderr, fmt, args);
  fprintf (stderr, "\nTry 'dfc --help' for more information.\n");
  va_end (args);
  return EXIT_USAGE;
}

static void
list_diagnostics (void)
{
  for (guint i = 0; i < DIAG_COUNT; i++)
    printf ("%-22s %-8s %s\n", diag_code_name (i),
            diag_code_severity (i) == SEVERITY_WARNING ? "warning" : "error",
            diag_code_summary (i));
}

static gboolean
set_mode (Options *options, Mode mode)
{
  if (options->mode_set && options->mode != mode)
    return FALSE;
  options->mode = mode;
  options->mode_set = TRUE;
  return TRUE;
}

/* Returns -1 to go on, or the exit status to end with. */
static int
parse_args (int argc, char **argv, Options *options)
{
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0)
        return fputs (usage_text, stdout), EXIT_OK;
      if (strcmp (arg, "--version") == 0)
        return printf ("dfc %s\n", DFC_VERSION), EXIT_OK;
      if (strcmp (arg, "--list-diagnostics") == 0)
        return list_diagnostics (), EXIT_OK;
      if (strcmp (arg, "--check") == 0 || strcmp (arg, "--dot") == 0
          || strcmp (arg, "--mermaid") == 0)
        {
          Mode mode = arg[2] == 'c' ? MODE_CHECK : arg[2] == 'd' ? MODE_DOT : MODE_MERMAID;
          if (!set_mode (options, mode))
            return usage_error ("'%s' conflicts with an earlier mode option", arg);
        }
      else if (strcmp (arg, "-o") == 0 || strcmp (arg, "--header") == 0
               || strcmp (arg, "--depfile") == 0 || strcmp (arg, "--prefix") == 0
               || strcmp (arg, "--stubs") == 0)
        {
          if (++i == argc)
            return usage_error ("'%s' needs a value", arg);
          const char **slot = arg[1] == 'o' ? &options->output
                              : arg[2] == 'h' ? &options->header
                              : arg[2] == 'd' ? &options->depfile
                              : arg[2] == 's' ? &options->stubs : &options->prefix;
          *slot = argv[i];
        }
      else if (strncmp (arg, "-I", 2) == 0)
        {
          if (arg[2] == '\0' && ++i == argc)
            return usage_error ("'%s' needs a value", arg);
          g_ptr_array_add (options->import_dirs, arg[2] != '\0' ? (gpointer) (arg + 2) : argv[i]);
        }
      else if (g_str_has_prefix (arg, "-ferror-limit=") || g_str_has_prefix (arg, "--error-limit="))
        {
          const char *value = strchr (arg, '=') + 1;
          guint64 limit = 0;
          if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &limit, NULL))
            return usage_error ("'%s': the error limit is a whole number (0: no limit)", arg);
          options->error_limit = (guint) limit;
        }
      else if (strcmp (arg, "--no-line") == 0)
        options->no_line = TRUE;
      else if (strcmp (arg, "-Werror") == 0)
        options->werror = TRUE;
      else if (strncmp (arg, "-W", 2) == 0 && arg[2] != '\0')
        g_ptr_array_add (options->warnings, (gpointer) (arg + 2));
      else if (arg[0] == '-' && arg[1] != '\0')
        return usage_error ("unknown option '%s'", arg);
      else if (options->input != NULL)
        return usage_error ("more than one input file ('%s')", arg);
      else
        options->input = arg;
    }
  if (options->input == NULL)
    return usage_error ("%s", "no input file");
  if (options->output != NULL && options->mode == MODE_CHECK)
    return usage_error ("%s", "-o and --check exclude each other");
  if (options->stubs != NULL && options->mode != MODE_GENERATE)
    return usage_error ("%s", "--stubs goes with generating C, not with --check, --dot or --mermaid");
  if (options->mode == MODE_GENERATE && options->output == NULL && strcmp (options->input, "-") == 0)
    return usage_error ("%s", "generating from standard input needs -o FILE.c");
  if (options->prefix != NULL && !g_regex_match_simple ("^[A-Za-z_][A-Za-z0-9_]*$", options->prefix, 0, 0))
    return usage_error ("'%s' is not a C identifier prefix", options->prefix);
  return -1;
}

static gboolean
read_input (const char *input, char **text, gsize *len, GError **error)
{
  if (strcmp (input, "-") != 0)
    return g_file_get_contents (input, text, len, error);

  GString *buffer = g_string_new (NULL);
  char chunk[65536];
  size_t n;
  while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
    g_string_append_len (buffer, chunk, n);
  if (ferror (stdin))
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_IO, "read error");
      g_string_free (buffer, TRUE);
      return FALSE;
    }
  *len = buffer->len;
  *text = g_string_free (buffer, FALSE);
  return TRUE;
}

static gboolean
apply_warning_flags (Program *program, const Options *options)
{
  diags_set_werror (program->diags, options->werror);
  diags_set_error_limit (program->diags, options->error_limit);
  for (guint i = 0; i < options->warnings->len; i++)
    {
      const char *flag = options->warnings->pdata[i];
      gboolean enable = strncmp (flag, "no-", 3) != 0;
      if (!diags_set_warning (program->diags, enable ? flag : flag + 3, enable))
        {
          usage_error ("unknown warning '-W%s' (see dfc --list-diagnostics)", flag);
          return FALSE;
        }
    }
  return TRUE;
}

static int
write_drawing (Program *program, const Options *options)
{
  g_autoptr (GString) out = g_string_new (NULL);
  if (options->mode == MODE_DOT)
    draw_dot (program, out);
  else
    draw_mermaid (program, out);
  if (options->output == NULL)
    {
      fwrite (out->str, 1, out->len, stdout);
      return fflush (stdout) == 0 ? EXIT_OK : EXIT_ERRORS;
    }
  g_autoptr (GError) error = NULL;
  if (!g_file_set_contents (options->output, out->str, out->len, &error))
    {
      fprintf (stderr, "dfc: error: %s\n", error->message);
      return EXIT_ERRORS;
    }
  return EXIT_OK;
}

/* NAME.df -> NAME.c, in the current directory. */
static char *
default_output (const char *input)
{
  g_autofree char *base = g_path_get_basename (input);
  if (g_str_has_suffix (base, ".df"))
    base[strlen (base) - 3] = '\0';
  return g_strconcat (base, ".c", NULL);
}

static char *
default_header (const char *output)
{
  if (g_str_has_suffix (output, ".c"))
    return g_strdup_printf ("%.*sh", (int) strlen (output) - 1, output);
  return g_strconcat (output, ".h", NULL);
}

static gboolean
write_file (const char *path, const GString *text)
{
  g_autoptr (GError) error = NULL;
  if (g_file_set_contents (path, text->str, text->len, &error))
    return TRUE;
  fprintf (stderr, "dfc: error: %s\n", error->message);
  return FALSE;
}

/* A path in a Make rule: a space or '#' would end or comment the name, a
 * '$' would expand. */
static void
append_make_path (GString *out, const char *path)
{
  for (const char *p = path; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '#')
        g_string_append_c (out, '\\');
      else if (*p == '$')
        g_string_append_c (out, '$');
      g_string_append_c (out, *p);
    }
}

/* "OUTPUT HEADER: FILE...", every file the program read, in that order. */
static GString *
depfile_text (Program *program, const char *output, const char *header)
{
  GString *dep = g_string_new (NULL);
  append_make_path (dep, output);
  g_string_append_c (dep, ' ');
  append_make_path (dep, header);
  g_string_append_c (dep, ':');
  for (guint i = 0; i < program->files->len; i++)
    {
      g_string_append_c (dep, ' ');
      append_make_path (dep, program_file (program, i)->path);
    }
  g_string_append_c (dep, '\n');
  return dep;
}

/* A generated file being written: to a temporary file beside it, renamed
 * over it once complete, so that a failed run leaves the old file (or
 * none) and never half of a new one. */
typedef struct {
  const char *path;
  char *tmp_path;
  FILE *file;
} OutputFile;

static gboolean
output_open (OutputFile *out, const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  out->path = path;
  out->tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  /* 0666 less the umask, as any file a build makes. */
  int fd = g_mkstemp_full (out->tmp_path, O_RDWR | O_CLOEXEC, 0666);
  out->file = fd >= 0 ? fdopen (fd, "w") : NULL;
  if (out->file != NULL)
    return TRUE;
  int saved = errno;
  if (fd >= 0)
    {
      close (fd);
      g_unlink (out->tmp_path);
    }
  fprintf (stderr, "dfc: error: cannot write '%s': %s\n", path, g_strerror (saved));
  g_clear_pointer (&out->tmp_path, g_free);
  return FALSE;
}

/* Closes the file; with `keep`, puts it in place of `path`. */
static gboolean
output_close (OutputFile *out, gboolean keep)
{
  if (out->file == NULL)
    return !keep;
  gboolean ok = fclose (out->file) == 0 || !keep;
  int saved = errno;
  out->file = NULL;
  if (ok && keep && g_rename (out->tmp_path, out->path) != 0)
    {
      saved = errno;
      ok = FALSE;
    }
  if (!ok || !keep)
    g_unlink (out->tmp_path);
  if (!ok)
    fprintf (stderr, "dfc: error: cannot write '%s': %s\n", out->path, g_strerror (saved));
  g_clear_pointer (&out->tmp_path, g_free);
  return ok;
}

static int
write_generated (Program *program, const Options *options)
{
  g_autofree char *output = options->output ? g_strdup (options->output) : default_output (options->input);
  g_autofree char *header = options->header ? g_strdup (options->header) : default_header (output);
  g_autofree char *header_base = g_path_get_basename (header);
  GenOptions gen = {
    .prefix = options->prefix ? options->prefix : "",
    .c_name = output,
    .h_name = header_base,
    .line_directives = !options->no_line,
  };
  /* The skeleton is a starting point: it never replaces the user's work. */
  if (options->stubs != NULL && g_file_test (options->stubs, G_FILE_TEST_EXISTS))
    {
      fprintf (stderr, "dfc: error: '%s' exists; --stubs writes only a new file\n", options->stubs);
      return EXIT_ERRORS;
    }
  OutputFile c_file = { 0 }, h_file = { 0 };
  if (!output_open (&c_file, output) || !output_open (&h_file, header))
    {
      output_close (&c_file, FALSE);
      return EXIT_ERRORS;
    }
  gen.c_file = c_file.file;
  gen.h_file = h_file.file;
  g_autoptr (GString) c_text = g_string_new (NULL);
  g_autoptr (GString) h_text = g_string_new (NULL);
  g_autoptr (GString) stubs_text = options->stubs != NULL ? g_string_new (NULL) : NULL;
  g_autoptr (GError) error = NULL;
  gboolean generated = gen_program (program, &gen, c_text, h_text, stubs_text, &error);
  if (!generated)
    fprintf (stderr, "%s%s\n", error->domain == G_FILE_ERROR ? "dfc: error: " : "", error->message);
  gboolean c_placed = output_close (&c_file, generated) && generated;
  gboolean h_placed = output_close (&h_file, c_placed) && c_placed;
  if (!h_placed)
    {
      if (c_placed)
        g_unlink (output);   /* the .c went in place, its header did not */
      return EXIT_ERRORS;
    }
  if (stubs_text != NULL && !write_file (options->stubs, stubs_text))
    return EXIT_ERRORS;
  if (options->depfile != NULL)
    {
      g_autoptr (GString) dep = depfile_text (program, output, header);
      if (!write_file (options->depfile, dep))
        return EXIT_ERRORS;
    }
  return EXIT_OK;
}

static int
compile (const Options *options)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  if (!read_input (options->input, &text, &len, &error))
    {
      fprintf (stderr, "dfc: error: cannot read '%s': %s\n", options->input, error->message);
      return EXIT_ERRORS;
    }

  const char *path = strcmp (options->input, "-") == 0 ? "<stdin>" : options->input;
  Program *program = program_new (path, text, len);
  if (options->prefix != NULL)
    program->prefix = options->prefix;
  program->record_flows = options->mode == MODE_GENERATE;
  g_autofree char *root_dir = strcmp (options->input, "-") == 0 ? g_strdup (".")
                                                                : g_path_get_dirname (options->input);
  program_set_import_search (program, root_dir, (const char *const *) options->import_dirs->pdata);
  if (!apply_warning_flags (program, options))
    {
      program_free (program);
      return EXIT_USAGE;
    }
  parse_program (program);
  check_program (program);
  diags_print (program->diags, stderr);

  int status = diags_error_count (program->diags) > 0 ? EXIT_ERRORS : EXIT_OK;
  if (status == EXIT_OK && (options->mode == MODE_DOT || options->mode == MODE_MERMAID))
    status = write_drawing (program, options);
  else if (status == EXIT_OK && options->mode == MODE_GENERATE)
    status = write_generated (program, options);
  program_free (program);
  return status;
}

int
main (int argc, char **argv)
{
  Options options = {
    .mode = MODE_GENERATE,
    .error_limit = DIAGS_DEFAULT_ERROR_LIMIT,
    .warnings = g_ptr_array_new (),
    .import_dirs = g_ptr_array_new (),
  };
  int status = parse_args (argc, argv, &options);
  /* The standard library comes after every -I directory. */
  g_ptr_array_add (options.import_dirs, (gpointer) DFC_STDLIB_DIR);
  g_ptr_array_add (options.import_dirs, NULL);
  if (status < 0)
    status = compile (&options);
  g_ptr_array_unref (options.warnings);
  g_ptr_array_unref (options.import_dirs);
  return status;
}
