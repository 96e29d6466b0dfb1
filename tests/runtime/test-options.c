/* test-options.c — command-line options of standalone programs. */
#include <string.h>

#include "rt-test.h"

typedef struct {
  gint64      count;
  double      ratio;
  gboolean    verbose;
  const char *path;
  GTimeSpan   every;
  guint64     big;
  double      scale;
  gboolean    colour;
  DfOption    options[8];
} Inputs;

static void
inputs_init (Inputs *in)
{
  memset (in, 0, sizeof *in);
  in->count = 5;
  in->ratio = 0.5;
  in->path = "default.txt";
  in->every = 2 * G_TIME_SPAN_SECOND;
  in->options[0] = (DfOption) { .name = "count", .type = DF_OPTION_INT, .value = &in->count,
                                .description = "how many", .min = 0, .max = G_MAXINT };
  in->options[1] = (DfOption) { .name = "ratio", .type = DF_OPTION_DOUBLE, .value = &in->ratio,
                                .description = "a fraction" };
  in->options[2] = (DfOption) { .name = "verbose", .type = DF_OPTION_BOOL, .value = &in->verbose,
                                .description = "say more" };
  in->options[3] = (DfOption) { .name = "path", .type = DF_OPTION_STRING, .value = &in->path,
                                .arg = "FILE", .description = "the input", .required = TRUE };
  in->options[4] = (DfOption) { .name = "every", .type = DF_OPTION_DURATION, .value = &in->every,
                                .description = "the period" };
  in->options[5] = (DfOption) { .name = "big", .type = DF_OPTION_UINT, .value = &in->big };
  in->options[6] = (DfOption) { .name = "scale", .type = DF_OPTION_FLOAT, .value = &in->scale,
                                .description = "a factor" };
  in->scale = 0.1;
  in->colour = TRUE;
  in->options[7] = (DfOption) { .name = "colour", .type = DF_OPTION_BOOL, .value = &in->colour,
                                .description = "colour the output" };
}

static gboolean
parse (Inputs *in, DfStandardOptions *std, const char *args, GError **error)
{
  g_auto (GStrv) argv = g_strsplit (args, " ", -1);
  gboolean help;
  gboolean ok = df_options_parse (in->options, G_N_ELEMENTS (in->options), std,
                                  (int) g_strv_length (argv), argv, &help, error);
  g_assert_false (help);
  /* Strings point into argv: copy what the test looks at. */
  if (ok)
    in->path = g_intern_string (in->path);
  return ok;
}

static void
test_types (void)
{
  Inputs in;
  DfStandardOptions std = { 0 };
  GError *error = NULL;

  inputs_init (&in);
  g_assert_true (parse (&in, &std,
                        "prog --count=42 --ratio -2.5e-1 --verbose --path=/tmp/x --every=250ms "
                        "--stats --stats-interval=1.5 --mode=sync --workers=4", &error));
  g_assert_no_error (error);
  g_assert_cmpint (in.count, ==, 42);
  g_assert_cmpfloat (in.ratio, ==, -0.25);
  g_assert_true (in.verbose);
  g_assert_cmpstr (in.path, ==, "/tmp/x");
  g_assert_cmpint (in.every, ==, 250 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (in.options[0].seen);
  g_assert_true (std.stats);
  g_assert_cmpint (std.stats_interval, ==, 1500 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (std.mode, ==, DF_MODE_SYNC);
  g_assert_cmpint (std.workers, ==, 4);

  /* Defaults stay; booleans are --x, --no-x, --x=true|false. */
  inputs_init (&in);
  g_assert_true (parse (&in, NULL, "prog --path x --no-verbose --no-colour", &error));
  g_assert_cmpint (in.count, ==, 5);
  g_assert_false (in.verbose);
  g_assert_false (in.colour);
  g_assert_false (in.options[0].seen);
  g_assert_true (in.options[7].seen);
  inputs_init (&in);
  g_assert_true (parse (&in, NULL, "prog --path=x --verbose=true --colour=false --every=0", &error));
  g_assert_true (in.verbose);
  g_assert_false (in.colour);
  g_assert_cmpint (in.every, ==, 0);

  /* The whole of guint64; a float's range; "--" ends the options. */
  inputs_init (&in);
  g_assert_true (parse (&in, NULL, "prog --path=x --big=18446744073709551615 --scale=3.4e38 --", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (in.big, ==, G_MAXUINT64);
  g_assert_cmpfloat (in.scale, ==, 3.4e38);
  inputs_init (&in);
  g_assert_true (parse (&in, NULL, "prog --path=x --ratio=1e-400 --count=-0 --big=+7", &error));
  g_assert_cmpuint (in.big, ==, 7);
  g_assert_cmpfloat (in.ratio, ==, 0.0);   /* underflow rounds to zero, as in C */
  g_assert_cmpint (in.count, ==, 0);

  /* --stats-interval: 0 is off; otherwise 1ms to 24h. */
  static const char *const intervals[] = { "0", "0.001", "1ms", "86400", "24h" };
  static const GTimeSpan interval_values[] = { 0, 1000, 1000, G_TIME_SPAN_DAY, G_TIME_SPAN_DAY };
  for (gsize i = 0; i < G_N_ELEMENTS (intervals); i++)
    {
      g_autofree char *args = g_strdup_printf ("prog --path=x --stats-interval=%s", intervals[i]);
      inputs_init (&in);
      std = (DfStandardOptions) { 0 };
      g_assert_true (parse (&in, &std, args, &error));
      g_assert_cmpint (std.stats_interval, ==, interval_values[i]);
    }
}

/* Bad usage: every case is DF_ERROR_USAGE with a message naming it. */
static void
test_bad_values (void)
{
  static const struct {
    const char *args;
    const char *message;
  } cases[] = {
    { "prog --path=x --count=abc", "invalid value 'abc' for --count: expected an integer" },
    { "prog --path=x --count=12x", "invalid value '12x' for --count" },
    { "prog --path=x --count=-1", "expected an integer from 0 to 2147483647" },
    { "prog --path=x --count=99999999999", "from 0 to 2147483647" },
    { "prog --path=x --ratio=fast", "invalid value 'fast' for --ratio: expected a number" },
    { "prog --path=x --ratio=inf", "invalid value 'inf' for --ratio: expected a number from" },
    { "prog --path=x --ratio=-infinity", "expected a number from" },
    { "prog --path=x --ratio=nan", "invalid value 'nan' for --ratio: expected a number" },
    { "prog --path=x --ratio=1e400", "invalid value '1e400' for --ratio: expected a number from" },
    { "prog --path=x --ratio=-1e400", "expected a number from" },
    { "prog --path=x --scale=3.5e38", "invalid value '3.5e38' for --scale: expected a number from" },
    { "prog --path=x --count=99999999999999999999", "from 0 to 2147483647" },
    { "prog --path=x --big=18446744073709551616", "expected an integer from 0 to 18446744073709551615" },
    { "prog --path=x --big=-1", "invalid value '-1' for --big: expected an integer from 0 to" },
    { "prog --path=x --big=1e3", "invalid value '1e3' for --big: expected an integer" },
    { "prog --path=x --big=+-1", "invalid value '+-1' for --big: expected an integer" },
    { "prog --path=x --big=0x10", "invalid value '0x10' for --big: expected an integer" },
    { "prog --path=x --verbose=maybe",
      "invalid value 'maybe' for --verbose: a boolean is --verbose or --no-verbose (or --verbose=true|false)" },
    { "prog --path=x --verbose=yes", "a boolean is --verbose or --no-verbose" },
    { "prog --path=x --verbose=1", "a boolean is --verbose or --no-verbose" },
    { "prog --path=x --no-verbose=true", "option '--no-verbose' takes no value" },
    { "prog --path=x --no-count", "unknown option '--no-count'" },
    { "prog --path=x --count=1 --count=2", "option '--count' given more than once" },
    { "prog --path=x --verbose --no-verbose", "option '--verbose' given more than once" },
    { "prog --path=x --path=y", "option '--path' given more than once" },
    { "prog --path=x --stats --stats", "option '--stats' given more than once" },
    { "prog --path=x --mode=sync --mode=async", "option '--mode' given more than once" },
    { "prog --path=x -- --count=3", "unexpected argument '--count=3'" },
    { "prog --path=x -- --", "unexpected argument '--'" },
    { "prog -- --help", "unexpected argument '--help'" },
    { "prog --path=x --every=2", "expected a duration such as 250ms" },
    { "prog --path=x --every=1.5s", "invalid value '1.5s' for --every" },
    { "prog --path=x --every=-2s", "invalid value '-2s'" },
    { "prog --path=x --every=3d", "invalid value '3d'" },
    { "prog --path=x --count", "option '--count' needs a value (--count=N)" },
    { "prog --path=x --cuont=3", "unknown option '--cuont'; did you mean '--count'?" },
    { "prog --path=x --zzzzzz", "unknown option '--zzzzzz'" },
    { "prog --path=x extra", "unexpected argument 'extra'" },
    { "prog --path=x -v", "unexpected argument '-v'" },
    { "prog --count=3", "missing option: --path" },
    { "prog --path=x --mode=fast", "invalid value 'fast' for --mode: expected sync or async" },
    { "prog --path=x --workers=0", "expected an integer from 1 to 4096" },
    { "prog --path=x --stats-interval=soon", "for --stats-interval" },
    { "prog --path=x --stats-interval=-1", "invalid value '-1' for --stats-interval: expected 0 (off)" },
    { "prog --path=x --stats-interval=0.0001", "expected 0 (off) or seconds from 0.001 to 86400" },
    { "prog --path=x --stats-interval=86401", "expected 0 (off) or seconds" },
    { "prog --path=x --stats-interval=25h", "expected 0 (off) or seconds" },
    { "prog --path=x --stats-interval=1e300", "for --stats-interval" },
    { "prog --path=x --stats-interval=9223372036854775807", "for --stats-interval" },
    { "prog --path=x --stats-interval=9223372036854775807us", "for --stats-interval" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Inputs in;
      DfStandardOptions std = { 0 };
      GError *error = NULL;

      inputs_init (&in);
      g_test_message ("%s", cases[i].args);
      g_assert_false (parse (&in, &std, cases[i].args, &error));
      g_assert_error (error, DF_ERROR, DF_ERROR_USAGE);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("'%s': got '%s', expected '%s'", cases[i].args, error->message,
                 cases[i].message);
      g_clear_error (&error);
    }

  /* Every missing option in one message. */
  {
    Inputs in;
    GError *error = NULL;
    inputs_init (&in);
    in.options[0].required = TRUE;
    in.options[5].required = TRUE;
    g_assert_false (parse (&in, NULL, "prog --ratio=1", &error));
    g_assert_error (error, DF_ERROR, DF_ERROR_USAGE);
    g_assert_cmpstr (error->message, ==, "missing options: --count, --path, --big");
    g_clear_error (&error);
  }

  /* Without standard options, --stats is unknown. */
  Inputs in;
  GError *error = NULL;
  inputs_init (&in);
  g_assert_false (parse (&in, NULL, "prog --path=x --stats", &error));
  g_assert_error (error, DF_ERROR, DF_ERROR_USAGE);
  g_clear_error (&error);
}

static void
test_durations (void)
{
  static const struct {
    const char *text;
    gboolean    bare;
    gboolean    ok;
    GTimeSpan   value;
  } cases[] = {
    { "250ms", FALSE, TRUE, 250000 }, { "2s", FALSE, TRUE, 2000000 },
    { "5m", FALSE, TRUE, 300000000 }, { "1h", FALSE, TRUE, 3600000000 },
    { "10us", FALSE, TRUE, 10 }, { "0", FALSE, TRUE, 0 },
    { "7", FALSE, FALSE, 0 }, { "7", TRUE, TRUE, 7000000 },
    { "0.25", TRUE, TRUE, 250000 }, { "", FALSE, FALSE, 0 }, { "ms", FALSE, FALSE, 0 },
    { "1.5s", TRUE, FALSE, 0 }, { "99999999999999999999s", FALSE, FALSE, 0 },
    { "9999999999999h", FALSE, FALSE, 0 }, { "-1s", FALSE, FALSE, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GTimeSpan v = -1;
      gboolean ok = df_parse_duration (cases[i].text, cases[i].bare, &v);
      g_test_message ("'%s'", cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (v, ==, cases[i].value);
    }

  char buf[32];
  g_assert_cmpstr (df_format_duration (0, buf), ==, "0s");
  g_assert_cmpstr (df_format_duration (250000, buf), ==, "250ms");
  g_assert_cmpstr (df_format_duration (120 * G_TIME_SPAN_SECOND, buf), ==, "2m");
  g_assert_cmpstr (df_format_duration (G_TIME_SPAN_HOUR, buf), ==, "1h");
  g_assert_cmpstr (df_format_duration (1500, buf), ==, "1500us");
}

static void
test_help (void)
{
  Inputs in;
  gboolean help;

  inputs_init (&in);
  /* --help wins over what follows it, and needs no required option. */
  char *argv2[] = { "prog", "--help", "--count=zzz", NULL };
  g_assert_true (df_options_parse (in.options, G_N_ELEMENTS (in.options), NULL, 3, argv2,
                                   &help, NULL));
  g_assert_true (help);

  char *text = df_options_help ("prog", "Counts things.", in.options,
                                G_N_ELEMENTS (in.options), TRUE);
  static const char *const lines[] = {
    "Usage: prog [OPTION]...\nCounts things.\n",
    "  --count=N                  how many (default: 5)\n",
    "  --ratio=X                  a fraction (default: 0.5)\n",
    "  --[no-]verbose             say more (default: false)\n",
    "  --big=N                    (default: 0)\n",
    "  --scale=X                  a factor (default: 0.1)\n",
    "  --[no-]colour              colour the output (default: true)\n",
    "  --path=FILE                the input (required)\n",
    "  --every=DURATION           the period (default: 2s)\n",
    "  --[no-]stats               print per-stage statistics at the end\n",
    "  --stats-interval=SECS      also print them",
    "  --mode=sync|async",
    "  -h, --help                 show this help and exit\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    if (!strstr (text, lines[i]))
      g_error ("help lacks '%s':\n%s", lines[i], text);
  g_free (text);
}

/* A name too long for the column gets its text on the next line; a text
 * with a newline continues aligned. */
static void
test_help_long_name (void)
{
  gint64 n = 3;
  DfOption options[] = {
    { .name = "a_very_long_option_name", .type = DF_OPTION_INT, .value = &n, .description = "counts" },
    { .name = "lines", .type = DF_OPTION_INT, .value = &n, .description = "one\ntwo" },
  };
  g_autofree char *text = df_options_help ("prog", NULL, options, 2, FALSE);
  g_assert_cmpstr (text, ==,
                   "Usage: prog [OPTION]...\n"
                   "\n"
                   "Inputs:\n"
                   "  --a_very_long_option_name=N\n"
                   "                             counts (default: 3)\n"
                   "  --lines=N                  one\n"
                   "                             two (default: 3)\n"
                   "\n"
                   "Options:\n"
                   "  -h, --help                 show this help and exit\n");
}

/* parse_or_exit in a child process: exit status 2 and a message on
 * stderr for bad usage, 0 and the help on stdout for --help. */
static int
child (const char *mode)
{
  Inputs in;
  char *bad[] = { "prog", "--count=abc", NULL };
  char *help[] = { "prog", "--help", NULL };

  inputs_init (&in);
  df_options_parse_or_exit ("Counts things.", in.options, G_N_ELEMENTS (in.options), NULL,
                            2, g_str_equal (mode, "bad") ? bad : help);
  return 99;    /* not reached */
}

static void
test_exit_status (void)
{
  ProgramRun r = test_spawn_child ("bad");

  g_assert_cmpint (r.status, ==, DF_EXIT_USAGE);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpstr (r.err, ==, "prog: invalid value 'abc' for --count: expected an integer\n"
                   "Try 'prog --help' for more information.\n");
  program_run_clear (&r);

  r = test_spawn_child ("help");
  g_assert_cmpint (r.status, ==, DF_EXIT_OK);
  g_assert_true (g_str_has_prefix (r.out, "Usage: prog [OPTION]...\nCounts things.\n"));
  g_assert_cmpstr (r.err, ==, "");
  program_run_clear (&r);
}

int
main (int argc, char **argv)
{
  test_child_main (argc, argv, child);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runtime/options/types", test_types);
  g_test_add_func ("/runtime/options/bad-values", test_bad_values);
  g_test_add_func ("/runtime/options/durations", test_durations);
  g_test_add_func ("/runtime/options/help", test_help);
  g_test_add_func ("/runtime/options/help-long-name", test_help_long_name);
  g_test_add_func ("/runtime/options/exit-status", test_exit_status);
  return g_test_run ();
}
