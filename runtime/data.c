/* data.c — named values a library keeps per runtime (df_runtime_set_data).
 *
 * A library of stages that needs one object per runtime (dfstd's HTTP
 * session, say) has nowhere else to keep it: stages get a context, not a
 * place of their own, and a static would be shared by every runtime of
 * the process.  The values live in a table under the runtime's own lock,
 * so any thread may set and get them; their destroy functions always run
 * outside the lock, so one may use the runtime's data itself.
 */
#include "dfrt-private.h"

typedef struct {
  gpointer       data;
  GDestroyNotify destroy;
} DfDataEntry;

static void
data_entry_free (DfDataEntry *entry)
{
  if (entry->destroy != NULL)
    entry->destroy (entry->data);
  g_free (entry);
}

void
df_data_init (DfRuntime *rt)
{
  pthread_mutex_init (&rt->data_lock, NULL);
  rt->data = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* The table is taken out from under the lock first, so a destroy function
 * that asks for another key gets NULL instead of a deadlock. */
void
df_data_shutdown (DfRuntime *rt)
{
  pthread_mutex_lock (&rt->data_lock);
  GHashTable *data = g_steal_pointer (&rt->data);
  pthread_mutex_unlock (&rt->data_lock);

  GHashTableIter iter;
  gpointer entry;
  g_hash_table_iter_init (&iter, data);
  while (g_hash_table_iter_next (&iter, NULL, &entry))
    data_entry_free (entry);
  g_hash_table_unref (data);
  pthread_mutex_destroy (&rt->data_lock);
}

void
df_runtime_set_data (DfRuntime *rt, const char *key, gpointer data,
                     GDestroyNotify destroy)
{
  g_return_if_fail (rt != NULL);
  g_return_if_fail (key != NULL);

  DfDataEntry *entry = NULL;
  if (data != NULL)
    {
      entry = g_new (DfDataEntry, 1);
      entry->data = data;
      entry->destroy = destroy;
    }
  gpointer old = NULL;
  pthread_mutex_lock (&rt->data_lock);
  if (rt->data != NULL)
    {
      /* The table frees keys, never entries: the old entry is ours. */
      old = g_hash_table_lookup (rt->data, key);
      if (entry != NULL)
        g_hash_table_insert (rt->data, g_strdup (key), g_steal_pointer (&entry));
      else
        g_hash_table_remove (rt->data, key);
    }
  pthread_mutex_unlock (&rt->data_lock);

  if (old != NULL)
    data_entry_free (old);
  /* Only while the runtime is being freed (a destroy function setting
   * data): the new value is not kept, so it is destroyed at once. */
  if (entry != NULL)
    data_entry_free (entry);
}

gpointer
df_runtime_get_data (DfRuntime *rt, const char *key)
{
  g_return_val_if_fail (rt != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  gpointer data = NULL;
  pthread_mutex_lock (&rt->data_lock);
  if (rt->data != NULL)
    {
      DfDataEntry *entry = g_hash_table_lookup (rt->data, key);
      if (entry != NULL)
        data = entry->data;
    }
  pthread_mutex_unlock (&rt->data_lock);
  return data;
}
