/* wordcount-stages.c — the stages of wordcount.df.  count_word keeps its
 * tally in Redis itself (HINCRBY WORDCOUNT_KEY word 1, through a
 * connection of its worker thread's own, at $WORDCOUNT_REDIS_PORT), so
 * that the counts of every process of a run add up in one place. */
#include <hiredis/hiredis.h>
#include <stdlib.h>

#include "wordcount.h"

gboolean
read_words (DfContext *ctx, int n, GError **error)
{
  for (int i = 0; i < n; i++)
    read_words_emit (ctx, g_strdup_printf ("w%02d", i % 50));
  return TRUE;
}

static GPrivate worker_key = G_PRIVATE_INIT ((GDestroyNotify) redisFree);

gboolean
count_word (DfContext *ctx, char *word, GError **error)
{
  redisContext *c = g_private_get (&worker_key);

  if (c == NULL)
    {
      c = redisConnect ("127.0.0.1", atoi (g_getenv ("WORDCOUNT_REDIS_PORT")));
      g_private_set (&worker_key, c);
    }
  redisReply *r = redisCommand (c, "HINCRBY %s %s 1", g_getenv ("WORDCOUNT_KEY"), word);
  gboolean ok = r != NULL && r->type == REDIS_REPLY_INTEGER;
  if (r)
    freeReplyObject (r);
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "count_word: Redis: %s",
                 c->errstr[0] ? c->errstr : "bad reply");
  return ok;
}
