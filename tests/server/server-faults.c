/* server-faults.c — which request is answered wrongly, and the counts.
 *
 * Every switch counts requests, never time, so a test knows exactly which
 * request fails: --fail-first N fails the first N requests of each
 * distinct path and query (a client that retries a page gets it on its
 * N+1th try), --fail-every N every Nth request overall, --malformed-every
 * N truncates the body of every Nth.  A request's own status= wins over
 * all of them.  /stats is neither counted nor faulted: a test may look at
 * any time without changing what follows.
 */
#include "server.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

static ServerFaultOptions options;
static guint64 total;
static GHashTable *per_path;  /* path → guint64 count (boxed in a pointer) */
static GHashTable *per_query; /* path?query → count */
static guint64 fault_counts[SERVER_FAULT_MALFORMED + 1];

static const char *const fault_names[] = {
  [SERVER_FAULT_NONE] = "none",
  [SERVER_FAULT_STATUS] = "status",
  [SERVER_FAULT_FAIL_FIRST] = "fail_first",
  [SERVER_FAULT_FAIL_EVERY] = "fail_every",
  [SERVER_FAULT_MALFORMED] = "malformed",
};

void
server_faults_init (const ServerFaultOptions *opts)
{
  options = *opts;
  per_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  per_query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

void
server_faults_shutdown (void)
{
  g_clear_pointer (&per_path, g_hash_table_unref);
  g_clear_pointer (&per_query, g_hash_table_unref);
}

/* Adds one to `key`'s count and returns the new count. */
static guint64
count (GHashTable *table, const char *key)
{
  guint64 *n = g_hash_table_lookup (table, key);

  if (n == NULL)
    {
      n = g_new0 (guint64, 1);
      g_hash_table_insert (table, g_strdup (key), n);
    }
  return ++*n;
}

/* `forced`: the request's own status= (200 when it has none). */
static ServerFault
choose (guint forced, guint64 of_query, guint *status)
{
  *status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  if (forced != SOUP_STATUS_OK)
    {
      *status = forced;
      return SERVER_FAULT_STATUS;
    }
  if (of_query <= options.fail_first)
    return SERVER_FAULT_FAIL_FIRST;
  if (options.fail_every != 0 && total % options.fail_every == 0)
    return SERVER_FAULT_FAIL_EVERY;
  if (options.malformed_every != 0 && total % options.malformed_every == 0)
    return SERVER_FAULT_MALFORMED;
  return SERVER_FAULT_NONE;
}

/* Counts the request and decides its fate.  FALSE, with `bad_query` set,
 * when its own delay_ms= or status= is not a number (or not a status). */
gboolean
server_faults_decide (const char *path, const char *raw_query, GHashTable *query,
                      ServerDecision *decision, ServerAnswer *bad_query)
{
  g_autofree char *key = g_strconcat (path, raw_query != NULL ? "?" : "",
                                      raw_query != NULL ? raw_query : "", NULL);
  guint status;

  total++;
  decision->number = count (per_path, path);
  if (!server_query_uint (query, "delay_ms", options.delay_ms, &decision->delay_ms, bad_query)
      || !server_query_uint (query, "status", 200, &status, bad_query))
    return FALSE;
  if (status < 100 || status > 599)
    {
      server_answer_error (bad_query, SOUP_STATUS_BAD_REQUEST, "status= must be from 100 to 599");
      return FALSE;
    }
  decision->fault = choose (status, count (per_query, key), &decision->status);
  fault_counts[decision->fault]++;
  return TRUE;
}

static int
compare_keys (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Members of `table` in sorted order, so /stats reads the same every time. */
static void
add_counts (JsonBuilder *builder, const char *name, GHashTable *table)
{
  g_autofree const char **keys =
    (const char **) g_hash_table_get_keys_as_array (table, NULL);
  guint n = g_hash_table_size (table);

  qsort (keys, n, sizeof *keys, compare_keys);
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      json_builder_set_member_name (builder, keys[i]);
      json_builder_add_int_value (builder, *(guint64 *) g_hash_table_lookup (table, keys[i]));
    }
  json_builder_end_object (builder);
}

/* {"total":N,"paths":{path:N…},"queries":{path?query:N…},"faults":{kind:N…}} */
char *
server_faults_stats_json (void)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, total);
  add_counts (builder, "paths", per_path);
  add_counts (builder, "queries", per_query);
  json_builder_set_member_name (builder, "faults");
  json_builder_begin_object (builder);
  for (guint i = SERVER_FAULT_STATUS; i < G_N_ELEMENTS (fault_names); i++)
    {
      json_builder_set_member_name (builder, fault_names[i]);
      json_builder_add_int_value (builder, fault_counts[i]);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}
