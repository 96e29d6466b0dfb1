/* test-broker.c — examples/http-broker.df against the test server's two
 * backends: both asked once and their answers composed; a city they do
 * not know (404) and a backend's 500 fail the request with the status in
 * the message, status 1. */
#include "http-e2e.h"

#include <string.h>

static ProgramRun
ask (TestServer *server, const char *city)
{
  g_autofree char *weather = test_server_url_for (server, "weather");
  g_autofree char *population = test_server_url_for (server, "population");
  g_autofree char *query_arg = g_strconcat ("--request=", city, NULL);
  g_autofree char *weather_arg = g_strconcat ("--weather=", weather, NULL);
  g_autofree char *population_arg = g_strconcat ("--population=", population, NULL);
  const char *args[] = { query_arg, weather_arg, population_arg, NULL };

  return program_run ("EXAMPLE_HTTP_BROKER", args);
}

static void
test_composed (void)
{
  TestServer *server = server_start (NULL);
  ProgramRun run = ask (server, "Paris");

  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "response=Paris: weather sunny; population 2102650\n");
  g_assert_cmpint (server_count (server, "paths", "/weather"), ==, 1);
  g_assert_cmpint (server_count (server, "paths", "/population"), ==, 1);
  program_run_clear (&run);

  /* The request is trimmed and escaped into the one query both ask. */
  run = ask (server, "  Paris ");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "response=Paris: weather sunny; population 2102650\n");
  g_assert_cmpint (server_count (server, "paths", "/weather"), ==, 2);
  program_run_clear (&run);
  server_stop (server);
}

static void
test_unknown_city (void)
{
  TestServer *server = server_start (NULL);
  ProgramRun run = ask (server, "Atlantis");

  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "404"));
  g_assert_nonnull (strstr (run.err, "city=Atlantis"));
  program_run_clear (&run);
  server_stop (server);
}

static void
test_backend_fails (void)
{
  const char *server_args[] = { "--fail-first", "1", NULL };
  TestServer *server = server_start (server_args);
  ProgramRun run = ask (server, "Paris");

  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "500"));
  program_run_clear (&run);
  server_stop (server);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/http-broker/composed", test_composed);
  g_test_add_func ("/http-broker/unknown-city", test_unknown_city);
  g_test_add_func ("/http-broker/backend-fails", test_backend_fails);
  return g_test_run ();
}
