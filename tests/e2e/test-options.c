/* test-options.c — the command line of a generated program (options.df,
 * $E2E_OPTIONS), as docs/cli.md describes it: --help, defaults and help
 * texts, booleans, the range of each integer type, floats, missing,
 * repeated and unknown options, "--", --stats-interval's range, exit
 * status 2 and messages that start with the program's name. */
#include <string.h>

#include <gio/gio.h>

#include "dfc-run.h"
#include "program-run.h"

#define PROG "e2e-options"

/* Runs $E2E_OPTIONS with @args (NULL-terminated). */
static ProgramRun
run_args (const char *const *args)
{
  return program_run ("E2E_OPTIONS", args);
}

#define RUN(...) run_args (PROGRAM_ARGS (__VA_ARGS__))

/* Is @line one of the lines of @text? */
static gboolean
has_line (const char *text, const char *line)
{
  g_autofree char *wrapped = g_strdup_printf ("\n%s", text);
  g_autofree char *needle = g_strdup_printf ("\n%s\n", line);
  return strstr (wrapped, needle) != NULL;
}

static void
assert_lines (const ProgramRun *r, const char *const *lines)
{
  for (guint i = 0; lines[i] != NULL; i++)
    if (!has_line (r->out, lines[i]))
      g_test_fail_printf ("no line '%s' in stdout:\n%s", lines[i], r->out);
}

/* A usage error: exit 2, nothing on stdout, and exactly @message after
 * the program's name, then the hint. */
static void
assert_usage (const char *const *args, const char *message)
{
  ProgramRun r = run_args (args);
  g_autofree char *expected = g_strdup_printf (PROG ": %s\nTry '" PROG " --help' for more information.\n",
                                               message);
  g_autofree char *joined = g_strjoinv (" ", (char **) args);
  if (r.status != 2 || strcmp (r.err, expected) != 0 || r.out[0] != '\0')
    g_test_fail_printf ("%s: exit %d, stdout '%s', stderr '%s', expected '%s'", joined, r.status, r.out,
                        r.err, expected);
  program_run_clear (&r);
}

#define USAGE(message, ...) assert_usage ((const char *const[]) { __VA_ARGS__, NULL }, message)

static void
test_help (void)
{
  ProgramRun r = RUN ("--help");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpstr (r.out, ==,
                   "Usage: " PROG " [OPTION]...\n"
                   "Runs show and ints.\n"
                   "\n"
                   "Inputs:\n"
                   "  --url=TEXT                 the API's base address (required)\n"
                   "  --per_page=N               items per page (default: 200)\n"
                   "  --[no-]verbose             say more (default: false)\n"
                   "  --[no-]colour              colour the output (default: true)\n"
                   "  --ratio=X                  a fraction (default: 0.5)\n"
                   "  --scale=X                  (default: 1.5)\n"
                   "  --wait=DURATION            how long to wait (default: 250ms)\n"
                   "  --tag=TEXT                 a label (required)\n"
                   "  --big=N                    (default: 18446744073709551615)\n"
                   "  --i32=N                    (default: -5)\n"
                   "  --u32=N                    (default: 0)\n"
                   "  --size=N                   (default: 0)\n"
                   "  --i8=N                     (default: 0)\n"
                   "  --i64=N                    (default: 0)\n"
                   "\n"
                   "Options:\n"
                   "  --[no-]stats               print per-stage statistics at the end\n"
                   "  --stats-interval=SECS      also print them every SECS seconds (or 500ms, 1m...)\n"
                   "  --mode=sync|async          async: queued delivery (default); sync: depth-first, deterministic\n"
                   "  --workers=N                worker threads for blocking stages\n"
                   "  --[no-]quiet               do not log the failures that are skipped or retried\n"
                   "  -h, --help                 show this help and exit\n");
  program_run_clear (&r);

  /* -h too, and --help wins over a bad option after it. */
  r = RUN ("-h", "--bogus");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "Usage: " PROG " [OPTION]...\n"));
  program_run_clear (&r);
}

static void
test_defaults (void)
{
  ProgramRun r = RUN ("--url=http://api", "--tag=t");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  assert_lines (&r, (const char *const[]) {
    "url_out=http://api", "per_page_out=200", "verbose_out=false", "colour_out=true", "ratio_out=0.5",
    "scale_out=1.5", "wait_out=250000", "tag_out=t", "big_out=18446744073709551615", "i32_out=-5",
    "u32_out=0", "size_out=0", "i8_out=0", "i64_out=0",
    /* the third run binds url and per_page: they are not options there */
    "url_out=http://fixed", "per_page_out=1", NULL });
  program_run_clear (&r);
}

static void
test_values (void)
{
  ProgramRun r = RUN ("--url", "u", "--per_page=-7", "--verbose", "--no-colour", "--ratio", "-2.5e-1", "--scale=3e38",
               "--wait=2m", "--tag=", "--big=0", "--i32=-2147483648", "--u32=4294967295",
               "--size=18446744073709551615", "--i8=-128", "--i64=-9223372036854775808", "--");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  assert_lines (&r, (const char *const[]) {
    "url_out=u", "per_page_out=-7", "verbose_out=true", "colour_out=false", "colour_too=false", "ratio_out=-0.25",
    "scale_out=3.0000000054977558e+38", "wait_out=120000000", "tag_out=", "big_out=0",
    "i32_out=-2147483648", "u32_out=4294967295", "size_out=18446744073709551615", "i8_out=-128",
    "i64_out=-9223372036854775808", NULL });
  program_run_clear (&r);

  r = RUN ("--url=u", "--tag=t", "--verbose=true", "--colour=false", "--i8=127", "--i32=2147483647");
  g_assert_cmpint (r.status, ==, 0);
  assert_lines (&r, (const char *const[]) {
    "verbose_out=true", "colour_out=false", "i8_out=127", "i32_out=2147483647", NULL });
  program_run_clear (&r);
}

#define REQ "--url=u", "--tag=t"

static void
test_ranges (void)
{
  USAGE ("invalid value '18446744073709551616' for --big: expected an integer from 0 to 18446744073709551615",
         REQ, "--big=18446744073709551616");
  USAGE ("invalid value '-1' for --big: expected an integer from 0 to 18446744073709551615", REQ, "--big=-1");
  USAGE ("invalid value '2147483648' for --i32: expected an integer from -2147483648 to 2147483647",
         REQ, "--i32=2147483648");
  USAGE ("invalid value '4294967296' for --u32: expected an integer from 0 to 4294967295", REQ, "--u32=4294967296");
  USAGE ("invalid value '-129' for --i8: expected an integer from -128 to 127", REQ, "--i8=-129");
  USAGE ("invalid value '9223372036854775808' for --i64: expected an integer from -9223372036854775808 to "
         "9223372036854775807", REQ, "--i64=9223372036854775808");
  USAGE ("invalid value '99999999999999999999' for --per_page: expected an integer from -2147483648 to 2147483647",
         REQ, "--per_page=99999999999999999999");
  USAGE ("invalid value '12x' for --per_page: expected an integer", REQ, "--per_page=12x");
  USAGE ("invalid value '1e400' for --ratio: expected a number from -1.79769e+308 to 1.79769e+308",
         REQ, "--ratio=1e400");
  USAGE ("invalid value 'inf' for --ratio: expected a number from -1.79769e+308 to 1.79769e+308",
         REQ, "--ratio=inf");
  USAGE ("invalid value 'nan' for --ratio: expected a number", REQ, "--ratio=nan");
  USAGE ("invalid value '4e38' for --scale: expected a number from -3.40282e+38 to 3.40282e+38",
         REQ, "--scale=4e38");
  USAGE ("invalid value '2' for --wait: expected a duration such as 250ms, 2s, 5m or 1h", REQ, "--wait=2");
}

static void
test_booleans (void)
{
  USAGE ("invalid value 'yes' for --verbose: a boolean is --verbose or --no-verbose (or --verbose=true|false)",
         REQ, "--verbose=yes");
  USAGE ("option '--no-verbose' takes no value", REQ, "--no-verbose=true");
  USAGE ("option '--verbose' given more than once", REQ, "--verbose", "--no-verbose");
  USAGE ("unknown option '--no-url'", REQ, "--no-url");
}

static void
test_mistakes (void)
{
  USAGE ("missing options: --url, --tag", "--per_page=3");
  USAGE ("missing option: --tag", "--url=u");
  USAGE ("option '--url' given more than once", REQ, "--url=v");
  USAGE ("option '--stats' given more than once", REQ, "--stats", "--stats");
  USAGE ("unknown option '--per-page'; did you mean '--per_page'?", REQ, "--per-page=3");
  USAGE ("option '--per_page' needs a value (--per_page=N)", REQ, "--per_page");
  USAGE ("unexpected argument 'extra' (the inputs are options: --NAME=VALUE)", REQ, "extra");
  USAGE ("unexpected argument 'extra' (the inputs are options: --NAME=VALUE)", REQ, "--", "extra");
  USAGE ("unexpected argument '--help' (the inputs are options: --NAME=VALUE)", REQ, "--", "--help");
  USAGE ("invalid value 'fast' for --mode: expected sync or async", REQ, "--mode=fast");
}

/* --stats-interval is 0 (off) or 1ms..24h; a huge one would overflow
 * the timer's deadline. */
static void
test_stats_interval (void)
{
  static const char *const bad[] = {
    "-1", "-0.5", "0.0001", "86401", "25h", "1e300", "9223372036854775807", "9223372036854775807us", "1e",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *arg = g_strdup_printf ("--stats-interval=%s", bad[i]);
      g_autofree char *message = g_strdup_printf (
        "invalid value '%s' for --stats-interval: expected 0 (off) or seconds from 0.001 to 86400 (or 1ms to 24h)",
        bad[i]);
      USAGE (message, REQ, arg);
    }
  ProgramRun r = RUN (REQ, "--stats-interval=0");
  g_assert_cmpint (r.status, ==, 0);
  program_run_clear (&r);
}

/* Each of main's own options (the Options: part of --help) is a name dfc
 * rejects for a run input (reserved-option): the runtime's options and
 * the compiler's list of reserved names cannot drift apart. */
static void
test_reserved (void)
{
  ProgramRun r = RUN ("--help");
  const char *options = strstr (r.out, "\nOptions:\n");
  g_assert_nonnull (options);
  g_autoptr (GRegex) regex = g_regex_new ("^  (?:-h, )?--(?:\\[no-\\])?([a-z-]+)", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  guint checked = 0;
  for (g_regex_match (regex, options, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *name = g_match_info_fetch (match, 1);
      g_strdelimit (name, "-", '_');
      g_autofree char *source = g_strdup_printf ("stage s(x: int);\n"
                                                 "flow f(%s: int) { s(x = %s); }\n"
                                                 "main { run f; }\n", name, name);
      DfcResult res;
      dfc_run (NULL, (const char *const[]) { "--check", "-", NULL }, source, strlen (source), &res);
      if (res.status != 1 || strstr (res.err, "[reserved-option]") == NULL)
        g_test_fail_printf ("an input named '%s' is not reserved-option: exit %d, %s", name, res.status, res.err);
      dfc_result_clear (&res);
      checked++;
    }
  g_assert_cmpuint (checked, >=, 5);   /* stats, stats-interval, mode, workers, help */
  program_run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  g_test_add_func ("/options/help", test_help);
  g_test_add_func ("/options/defaults", test_defaults);
  g_test_add_func ("/options/values", test_values);
  g_test_add_func ("/options/ranges", test_ranges);
  g_test_add_func ("/options/booleans", test_booleans);
  g_test_add_func ("/options/mistakes", test_mistakes);
  g_test_add_func ("/options/stats-interval", test_stats_interval);
  g_test_add_func ("/options/reserved", test_reserved);
  return g_test_run ();
}
