/* stats.c — per-stage counters and their registry.
 *
 * A DfStageStats is static and process-wide, but it is updated on the hot
 * path of every call, so its counters are not updated in place: each
 * thread counts into its own block (one slot per registered stage), with
 * plain loads and stores — one writer per block, no atomic
 * read-modify-write, no cache line shared with another thread.  Readers
 * (any thread) sum the blocks under the registry lock; a thread that
 * exits folds its block into the DfStageStats fields, which therefore hold
 * the counts of threads that are gone.
 *
 * A DfStageStats registers itself on first use and gets an index
 * (stored, plus one, in its `registered` field); the registry lock is
 * taken once per stage and once per thread (and when a thread meets a
 * stage registered after its block was sized), never per call.
 */
#include <stdio.h>
#include <string.h>

#include "dfrt-private.h"

#define COUNT_ADD(field, n) __atomic_fetch_add (&(field), (n), __ATOMIC_RELAXED)
#define COUNT_GET(field)    __atomic_load_n (&(field), __ATOMIC_RELAXED)
/* Single writer: a plain load and store; relaxed atomics so that readers
 * on other threads do not race (they compile to ordinary moves). */
static inline void
slot_add (gint64 *field, gint64 n)
{
  __atomic_store_n (field, __atomic_load_n (field, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}
#define SLOT_ADD(field, n) slot_add (&(field), (n))

typedef struct {
  gint64 calls;
  gint64 ended;
  gint64 failures;
  gint64 timeouts;
  gint64 time_us;
} StatsSlot;

typedef struct _ThreadStats ThreadStats;
struct _ThreadStats {
  ThreadStats *prev;
  ThreadStats *next;
  guint        cap;       /* slots; changed by the owner under the lock */
  StatsSlot   *slots;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static DfStageStats *registry_head;
static DfStageStats **registry_tail = &registry_head;
static GPtrArray *registry_index;     /* DfStageStats * by index */
static ThreadStats *thread_blocks;    /* every live thread's block */
static pthread_key_t thread_key;
static pthread_once_t thread_key_once = PTHREAD_ONCE_INIT;
gint df_stats_timing;

/* initial-exec: one %fs-relative load, no __tls_get_addr call, in the
 * shared library as well. */
static __thread ThreadStats *thread_stats __attribute__ ((tls_model ("initial-exec")));

/* Thread exit: the counts move into the DfStageStats fields. */
static void
thread_stats_destroy (gpointer data)
{
  ThreadStats *t = data;

  pthread_mutex_lock (&registry_lock);
  for (guint i = 0; i < t->cap && i < registry_index->len; i++)
    {
      DfStageStats *s = registry_index->pdata[i];
      StatsSlot *slot = &t->slots[i];
      COUNT_ADD (s->calls, slot->calls);
      COUNT_ADD (s->in_flight, slot->calls - slot->ended);
      COUNT_ADD (s->failures, slot->failures);
      COUNT_ADD (s->timeouts, slot->timeouts);
      COUNT_ADD (s->time_us, slot->time_us);
    }
  if (t->prev)
    t->prev->next = t->next;
  else
    thread_blocks = t->next;
  if (t->next)
    t->next->prev = t->prev;
  pthread_mutex_unlock (&registry_lock);
  if (thread_stats == t)
    thread_stats = NULL;
  g_free (t->slots);
  g_free (t);
}

static void
thread_key_create (void)
{
  if (pthread_key_create (&thread_key, thread_stats_destroy) != 0)
    g_error ("dfrt: pthread_key_create failed");
}

/* The first use of @s on this thread, or of any stage: registers @s,
 * creates or grows this thread's block. */
static G_GNUC_NO_INLINE StatsSlot *
stats_slot_slow (DfStageStats *s)
{
  ThreadStats *t = thread_stats;

  pthread_once (&thread_key_once, thread_key_create);
  pthread_mutex_lock (&registry_lock);
  if (!g_atomic_int_get (&s->registered))
    {
      if (registry_index == NULL)
        registry_index = g_ptr_array_new ();
      g_ptr_array_add (registry_index, s);
      s->next = NULL;
      *registry_tail = s;
      registry_tail = &s->next;
      g_atomic_int_set (&s->registered, (gint) registry_index->len);
    }
  guint idx = (guint) g_atomic_int_get (&s->registered) - 1;
  if (t == NULL)
    {
      t = g_new0 (ThreadStats, 1);
      t->next = thread_blocks;
      if (thread_blocks)
        thread_blocks->prev = t;
      thread_blocks = t;
    }
  if (idx >= t->cap)
    {
      guint cap = MAX (MAX (registry_index->len, 2 * t->cap), 16);
      StatsSlot *slots = g_new0 (StatsSlot, cap);
      if (t->cap)
        memcpy (slots, t->slots, t->cap * sizeof (StatsSlot));
      g_free (t->slots);
      t->slots = slots;
      t->cap = cap;
    }
  pthread_mutex_unlock (&registry_lock);
  if (thread_stats == NULL)
    {
      thread_stats = t;
      pthread_setspecific (thread_key, t);
    }
  return &t->slots[idx];
}

static inline StatsSlot *
stats_slot (DfStageStats *s)
{
  guint idx = (guint) __atomic_load_n (&s->registered, __ATOMIC_RELAXED);
  ThreadStats *t = thread_stats;

  if (G_LIKELY (t != NULL && idx - 1 < t->cap))
    return &t->slots[idx - 1];
  return stats_slot_slow (s);
}

void
df_stats_set_timing (gboolean enabled)
{
  g_atomic_int_set (&df_stats_timing, enabled ? 1 : 0);
}

static G_GNUC_NO_INLINE void
stats_call_begin_slow (DfStageStats *stats)
{
  SLOT_ADD (stats_slot (stats)->calls, 1);
}

void
df_stats_call_begin (DfStageStats *stats)
{
  ThreadStats *t = thread_stats;

  if (stats == NULL)
    return;
  if (G_LIKELY (t != NULL))
    {
      guint idx = (guint) __atomic_load_n (&stats->registered, __ATOMIC_RELAXED);
      if (G_LIKELY (idx - 1 < t->cap))
        {
          SLOT_ADD (t->slots[idx - 1].calls, 1);
          return;
        }
    }
  stats_call_begin_slow (stats);
}

static G_GNUC_NO_INLINE void
stats_call_end_slow (DfStageStats *stats, gboolean failed, gint64 started)
{
  StatsSlot *slot = stats_slot (stats);

  SLOT_ADD (slot->ended, 1);
  if (failed)
    SLOT_ADD (slot->failures, 1);
  if (started)
    SLOT_ADD (slot->time_us, g_get_monotonic_time () - started);
}

void
df_stats_call_end (DfStageStats *stats, gboolean failed, gint64 started)
{
  ThreadStats *t = thread_stats;

  if (stats == NULL)
    return;
  if (G_LIKELY (t != NULL && !failed && started == 0))
    {
      guint idx = (guint) __atomic_load_n (&stats->registered, __ATOMIC_RELAXED);
      if (G_LIKELY (idx - 1 < t->cap))
        {
          SLOT_ADD (t->slots[idx - 1].ended, 1);
          return;
        }
    }
  stats_call_end_slow (stats, failed, started);
}

void
df_stats_call_timeout (DfStageStats *stats)
{
  if (stats == NULL)
    return;
  StatsSlot *slot = stats_slot (stats);
  SLOT_ADD (slot->failures, 1);
  SLOT_ADD (slot->timeouts, 1);
}

/* Sync stages: df_stage_stats_enter/leave wrap every call in generated
 * code, so each has a leaf fast path (untimed, slot present, success) and
 * hands everything else to a function of its own. */
static G_GNUC_NO_INLINE gint64
stats_enter_slow (DfStageStats *stats)
{
  df_stats_call_begin (stats);
  return df_stats_timing_enabled () ? g_get_monotonic_time () : 0;
}

gint64
df_stage_stats_enter (DfStageStats *stats)
{
  ThreadStats *t = thread_stats;

  if (G_LIKELY (stats != NULL && t != NULL && !df_stats_timing_enabled ()))
    {
      guint idx = (guint) __atomic_load_n (&stats->registered, __ATOMIC_RELAXED);
      if (G_LIKELY (idx - 1 < t->cap))
        {
          SLOT_ADD (t->slots[idx - 1].calls, 1);
          return 0;
        }
    }
  return stats_enter_slow (stats);
}

static G_GNUC_NO_INLINE void
stats_leave_slow (DfStageStats *stats, gint64 token, gboolean ok)
{
  df_stats_call_end (stats, !ok, token);
}

void
df_stage_stats_leave (DfStageStats *stats, gint64 token, gboolean ok)
{
  ThreadStats *t = thread_stats;

  if (G_LIKELY (stats != NULL && t != NULL && ok && token == 0))
    {
      guint idx = (guint) __atomic_load_n (&stats->registered, __ATOMIC_RELAXED);
      if (G_LIKELY (idx - 1 < t->cap))
        {
          SLOT_ADD (t->slots[idx - 1].ended, 1);
          return;
        }
    }
  stats_leave_slow (stats, token, ok);
}

/* Under the registry lock. */
static void
stats_get_locked (const DfStageStats *stats, DfStageStatsValues *out)
{
  guint idx = (guint) g_atomic_int_get (&stats->registered);

  out->name = stats->name;
  out->calls = COUNT_GET (stats->calls);
  out->failures = COUNT_GET (stats->failures);
  out->timeouts = COUNT_GET (stats->timeouts);
  out->in_flight = COUNT_GET (stats->in_flight);
  out->time_us = COUNT_GET (stats->time_us);
  if (idx == 0)
    return;
  for (ThreadStats *t = thread_blocks; t; t = t->next)
    if (idx - 1 < t->cap)
      {
        const StatsSlot *slot = &t->slots[idx - 1];
        gint64 calls = COUNT_GET (slot->calls);
        out->calls += calls;
        out->in_flight += calls - COUNT_GET (slot->ended);
        out->failures += COUNT_GET (slot->failures);
        out->timeouts += COUNT_GET (slot->timeouts);
        out->time_us += COUNT_GET (slot->time_us);
      }
}

void
df_stage_stats_get (const DfStageStats *stats, DfStageStatsValues *out)
{
  pthread_mutex_lock (&registry_lock);
  stats_get_locked (stats, out);
  pthread_mutex_unlock (&registry_lock);
}

/* Copies under the lock, calls without it: @func may use stages. */
void
df_stats_foreach (DfStatsForeachFunc func, gpointer user_data)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (DfStageStatsValues));

  pthread_mutex_lock (&registry_lock);
  for (DfStageStats *s = registry_head; s; s = s->next)
    {
      DfStageStatsValues v;
      stats_get_locked (s, &v);
      g_array_append_val (values, v);
    }
  pthread_mutex_unlock (&registry_lock);

  for (guint i = 0; i < values->len; i++)
    func (&g_array_index (values, DfStageStatsValues, i), user_data);
  g_array_unref (values);
}

static void
format_one (const DfStageStatsValues *v, gpointer data)
{
  gint64 ended = v->calls - v->in_flight;

  g_string_append_printf (data, "%-24s %10" G_GINT64_FORMAT " %9" G_GINT64_FORMAT
                          " %9" G_GINT64_FORMAT " %9" G_GINT64_FORMAT " %9" G_GINT64_FORMAT "\n",
                          v->name, v->calls, v->failures, v->timeouts, v->in_flight,
                          ended > 0 ? v->time_us / ended : 0);
}

char *
df_stats_format (void)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%-24s %10s %9s %9s %9s %9s\n", "stage", "calls",
                          "failures", "timeouts", "in_flight", "avg_us");
  df_stats_foreach (format_one, out);
  return g_string_free (out, FALSE);
}

static void
stats_timer_fired (DfTimer *timer)
{
  DfRuntime *rt = DF_CONTAINER_OF (timer, DfRuntime, stats_timer);
  char *text = df_stats_format ();

  g_printerr ("%s", text);
  g_free (text);
  df_timer_start_in (rt, timer, rt->stats_interval);
}

void
df_runtime_log_stats (DfRuntime *rt, GTimeSpan interval)
{
  rt->stats_interval = interval;
  if (interval <= 0)
    {
      df_timer_stop (rt, &rt->stats_timer);
      return;
    }
  df_timer_init (&rt->stats_timer, stats_timer_fired);
  df_timer_start_in (rt, &rt->stats_timer, interval);
}

void
df_runtime_get_counters (DfRuntime *rt, DfRuntimeCounters *out)
{
  out->tasks_run = rt->counters.tasks_run;
  out->ready_dispatches = rt->counters.ready_dispatches;
  out->wakeups = __atomic_load_n (&rt->counters.wakeups, __ATOMIC_RELAXED);
  out->timers_fired = rt->counters.timers_fired;
  out->timer_dispatches = rt->counters.timer_dispatches;
  pthread_mutex_lock (&rt->workers.lock);
  out->workers_started = rt->workers.threads->len;
  pthread_mutex_unlock (&rt->workers.lock);
}
