/* broker-stages.c — the stages of examples/broker.df.
 *
 * Two pretend backends answer from one key file (examples/data/backend.ini),
 * loaded once:
 *
 *   - ask_a answers after [backends] a-delay-ms, from a timeout source on
 *     the runtime's main context (the runtime thread);
 *   - ask_b answers after [backends] b-delay-ms, from a thread of its own:
 *     ask_b_return() is called on that thread.  It refuses the first ask
 *     for a city listed in b-busy (inline, during the call): the stage's
 *     `retry 2 backoff 100ms..1s` asks again;
 *   - a city a backend does not know is answered inline, during the call.
 *
 * Both watch the call's cancellable (cancelled on a timeout, or when the
 * other branch of the `par` fails) and then fail instead of answering:
 * ask_a at once, ask_b when its thread wakes up.  Either way each call is
 * completed exactly once.
 */
#include "broker.h"

#include <gio/gio.h>
#include <string.h>

/* ------------------------------------------------------------- the backends */

typedef struct {
  GHashTable *answers;    /* city -> answer, both owned */
  guint       delay_ms;
} Service;

typedef struct {
  char       *path;
  Service     a;
  Service     b;
  GHashTable *busy;       /* cities b refuses once; touched on the runtime thread */
} Backend;

static Service *
service_load (Service *service, GKeyFile *keys, const char *group, const char *delay_key,
              GError **error)
{
  g_auto (GStrv) cities = g_key_file_get_keys (keys, group, NULL, error);
  if (cities == NULL)
    return NULL;
  service->delay_ms = (guint) g_key_file_get_integer (keys, "backends", delay_key, NULL);
  service->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (char **city = cities; *city != NULL; city++)
    g_hash_table_insert (service->answers, g_strdup (*city),
                         g_key_file_get_string (keys, group, *city, NULL));
  return service;
}

/* The backend file, read on the first ask (on the runtime thread) and kept
 * for the life of the process: ask_b's threads read it without a lock,
 * which is safe because nothing changes it once loaded. */
static Backend *
backend_get (const char *path, GError **error)
{
  static Backend *backend;

  if (backend != NULL)
    {
      if (g_strcmp0 (backend->path, path) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: the backend is already loaded from %s", path, backend->path);
          return NULL;
        }
      return backend;
    }

  g_autoptr (GKeyFile) keys = g_key_file_new ();
  if (!g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }

  Backend loaded = { .busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  g_auto (GStrv) busy = g_key_file_get_string_list (keys, "backends", "b-busy", NULL, NULL);
  for (char **city = busy; city != NULL && *city != NULL; city++)
    g_hash_table_add (loaded.busy, g_strdup (*city));
  if (service_load (&loaded.a, keys, "a", "a-delay-ms", error) == NULL
      || service_load (&loaded.b, keys, "b", "b-delay-ms", error) == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      g_clear_pointer (&loaded.a.answers, g_hash_table_unref);
      g_clear_pointer (&loaded.b.answers, g_hash_table_unref);
      g_hash_table_unref (loaded.busy);
      return NULL;
    }
  loaded.path = g_strdup (path);
  backend = g_memdup2 (&loaded, sizeof loaded);
  return backend;
}

/* ------------------------------------------------------------------- receive */

/* "  Paris " -> "paris". */
gboolean
receive (DfContext *ctx, const char *request, char **query, GError **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (request));

  if (*trimmed == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "empty request");
      return FALSE;
    }
  if (!g_utf8_validate (trimmed, -1, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "request is not UTF-8");
      return FALSE;
    }
  *query = g_utf8_strdown (trimmed, -1);
  return TRUE;
}

/* ------------------------------------------------- ask_a: a timeout source */

typedef struct {
  DfCall  *call;
  char    *answer;
  GSource *timer;
  GSource *cancelled;
} AskA;

static void
ask_a_free (AskA *ask)
{
  g_source_destroy (ask->timer);
  g_source_unref (ask->timer);
  g_source_destroy (ask->cancelled);
  g_source_unref (ask->cancelled);
  g_free (ask->answer);
  g_free (ask);
}

static gboolean
ask_a_answer (gpointer data)
{
  AskA *ask = data;
  DfCall *call = ask->call;
  char *answer = g_steal_pointer (&ask->answer);

  ask_a_free (ask);
  ask_a_return (call, answer);
  return G_SOURCE_REMOVE;
}

static gboolean
ask_a_cancelled (GCancellable *cancellable, gpointer data)
{
  AskA *ask = data;
  DfCall *call = ask->call;

  ask_a_free (ask);
  df_call_fail (call, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           "backend a: cancelled"));
  return G_SOURCE_REMOVE;
}

void
ask_a (DfCall *call, char *query, const char *backend_path)
{
  GError *error = NULL;
  Backend *backend = backend_get (backend_path, &error);

  if (backend == NULL)
    {
      df_call_fail (call, error);
      return;
    }
  const char *known = g_hash_table_lookup (backend->a.answers, query);
  if (known == NULL)
    {
      ask_a_return (call, g_strdup ("no forecast"));   /* inline */
      return;
    }

  GMainContext *context = df_runtime_get_context (df_context_get_runtime (df_call_get_context (call)));
  AskA *ask = g_new0 (AskA, 1);
  ask->call = call;
  ask->answer = g_strdup (known);
  ask->timer = g_timeout_source_new (backend->a.delay_ms);
  g_source_set_callback (ask->timer, ask_a_answer, ask, NULL);
  ask->cancelled = g_cancellable_source_new (df_call_get_cancellable (call));
  g_source_set_callback (ask->cancelled, G_SOURCE_FUNC (ask_a_cancelled), ask, NULL);
  g_source_attach (ask->timer, context);
  g_source_attach (ask->cancelled, context);
}

/* ------------------------------------------------------ ask_b: a thread */

typedef struct {
  DfCall       *call;
  GCancellable *cancellable;
  Service      *service;
  char         *query;
} AskB;

static gpointer
ask_b_thread (gpointer data)
{
  AskB *ask = data;
  DfCall *call = ask->call;
  g_autoptr (GCancellable) cancellable = g_steal_pointer (&ask->cancellable);
  char *answer = g_strdup (g_hash_table_lookup (ask->service->answers, ask->query));

  g_usleep (ask->service->delay_ms * G_TIME_SPAN_MILLISECOND);
  g_free (ask->query);
  g_free (ask);

  /* This thread, not the loop's, completes the call. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_free (answer);
      df_call_fail (call, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               "backend b: cancelled"));
      return NULL;
    }
  ask_b_return (call, answer);
  return NULL;
}

void
ask_b (DfCall *call, char *query, const char *backend_path)
{
  GError *error = NULL;
  Backend *backend = backend_get (backend_path, &error);

  if (backend == NULL)
    {
      df_call_fail (call, error);
      return;
    }
  if (!g_hash_table_contains (backend->b.answers, query))
    {
      ask_b_return (call, g_strdup ("unknown"));       /* inline */
      return;
    }
  if (g_hash_table_remove (backend->busy, query))
    {
      df_call_failf (call, G_IO_ERROR, G_IO_ERROR_BUSY, "backend b is busy with '%s'", query);
      return;
    }

  AskB *ask = g_new0 (AskB, 1);
  ask->call = call;
  /* The call owns its cancellable only until it is completed. */
  ask->cancellable = g_object_ref (df_call_get_cancellable (call));
  ask->service = &backend->b;
  ask->query = g_strdup (query);
  g_thread_unref (g_thread_new ("backend-b", ask_b_thread, ask));
}

/* --------------------------------------------------- transforms and compose */

gboolean
transform_a (DfContext *ctx, char *answer_a, char **data, GError **error)
{
  *data = g_strdup_printf ("weather %s", answer_a);
  return TRUE;
}

/* "2102650" -> "population 2,102,650"; anything else is passed on. */
gboolean
transform_b (DfContext *ctx, char *answer_b, char **data, GError **error)
{
  guint64 people;

  if (!g_ascii_string_to_unsigned (answer_b, 10, 0, G_MAXUINT64, &people, NULL))
    {
      *data = g_strdup_printf ("population %s", answer_b);
      return TRUE;
    }

  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, people);
  GString *text = g_string_new ("population ");
  gsize n = strlen (digits);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (text, ',');
      g_string_append_c (text, digits[i]);
    }
  *data = g_string_free (text, FALSE);
  return TRUE;
}

gboolean
compose (DfContext *ctx, char *query, char *a_data, char *b_data, char **response,
         GError **error)
{
  *response = g_strdup_printf ("%s: %s; %s", query, a_data, b_data);
  return TRUE;
}
