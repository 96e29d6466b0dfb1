/* graph-common.c — see graph-common.h. */
#include <pthread.h>
#include <string.h>

#include "graph-common.h"

/* ------------------------------------------------------- counted strings */

static gint n_made, n_copied, n_freed;

char *
str_new (const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  char *s = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_atomic_int_inc (&n_made);
  return s;
}

char *
str_copy (const char *s)
{
  g_assert_nonnull (s);
  g_atomic_int_inc (&n_copied);
  return g_strdup (s);
}

void
str_free (char *s)
{
  g_assert_nonnull (s);   /* g_clear_pointer never passes NULL */
  g_atomic_int_inc (&n_freed);
  g_free (s);
}

void
strs_reset (void)
{
  g_atomic_int_set (&n_made, 0);
  g_atomic_int_set (&n_copied, 0);
  g_atomic_int_set (&n_freed, 0);
}

gint strs_made (void) { return g_atomic_int_get (&n_made); }
gint strs_copied (void) { return g_atomic_int_get (&n_copied); }
gint strs_freed (void) { return g_atomic_int_get (&n_freed); }

/* ------------------------------------------------------------------ runs */

G_DEFINE_QUARK (gt-error-quark, gt_error)

void
gt_init (int *argc, char ***argv)
{
  g_test_init (argc, argv, NULL);
  /* Registered before any worker fails with it (G_DEFINE_QUARK's first
   * call is not thread-safe). */
  (void) gt_error_quark ();
}

static void
add_error (guint node, gint64 time, const GError *error, gpointer data)
{
  GString *s = data;
  g_string_append_printf (s, "%s%s", s->len ? "|" : "", error->message);
}

char *
gt_errors (DfGraph *graph, const char *name)
{
  GString *s = g_string_new (NULL);
  gint i = df_graph_find_node (graph, name);
  g_assert_cmpint (i, >=, 0);
  df_graph_foreach_error (graph, (guint) i, add_error, s);
  return g_string_free (s, FALSE);
}

/* ---------------------------------------------------------- completions */

/* Three threads on a pthread queue (not GThreadPool: ThreadSanitizer sees
 * pthread synchronisation, not GLib's). */
typedef struct Later {
  struct Later *next;
  GtFunc func;
  gpointer data;
  gulong usec;
} Later;

#define GT_THREADS 3

static pthread_mutex_t later_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t later_cond = PTHREAD_COND_INITIALIZER;
static Later *later_head, *later_tail;
static gboolean later_closed;
static pthread_t later_threads[GT_THREADS];
static gboolean later_started;

static void *
later_thread (void *arg)
{
  for (;;)
    {
      pthread_mutex_lock (&later_lock);
      while (later_head == NULL && !later_closed)
        pthread_cond_wait (&later_cond, &later_lock);
      Later *l = later_head;
      if (l != NULL && (later_head = l->next) == NULL)
        later_tail = NULL;
      pthread_mutex_unlock (&later_lock);
      if (l == NULL)
        return NULL;
      if (l->usec)
        g_usleep (l->usec);
      l->func (l->data);
      g_free (l);
    }
}

void
gt_later (GtFunc func, gpointer data, gulong usec)
{
  Later *l = g_new0 (Later, 1);
  l->func = func;
  l->data = data;
  l->usec = usec;
  pthread_mutex_lock (&later_lock);
  if (!later_started)
    {
      later_started = TRUE;
      later_closed = FALSE;
      for (int i = 0; i < GT_THREADS; i++)
        pthread_create (&later_threads[i], NULL, later_thread, NULL);
    }
  if (later_tail != NULL)
    later_tail->next = l;
  else
    later_head = l;
  later_tail = l;
  pthread_cond_signal (&later_cond);
  pthread_mutex_unlock (&later_lock);
}

void
gt_later_drain (void)
{
  pthread_mutex_lock (&later_lock);
  gboolean started = later_started;
  later_closed = TRUE;
  pthread_cond_broadcast (&later_cond);
  pthread_mutex_unlock (&later_lock);
  if (!started)
    return;
  /* The threads run what is queued, then end. */
  for (int i = 0; i < GT_THREADS; i++)
    pthread_join (later_threads[i], NULL);
  pthread_mutex_lock (&later_lock);
  later_started = FALSE;
  pthread_mutex_unlock (&later_lock);
}
