/* node-state.c — a stage's `state (T)` in a graph: one state per task
 * (invocation slot) of a node, made by the stage's open function before
 * the task's first item and given to its close function exactly once
 * after the node's last, whichever way the graph ended (end of input,
 * halt, drain, cancel).  A new run (a supervisor's restart) is a new
 * graph with new slots, so it opens new states.
 *
 * Both functions run on the runtime thread: the close when the node has
 * finished, i.e. when none of its calls runs any more (an abandoned
 * timed-out call keeps the node busy until it has returned).
 */
#include "graph-private.h"

gboolean
df_graph_slot_open_state (DfGraphSlot *slot, GError **error)
{
  const DfGraphNodeDesc *d = slot->node->desc;
  gpointer state = NULL;

  if (d->state_open == NULL || slot->stage_state_open)
    return TRUE;
  if (!d->state_open (df_call_get_context (slot->call), &state, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, DF_ERROR, DF_ERROR_STAGE_FAILED, "its state could not be opened");
      return FALSE;
    }
  slot->stage_state = state;
  slot->stage_state_open = TRUE;
  return TRUE;
}

static void
slot_close_state (DfGraphSlot *slot)
{
  const DfGraphNodeDesc *d = slot->node->desc;

  if (!slot->stage_state_open || slot->call_out)
    return;
  slot->stage_state_open = FALSE;
  if (d->state_close)
    d->state_close (df_call_get_context (slot->call), g_steal_pointer (&slot->stage_state));
}

/* Every task's state, and those of slots retired after a time-out once
 * their late call has returned (a state still in use by a call that is
 * out is closed at teardown, when every call has returned). */
void
df_graph_node_close_states (DfGraphNode *n)
{
  for (guint i = 0; n->slots != NULL && i < n->n_slots; i++)
    slot_close_state (n->slots[i]);
  for (guint i = 0; n->retired != NULL && i < n->retired->len; i++)
    slot_close_state (n->retired->pdata[i]);
}

gpointer
df_context_get_state (DfContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, NULL);

  if (ctx->call == NULL || !df_graph_is_frame (ctx->frame))
    return NULL;
  return df_graph_slot_from_call (ctx->call)->stage_state;
}
