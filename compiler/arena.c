/* arena.c — bump allocation for the syntax tree.
 *
 * The compiler runs once and exits, so the tree is never freed piecemeal:
 * everything goes into large chunks that are released together.  This
 * keeps the parser free of ownership questions (no Bison %destructor) and
 * makes 100,000-declaration files cheap to build.
 */
#include <string.h>
#include "program.h"

enum { ARENA_CHUNK = 64 * 1024, ARENA_ALIGN = 16 };

typedef struct Chunk {
  struct Chunk *next;
  gsize size;
  gsize used;
  /* Data follows, aligned. */
} Chunk;

struct Arena {
  Chunk *head;
  gsize chunk_size;
};

/* Where a chunk's usable bytes begin: the header rounded up to ARENA_ALIGN. */
static inline guint8 *
chunk_data (Chunk *chunk)
{
  return (guint8 *) chunk + ((sizeof (Chunk) + ARENA_ALIGN - 1) & ~(gsize) (ARENA_ALIGN - 1));
}

static Chunk *
chunk_new (gsize min_size, Chunk *next)
{
  gsize size = min_size;
  Chunk *chunk = g_malloc (sizeof (Chunk) + ARENA_ALIGN + size);
  chunk->next = next;
  chunk->size = size;
  chunk->used = 0;
  return chunk;
}

Arena *
arena_new (void)
{
  return arena_new_chunked (ARENA_CHUNK);
}

Arena *
arena_new_chunked (gsize chunk_size)
{
  Arena *arena = g_new0 (Arena, 1);
  arena->chunk_size = MAX (chunk_size, (gsize) ARENA_CHUNK);
  arena->head = chunk_new (arena->chunk_size, NULL);
  return arena;
}

void
arena_free (Arena *arena)
{
  if (arena == NULL)
    return;
  for (Chunk *c = arena->head, *next; c != NULL; c = next)
    {
      next = c->next;
      g_free (c);
    }
  g_free (arena);
}

gpointer
arena_alloc (Arena *arena, gsize size)
{
  gsize rounded = (size + ARENA_ALIGN - 1) & ~(gsize) (ARENA_ALIGN - 1);
  Chunk *chunk = arena->head;

  if (rounded == 0)
    rounded = ARENA_ALIGN;
  if (chunk->size - chunk->used < rounded)
    {
      /* A request bigger than a chunk gets a chunk of its own, placed
       * behind the current one so the current one's free space stays in use. */
      if (rounded > arena->chunk_size / 4)
        {
          chunk->next = chunk_new (rounded, chunk->next);
          memset (chunk_data (chunk->next), 0, rounded);
          chunk->next->used = rounded;
          return chunk_data (chunk->next);
        }
      chunk = arena->head = chunk_new (arena->chunk_size, chunk);
    }
  guint8 *p = chunk_data (chunk) + chunk->used;
  chunk->used += rounded;
  memset (p, 0, rounded);
  return p;
}

char *
arena_strndup (Arena *arena, const char *s, gsize len)
{
  char *copy = arena_alloc (arena, len + 1);
  memcpy (copy, s, len);
  copy[len] = '\0';
  return copy;
}

void
arena_vec_push (Arena *arena, ArenaVec *vec, gpointer item)
{
  if (vec->n == vec->cap)
    {
      guint cap = vec->cap ? vec->cap * 2 : 4;
      gpointer *items = arena_newv (arena, gpointer, cap);
      if (vec->n > 0)
        memcpy (items, vec->items, vec->n * sizeof (gpointer));
      vec->items = items;
      vec->cap = cap;
    }
  vec->items[vec->n++] = item;
}
