/* options.c — typed --name=value options for standalone programs.
 *
 * Not GOptionContext: generated programs need `--name=value` for every
 * type including booleans and durations, required options, ranges checked
 * against the input's C type, and exit status 2 on bad usage; a small
 * parser with a fixed, deterministic --help is simpler than bending
 * GOption to that.  Strings are not copied: they point into argv, which
 * lives as long as the program.  docs/cli.md describes the command line
 * this implements, rule by rule: keep the two in step.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfrt-private.h"

/* ------------------------------------------------------------ durations */

static const struct {
  const char *unit;
  GTimeSpan   size;
} duration_units[] = {
  { "us", 1 },
  { "ms", G_TIME_SPAN_MILLISECOND },
  { "s", G_TIME_SPAN_SECOND },
  { "m", G_TIME_SPAN_MINUTE },
  { "h", G_TIME_SPAN_HOUR },
};

static gboolean
duration_bare_seconds (const char *text, GTimeSpan *out)
{
  char *end;
  double secs = g_ascii_strtod (text, &end);

  if (end == text || *end != '\0' || !isfinite (secs) || secs < 0
      || secs > (double) (G_MAXINT64 / G_TIME_SPAN_SECOND))
    return FALSE;
  *out = (GTimeSpan) llround (secs * G_TIME_SPAN_SECOND);
  return TRUE;
}

gboolean
df_parse_duration (const char *text, gboolean bare_seconds, GTimeSpan *out)
{
  const char *p = text;
  guint64 n = 0;

  if (!g_ascii_isdigit (*p))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      if (n > (G_MAXINT64 - 9) / 10)
        return FALSE;
      n = n * 10 + (guint64) (*p - '0');
    }
  if (*p == '\0' || *p == '.')
    {
      if (bare_seconds)
        return duration_bare_seconds (text, out);
      /* "0" needs no unit: it is zero in any. */
      if (*p != '\0' || n != 0)
        return FALSE;
      *out = 0;
      return TRUE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (duration_units); i++)
    if (strcmp (p, duration_units[i].unit) == 0)
      {
        if (n > (guint64) (G_MAXINT64 / duration_units[i].size))
          return FALSE;
        *out = (GTimeSpan) n * duration_units[i].size;
        return TRUE;
      }
  return FALSE;
}

/* --------------------------------------------------------------- values */

static const char *
type_placeholder (DfOptionType type)
{
  switch (type)
    {
    case DF_OPTION_INT:      return "N";
    case DF_OPTION_UINT:     return "N";
    case DF_OPTION_DOUBLE:   return "X";
    case DF_OPTION_FLOAT:    return "X";
    case DF_OPTION_BOOL:     return "BOOL";
    case DF_OPTION_STRING:   return "TEXT";
    case DF_OPTION_DURATION: return "DURATION";
    }
  return "VALUE";
}

static const char *
placeholder (const DfOption *opt)
{
  return opt->arg ? opt->arg : type_placeholder (opt->type);
}

static gboolean
invalid_value (const DfOption *opt, const char *text, const char *expected, GError **error)
{
  g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "invalid value '%s' for --%s: expected %s",
               text, opt->name, expected);
  return FALSE;
}

/* Integers: decimal, within the C type's range (min..max).  A value past
 * gint64 gets the same message as one past the type: the user needs the
 * range, not the parser's limit. */
static gboolean
parse_int (DfOption *opt, const char *text, GError **error)
{
  gint64 min = opt->min < opt->max ? opt->min : G_MININT64;
  gint64 max = opt->min < opt->max ? opt->max : G_MAXINT64;
  GError *local = NULL;
  gint64 v;

  if (!g_ascii_string_to_signed (text, 10, min, max, &v, &local))
    {
      gboolean range = g_error_matches (local, G_NUMBER_PARSER_ERROR,
                                        G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS);
      g_error_free (local);
      if (!range)
        return invalid_value (opt, text, "an integer", error);
      g_autofree char *expected =
        g_strdup_printf ("an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, min, max);
      return invalid_value (opt, text, expected, error);
    }
  *(gint64 *) opt->value = v;
  return TRUE;
}

/* Unsigned integers: the whole of guint64 when umax is 0.  A '+' as for
 * signed ones, but never a '-': strtoull would take "-1" as G_MAXUINT64. */
static gboolean
parse_uint (DfOption *opt, const char *text, GError **error)
{
  guint64 max = opt->umax != 0 ? opt->umax : G_MAXUINT64;
  const char *digits = text[0] == '+' ? text + 1 : text;
  GError *local = NULL;
  guint64 v;

  if (!g_ascii_string_to_unsigned (digits, 10, 0, max, &v, &local))
    {
      gboolean range = g_error_matches (local, G_NUMBER_PARSER_ERROR,
                                        G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS)
                       || (text[0] == '-' && g_ascii_isdigit (text[1]));
      g_error_free (local);
      if (!range)
        return invalid_value (opt, text, "an integer", error);
      g_autofree char *expected = g_strdup_printf ("an integer from 0 to %" G_GUINT64_FORMAT, max);
      return invalid_value (opt, text, expected, error);
    }
  *(guint64 *) opt->value = v;
  return TRUE;
}

/* Floating point: what strtod reads, but finite: "nan" and "inf" are not
 * numbers a pipeline's input means, and 1e400 overflows to inf.  A value
 * too small to represent becomes 0 (or the nearest denormal), as in C. */
static gboolean
parse_double (DfOption *opt, const char *text, GError **error)
{
  double limit = opt->type == DF_OPTION_FLOAT ? FLT_MAX : DBL_MAX;
  char *end;
  double d = g_ascii_strtod (text, &end);

  if (end == text || *end != '\0' || isnan (d))
    return invalid_value (opt, text, "a number", error);
  if (!isfinite (d) || fabs (d) > limit)
    {
      g_autofree char *expected = g_strdup_printf ("a number from %g to %g", -limit, limit);
      return invalid_value (opt, text, expected, error);
    }
  *(double *) opt->value = d;
  return TRUE;
}

/* --x=true and --x=false, besides --x and --no-x: nothing else, so that
 * a typo is an error rather than a guess. */
static gboolean
parse_bool (DfOption *opt, const char *text, GError **error)
{
  if (strcmp (text, "true") != 0 && strcmp (text, "false") != 0)
    {
      g_set_error (error, DF_ERROR, DF_ERROR_USAGE,
                   "invalid value '%s' for --%s: a boolean is --%s or --no-%s (or --%s=true|false)",
                   text, opt->name, opt->name, opt->name, opt->name);
      return FALSE;
    }
  *(gboolean *) opt->value = text[0] == 't';
  return TRUE;
}

/* Stores @text into @opt; FALSE with a usage error when it does not parse. */
static gboolean
option_set (DfOption *opt, const char *text, GError **error)
{
  switch (opt->type)
    {
    case DF_OPTION_INT:
      return parse_int (opt, text, error);
    case DF_OPTION_UINT:
      return parse_uint (opt, text, error);
    case DF_OPTION_DOUBLE:
    case DF_OPTION_FLOAT:
      return parse_double (opt, text, error);
    case DF_OPTION_BOOL:
      return parse_bool (opt, text, error);
    case DF_OPTION_STRING:
      *(const char **) opt->value = text;
      return TRUE;
    case DF_OPTION_DURATION:
      if (df_parse_duration (text, FALSE, opt->value))
        return TRUE;
      return invalid_value (opt, text, "a duration such as 250ms, 2s, 5m or 1h", error);
    }
  return invalid_value (opt, text, "a value", error);
}

/* ------------------------------------------------------ standard options */

/* --stats-interval: off (0), or a period a timer can wait and a person
 * would want; a huge one would overflow the timer's deadline. */
#define STATS_INTERVAL_MIN G_TIME_SPAN_MILLISECOND
#define STATS_INTERVAL_MAX G_TIME_SPAN_DAY

typedef struct {
  DfOption          options[5];
  DfStandardOptions values;
} Standard;

static void
standard_init (Standard *std, const DfStandardOptions *defaults)
{
  std->values = *defaults;
  std->options[0] = (DfOption) {
    .name = "stats", .type = DF_OPTION_BOOL, .value = &std->values.stats,
    .description = "print per-stage statistics at the end",
  };
  std->options[1] = (DfOption) {
    .name = "stats-interval", .type = DF_OPTION_DURATION,
    .value = &std->values.stats_interval, .arg = "SECS",
    .description = "also print them every SECS seconds (or 500ms, 1m...)",
  };
  std->options[2] = (DfOption) {
    .name = "mode", .type = DF_OPTION_STRING, .arg = "sync|async",
    .description = "async: queued delivery (default); sync: depth-first, deterministic",
  };
  std->options[3] = (DfOption) {
    .name = "workers", .type = DF_OPTION_INT, .value = &std->values.workers, .arg = "N",
    .description = "worker threads for blocking stages", .min = 1, .max = 4096,
  };
  std->options[4] = (DfOption) {
    .name = "quiet", .type = DF_OPTION_BOOL, .value = &std->values.quiet,
    .description = "do not log the failures that are skipped or retried",
  };
}

static gboolean
set_stats_interval (Standard *std, DfOption *opt, const char *text, GError **error)
{
  GTimeSpan v;

  if (!df_parse_duration (text, TRUE, &v)
      || (v != 0 && (v < STATS_INTERVAL_MIN || v > STATS_INTERVAL_MAX)))
    return invalid_value (opt, text, "0 (off) or seconds from 0.001 to 86400 (or 1ms to 24h)",
                          error);
  std->values.stats_interval = v;
  return TRUE;
}

static gboolean
standard_set (Standard *std, DfOption *opt, const char *text, GError **error)
{
  if (opt == &std->options[1])
    return set_stats_interval (std, opt, text, error);
  if (opt == &std->options[2])
    {
      if (strcmp (text, "sync") != 0 && strcmp (text, "async") != 0)
        return invalid_value (opt, text, "sync or async", error);
      std->values.mode = text[0] == 's' ? DF_MODE_SYNC : DF_MODE_ASYNC;
      return TRUE;
    }
  return option_set (opt, text, error);
}

/* -------------------------------------------------------------- parsing */

/* The options one parse looks at: the program's inputs, then (when the
 * program has them) the standard options. */
typedef struct {
  DfOption *options;
  gsize     n;
  Standard *std;
} Table;

static gsize
table_size (const Table *t)
{
  return t->n + (t->std ? G_N_ELEMENTS (t->std->options) : 0);
}

static DfOption *
table_at (const Table *t, gsize k)
{
  return k < t->n ? &t->options[k] : &t->std->options[k - t->n];
}

static DfOption *
find_option (const Table *t, const char *name, gsize len)
{
  for (gsize k = 0; k < table_size (t); k++)
    {
      DfOption *opt = table_at (t, k);
      if (strlen (opt->name) == len && strncmp (opt->name, name, len) == 0)
        return opt;
    }
  return NULL;
}

/* Levenshtein distance, for "did you mean". */
static guint
edit_distance (const char *a, gsize la, const char *b)
{
  gsize lb = strlen (b);
  guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = (guint) j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diag = row[0];
      row[0] = (guint) i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint up = row[j];
          guint best = MIN (row[j] + 1, row[j - 1] + 1);
          row[j] = MIN (best, diag + (a[i - 1] != b[j - 1]));
          diag = up;
        }
    }
  guint d = row[lb];
  g_free (row);
  return d;
}

static const char *
suggest (const Table *t, const char *name, gsize len)
{
  const char *best = NULL;
  guint best_d = 3;   /* suggest only close names */

  /* A long typo is no near miss; also keeps the distance cheap. */
  if (len > 64)
    return NULL;
  for (gsize k = 0; k < table_size (t); k++)
    {
      const char *cand = table_at (t, k)->name;
      guint d = edit_distance (name, len, cand);
      if (d < best_d)
        {
          best = cand;
          best_d = d;
        }
    }
  return best;
}

static gboolean
unknown_option (const Table *t, const char *name, gsize len, GError **error)
{
  const char *hint = suggest (t, name, len);

  g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "unknown option '--%.*s'%s%s%s",
               (int) len, name, hint ? "; did you mean '--" : "", hint ? hint : "",
               hint ? "'?" : "");
  return FALSE;
}

static gboolean
is_standard (const Table *t, const DfOption *opt)
{
  return t->std != NULL && opt >= t->std->options
         && opt < t->std->options + G_N_ELEMENTS (t->std->options);
}

/* --no-NAME for a boolean NAME: the option, or NULL. */
static DfOption *
find_negated (const Table *t, const char *name, gsize len)
{
  if (len <= 3 || strncmp (name, "no-", 3) != 0)
    return NULL;
  DfOption *opt = find_option (t, name + 3, len - 3);
  return opt != NULL && opt->type == DF_OPTION_BOOL ? opt : NULL;
}

/* One argument (and perhaps the next, for "--name value"): *i advances
 * past what was used. */
static gboolean
parse_one (const Table *t, int argc, char **argv, int *i, GError **error)
{
  const char *name = argv[*i] + 2;
  const char *eq = strchr (name, '=');
  gsize len = eq ? (gsize) (eq - name) : strlen (name);
  const char *value = eq ? eq + 1 : NULL;
  DfOption *opt = find_option (t, name, len);
  DfOption *negated = opt == NULL ? find_negated (t, name, len) : NULL;

  if (opt == NULL && negated == NULL)
    return unknown_option (t, name, len, error);
  if (negated != NULL && value != NULL)
    {
      g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "option '--no-%s' takes no value",
                   negated->name);
      return FALSE;
    }
  if (negated != NULL)
    opt = negated, value = "false";

  /* Each option once: with two, one of them would be ignored silently. */
  if (opt->seen)
    {
      g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "option '--%s' given more than once",
                   opt->name);
      return FALSE;
    }
  if (value == NULL && opt->type == DF_OPTION_BOOL)
    value = "true";
  else if (value == NULL && *i + 1 < argc && strncmp (argv[*i + 1], "--", 2) != 0)
    value = argv[++*i];
  else if (value == NULL)
    {
      g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "option '--%s' needs a value (--%s=%s)",
                   opt->name, opt->name, placeholder (opt));
      return FALSE;
    }
  if (!(is_standard (t, opt) ? standard_set (t->std, opt, value, error)
                              : option_set (opt, value, error)))
    return FALSE;
  opt->seen = TRUE;
  return TRUE;
}

/* Every missing required option in one message. */
static gboolean
check_required (const Table *t, GError **error)
{
  g_autoptr (GString) missing = g_string_new (NULL);
  guint n = 0;

  for (gsize k = 0; k < t->n; k++)
    if (t->options[k].required && !t->options[k].seen)
      g_string_append_printf (missing, "%s--%s", n++ > 0 ? ", " : "", t->options[k].name);
  if (n == 0)
    return TRUE;
  g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "missing option%s: %s", n > 1 ? "s" : "",
               missing->str);
  return FALSE;
}

gboolean
df_options_parse (DfOption *options, gsize n_options, DfStandardOptions *standard,
                  int argc, char **argv, gboolean *help, GError **error)
{
  static const DfStandardOptions no_defaults;
  Standard std;
  Table t = { options, n_options, standard ? &std : NULL };
  gboolean options_ended = FALSE;

  standard_init (&std, standard ? standard : &no_defaults);
  *help = FALSE;
  for (gsize k = 0; k < n_options; k++)
    options[k].seen = FALSE;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      if (!options_ended && strcmp (arg, "--") == 0)
        {
          options_ended = TRUE;
          continue;
        }
      if (!options_ended && (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0))
        {
          *help = TRUE;
          return TRUE;
        }
      /* The inputs are all options: a program takes no other arguments. */
      if (options_ended || strncmp (arg, "--", 2) != 0)
        {
          g_set_error (error, DF_ERROR, DF_ERROR_USAGE,
                       "unexpected argument '%s' (the inputs are options: --NAME=VALUE)", arg);
          return FALSE;
        }
      if (!parse_one (&t, argc, argv, &i, error))
        return FALSE;
    }

  if (!check_required (&t, error))
    return FALSE;
  if (standard)
    *standard = std.values;
  return TRUE;
}

/* ----------------------------------------------------------------- help */

/* The shortest decimal that reads back as @d (as a float for
 * DF_OPTION_FLOAT): 0.1, not 0.10000000000000001. */
static char *
format_number (double d, gboolean single)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int digits = 1; digits < 17; digits++)
    {
      char format[8];
      g_snprintf (format, sizeof format, "%%.%dg", digits);
      double back = g_ascii_strtod (g_ascii_formatd (buf, sizeof buf, format, d), NULL);
      if (single ? (float) back == (float) d : back == d)
        return g_strdup (buf);
    }
  return g_strdup (g_ascii_dtostr (buf, sizeof buf, d));
}

/* The default as --help shows it: the value the option holds before
 * parsing; NULL for a required option or one without a value. */
static char *
option_default (const DfOption *opt)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (opt->value == NULL || opt->required)
    return NULL;
  switch (opt->type)
    {
    case DF_OPTION_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, *(const gint64 *) opt->value);
    case DF_OPTION_UINT:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, *(const guint64 *) opt->value);
    case DF_OPTION_DOUBLE:
    case DF_OPTION_FLOAT:
      return format_number (*(const double *) opt->value, opt->type == DF_OPTION_FLOAT);
    case DF_OPTION_BOOL:
      return g_strdup (*(const gboolean *) opt->value ? "true" : "false");
    case DF_OPTION_STRING:
      {
        const char *text = *(const char *const *) opt->value;
        return text != NULL ? g_strdup_printf ("\"%s\"", text) : NULL;
      }
    case DF_OPTION_DURATION:
      return g_strdup (df_format_duration (*(const GTimeSpan *) opt->value, buf));
    }
  return NULL;
}

#define HELP_COLUMN 26

static void
help_line (GString *out, const DfOption *opt, gboolean show_default)
{
  g_autofree char *left = opt->type == DF_OPTION_BOOL
    ? g_strdup_printf ("--[no-]%s", opt->name)
    : g_strdup_printf ("--%s=%s", opt->name, placeholder (opt));
  g_autofree char *def = show_default ? option_default (opt) : NULL;
  GString *right = g_string_new (opt->description);

  if (opt->required)
    g_string_append (right, " (required)");
  else if (def)
    g_string_append_printf (right, " (default: %s)", def);
  /* A long option name gets its text on the next line, and each line of
   * a text with newlines one of its own, all aligned. */
  if (strlen (left) > HELP_COLUMN)
    g_string_append_printf (out, "  %s\n  %-*s", left, HELP_COLUMN, "");
  else
    g_string_append_printf (out, "  %-*s", HELP_COLUMN, left);
  g_auto (GStrv) lines = g_strsplit (g_strchug (right->str), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (out, "%*s %s\n", i > 0 ? HELP_COLUMN + 2 : 0, "", lines[i]);
  g_string_free (right, TRUE);
}

char *
df_options_help (const char *program, const char *summary, const DfOption *options,
                 gsize n_options, gboolean with_standard)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "Usage: %s [OPTION]...\n", program);
  if (summary)
    g_string_append_printf (out, "%s\n", summary);
  if (n_options)
    {
      g_string_append (out, "\nInputs:\n");
      for (gsize k = 0; k < n_options; k++)
        help_line (out, &options[k], TRUE);
    }
  g_string_append (out, "\nOptions:\n");
  if (with_standard)
    {
      static const DfStandardOptions no_defaults;
      Standard std;
      standard_init (&std, &no_defaults);
      for (gsize k = 0; k < G_N_ELEMENTS (std.options); k++)
        help_line (out, &std.options[k], FALSE);
    }
  g_string_append_printf (out, "  %-*s %s\n", HELP_COLUMN, "-h, --help", "show this help and exit");
  return g_string_free (out, FALSE);
}

void
df_options_parse_or_exit (const char *summary, DfOption *options, gsize n_options,
                          DfStandardOptions *standard, int argc, char **argv)
{
  char *program = g_path_get_basename (argc > 0 ? argv[0] : "program");
  GError *error = NULL;
  gboolean help;

  /* The runtime's own messages (signals) then start with it too. */
  if (g_get_prgname () == NULL)
    g_set_prgname (program);

  if (!df_options_parse (options, n_options, standard, argc, argv, &help, &error))
    {
      g_printerr ("%s: %s\nTry '%s --help' for more information.\n", program,
                  error->message, program);
      g_error_free (error);
      g_free (program);
      exit (DF_EXIT_USAGE);
    }
  if (help)
    {
      char *text = df_options_help (program, summary, options, n_options, standard != NULL);
      fputs (text, stdout);
      fflush (stdout);
      g_free (text);
      g_free (program);
      exit (DF_EXIT_OK);
    }
  g_free (program);
}
