/* options.c — typed --name=value options for standalone programs.
 *
 * Not GOptionContext: generated programs need `--name=value` for every
 * type including booleans and durations, required options, ranges checked
 * against the input's C type, and exit status 2 on bad usage; a small
 * parser with a fixed, deterministic --help is simpler than bending
 * GOption to that.  Strings are not copied: they point into argv, which
 * lives as long as the program.
 */
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

static gboolean
parse_bool (const char *text, gboolean *out)
{
  static const char *const yes[] = { "true", "yes", "on", "1" };
  static const char *const no[] = { "false", "no", "off", "0" };

  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    if (g_ascii_strcasecmp (text, yes[i]) == 0 || g_ascii_strcasecmp (text, no[i]) == 0)
      {
        *out = g_ascii_strcasecmp (text, yes[i]) == 0;
        return TRUE;
      }
  return FALSE;
}

static const char *
type_placeholder (DfOptionType type)
{
  switch (type)
    {
    case DF_OPTION_INT:      return "N";
    case DF_OPTION_DOUBLE:   return "X";
    case DF_OPTION_BOOL:     return "BOOL";
    case DF_OPTION_STRING:   return "TEXT";
    case DF_OPTION_DURATION: return "DURATION";
    }
  return "VALUE";
}

static const char *
type_expected (DfOptionType type)
{
  switch (type)
    {
    case DF_OPTION_INT:      return "an integer";
    case DF_OPTION_DOUBLE:   return "a number";
    case DF_OPTION_BOOL:     return "true or false";
    case DF_OPTION_STRING:   return "a string";
    case DF_OPTION_DURATION: return "a duration such as 250ms, 2s, 5m or 1h";
    }
  return "a value";
}

static gboolean
parse_int (DfOption *opt, const char *text, GError **error)
{
  gint64 min = opt->min < opt->max ? opt->min : G_MININT64;
  gint64 max = opt->min < opt->max ? opt->max : G_MAXINT64;
  gint64 v;

  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &v, NULL))
    return FALSE;
  if (v < min || v > max)
    {
      g_set_error (error, DF_ERROR, DF_ERROR_USAGE,
                   "invalid value '%s' for --%s: expected an integer from %"
                   G_GINT64_FORMAT " to %" G_GINT64_FORMAT, text, opt->name, min, max);
      return FALSE;
    }
  *(gint64 *) opt->value = v;
  return TRUE;
}

/* Stores @text into @opt; FALSE with a usage error when it does not parse. */
static gboolean
option_set (DfOption *opt, const char *text, GError **error)
{
  gboolean ok = FALSE;
  GError *local = NULL;

  switch (opt->type)
    {
    case DF_OPTION_INT:
      ok = parse_int (opt, text, &local);
      break;
    case DF_OPTION_DOUBLE:
      {
        char *end;
        double d = g_ascii_strtod (text, &end);
        ok = end != text && *end == '\0' && isfinite (d);
        if (ok)
          *(double *) opt->value = d;
      }
      break;
    case DF_OPTION_BOOL:
      ok = parse_bool (text, opt->value);
      break;
    case DF_OPTION_STRING:
      *(const char **) opt->value = text;
      ok = TRUE;
      break;
    case DF_OPTION_DURATION:
      ok = df_parse_duration (text, FALSE, opt->value);
      break;
    }
  if (local)
    g_propagate_error (error, local);
  else if (!ok)
    g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "invalid value '%s' for --%s: expected %s",
                 text, opt->name, type_expected (opt->type));
  opt->seen = opt->seen || ok;
  return ok;
}

/* ------------------------------------------------------ standard options */

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
standard_set (Standard *std, DfOption *opt, const char *text, GError **error)
{
  if (opt == &std->options[1])
    {
      if (df_parse_duration (text, TRUE, &std->values.stats_interval))
        return TRUE;
    }
  else if (opt == &std->options[2])
    {
      if (strcmp (text, "sync") == 0 || strcmp (text, "async") == 0)
        {
          std->values.mode = text[0] == 's' ? DF_MODE_SYNC : DF_MODE_ASYNC;
          return TRUE;
        }
    }
  else
    return option_set (opt, text, error);
  g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "invalid value '%s' for --%s: expected %s",
               text, opt->name, opt == &std->options[2] ? "sync or async" : "seconds or a duration");
  return FALSE;
}

/* -------------------------------------------------------------- parsing */

static DfOption *
find_option (DfOption *options, gsize n, const char *name, gsize len)
{
  for (gsize i = 0; i < n; i++)
    if (strlen (options[i].name) == len && strncmp (options[i].name, name, len) == 0)
      return &options[i];
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
suggest (DfOption *options, gsize n, Standard *std, const char *name, gsize len)
{
  const char *best = NULL;
  guint best_d = 3;   /* suggest only close names */

  gsize n_std = std ? G_N_ELEMENTS (std->options) : 0;

  for (gsize k = 0; k < n + n_std; k++)
    {
      const char *cand = k < n ? options[k].name : std->options[k - n].name;
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
unknown_option (DfOption *options, gsize n, Standard *std, const char *name, gsize len,
                GError **error)
{
  const char *hint = suggest (options, n, std, name, len);

  g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "unknown option '--%.*s'%s%s%s",
               (int) len, name, hint ? "; did you mean '--" : "", hint ? hint : "",
               hint ? "'?" : "");
  return FALSE;
}

/* One argument (and perhaps the next, for "--name value"): *i advances
 * past what was used. */
static gboolean
parse_one (DfOption *options, gsize n, Standard *std, int argc, char **argv, int *i,
           GError **error)
{
  const char *arg = argv[*i];
  const char *name = arg + 2;
  const char *eq = strchr (name, '=');
  gsize len = eq ? (gsize) (eq - name) : strlen (name);
  const char *value = eq ? eq + 1 : NULL;
  DfOption *opt = find_option (options, n, name, len);
  gboolean is_std = FALSE;

  if (opt == NULL && std
      && (opt = find_option (std->options, G_N_ELEMENTS (std->options), name, len)))
    is_std = TRUE;

  /* --no-NAME for a boolean. */
  if (opt == NULL && len > 3 && strncmp (name, "no-", 3) == 0)
    {
      DfOption *neg = find_option (options, n, name + 3, len - 3);
      if (neg == NULL && std && (neg = find_option (std->options, 1, name + 3, len - 3)))
        is_std = TRUE;
      if (neg && neg->type == DF_OPTION_BOOL && value == NULL)
        return option_set (neg, "false", error);
    }
  if (opt == NULL)
    return unknown_option (options, n, std, name, len, error);

  if (value == NULL)
    {
      if (opt->type == DF_OPTION_BOOL)
        value = "true";
      else if (*i + 1 < argc && strncmp (argv[*i + 1], "--", 2) != 0)
        value = argv[++*i];
      else
        {
          g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "option '--%s' needs a value (--%s=%s)",
                       opt->name, opt->name, opt->arg ? opt->arg : type_placeholder (opt->type));
          return FALSE;
        }
    }
  return is_std ? standard_set (std, opt, value, error) : option_set (opt, value, error);
}

gboolean
df_options_parse (DfOption *options, gsize n_options, DfStandardOptions *standard,
                  int argc, char **argv, gboolean *help, GError **error)
{
  static const DfStandardOptions no_defaults;
  Standard std;

  standard_init (&std, standard ? standard : &no_defaults);
  *help = FALSE;
  for (gsize k = 0; k < n_options; k++)
    options[k].seen = FALSE;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0)
        {
          *help = TRUE;
          return TRUE;
        }
      if (strncmp (arg, "--", 2) != 0 || arg[2] == '\0')
        {
          g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "unexpected argument '%s'", arg);
          return FALSE;
        }
      if (!parse_one (options, n_options, standard ? &std : NULL, argc, argv, &i, error))
        return FALSE;
    }

  for (gsize k = 0; k < n_options; k++)
    if (options[k].required && !options[k].seen)
      {
        g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "missing required option '--%s=%s'",
                     options[k].name,
                     options[k].arg ? options[k].arg : type_placeholder (options[k].type));
        return FALSE;
      }
  if (standard)
    *standard = std.values;
  return TRUE;
}

/* ----------------------------------------------------------------- help */

static char *
option_default (const DfOption *opt)
{
  char buf[32];

  if (opt->value == NULL || opt->required)
    return NULL;
  switch (opt->type)
    {
    case DF_OPTION_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, *(const gint64 *) opt->value);
    case DF_OPTION_DOUBLE:
      g_ascii_dtostr (buf, sizeof buf, *(const double *) opt->value);
      return g_strdup (buf);
    case DF_OPTION_BOOL:
      return *(const gboolean *) opt->value ? g_strdup ("true") : NULL;
    case DF_OPTION_STRING:
      return g_strdup (*(const char *const *) opt->value);
    case DF_OPTION_DURATION:
      return g_strdup (df_format_duration (*(const GTimeSpan *) opt->value, buf));
    }
  return NULL;
}

static void
help_line (GString *out, const DfOption *opt, gboolean show_default)
{
  char *left = opt->type == DF_OPTION_BOOL
    ? g_strdup_printf ("--%s", opt->name)
    : g_strdup_printf ("--%s=%s", opt->name, opt->arg ? opt->arg : type_placeholder (opt->type));
  char *def = show_default ? option_default (opt) : NULL;

  g_string_append_printf (out, "  %-26s %s", left, opt->description ? opt->description : "");
  if (opt->required)
    g_string_append (out, " (required)");
  else if (def)
    g_string_append_printf (out, " (default: %s)", def);
  g_string_append_c (out, '\n');
  g_free (def);
  g_free (left);
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
  g_string_append_printf (out, "  %-26s %s\n", "-h, --help", "show this help and exit");
  return g_string_free (out, FALSE);
}

void
df_options_parse_or_exit (const char *summary, DfOption *options, gsize n_options,
                          DfStandardOptions *standard, int argc, char **argv)
{
  char *program = g_path_get_basename (argc > 0 ? argv[0] : "program");
  GError *error = NULL;
  gboolean help;

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
