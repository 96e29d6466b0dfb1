/* graph-jobs.c — a blocking node's worker jobs.
 *
 * In async mode a blocking node without `batch`, `timeout` or dead
 * letters hands its worker several queued inputs at once (up to
 * DF_GRAPH_JOB, the queue shared among its `tasks` slots): the worker
 * calls the stage on each in turn, emitting each call's outputs as it
 * returns, so that a job costs two thread wake-ups however many inputs it
 * holds.  Each input stays one call: the job stops at the first failure,
 * the node's policy applies to that input alone (a retry is a job of one)
 * and the inputs after it run once it is over; a halt drops them.
 */
#include <string.h>

#include "graph-private.h"

/* A worker job ended: the inputs whose calls succeeded are done (counted
 * and freed).  With @error the first input left failed: the policy
 * applies to it alone, the others wait in job_rest.  Without, the job
 * stopped at a cancellation (a halt) before the inputs left: dropped.
 * FALSE when the slot has been taken care of. */
gboolean
df_graph_job_settle (DfGraphSlot *slot, GError *error)
{
  DfGraphNode *n = slot->node;
  const DfGraphNodeDesc *d = n->desc;
  gsize size = d->item_size, done = slot->job_done;

  slot->job_done = 0;
  if (done > 0)
    {
      DF_CNT_ADD (n->c.ok, done);
      DF_CNT_ADD (n->c.in_flight, -(gint64) done);
      df_graph_node_succeeded (n);
      for (gsize i = 0; i < done; i++)
        {
          if (d->item_free)
            d->item_free (slot->items + i * size);
          df_graph_remote_item_done (slot, i, TRUE);
        }
      slot->n_items -= done;
      memmove (slot->items, slot->items + done * size, slot->n_items * size);
      if (slot->tokens)
        memmove (slot->tokens, slot->tokens + done, slot->n_items * sizeof (gpointer));
    }
  if (error != NULL)
    {
      /* A retry of the failed input is a job of one: the rest stays. */
      slot->job_rest += slot->n_items - 1;
      slot->n_items = 1;
      return TRUE;
    }
  if (slot->n_items > 0)
    {
      DF_CNT_ADD (n->c.dropped, slot->n_items);
      DF_CNT_ADD (n->c.in_flight, -(gint64) slot->n_items);
      df_graph_slot_free_items (slot);
    }
  return TRUE;
}

/* The input a job failed at is over (it succeeded on a retry, or failed
 * for good and has been freed): the rest of the job runs now, or is
 * dropped after a halt.  TRUE if the slot runs again. */
gboolean
df_graph_job_continue (DfGraphSlot *slot)
{
  DfGraphNode *n = slot->node;
  gsize size = n->desc->item_size, rest = slot->job_rest;

  slot->job_rest = 0;
  memmove (slot->items, slot->items + size, rest * size);
  if (slot->tokens)
    memmove (slot->tokens, slot->tokens + 1, rest * sizeof (gpointer));
  slot->n_items = rest;
  if (n->graph->halted)
    {
      DF_CNT_ADD (n->c.dropped, rest);
      DF_CNT_ADD (n->c.in_flight, -(gint64) rest);
      df_graph_slot_free_items (slot);
      return FALSE;
    }
  slot->attempt = 0;
  df_graph_slot_attempt (slot);
  return TRUE;
}

/* On the worker: the job's inputs one call after the other, each call's
 * outputs emitted (its `complete`) as it returns.  It stops at the first
 * failure and, before an input, at a cancellation (a halt).  The call
 * site counts one call, the job; the stage's statistics count the others
 * here. */
gboolean
df_graph_job_run (DfGraphSlot *slot, GError **error)
{
  const DfGraphNodeDesc *d = slot->node->desc;
  GCancellable *cancellable = df_call_get_cancellable (slot->call);
  gsize size = d->item_size;

  slot->job_done = 0;
  for (gsize i = 0; i < slot->n_items; i++)
    {
      if (i > 0)
        {
          if (g_cancellable_is_cancelled (cancellable))
            return TRUE;
          df_stage_stats_leave (d->stats, df_stage_stats_enter (d->stats), TRUE);
        }
      if (!d->run (slot->call, size ? slot->items + i * size : NULL, 1, error))
        return FALSE;
      if (d->complete)
        d->complete (slot->call);
      slot->job_done = i + 1;
    }
  return TRUE;
}
