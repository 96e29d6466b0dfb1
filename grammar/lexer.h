/* lexer.h — the tokens of a .df file (grammar/lexer.re).
 *
 * The lexer turns one of the program's files into the tokens declared in
 * parser.y; every Loc it makes carries that file's index.
 * It reads the whole buffer at once: the source is NUL-terminated at its
 * length, and every check for the end compares against `limit`, so a NUL
 * byte inside the file is a character like any other (an error), never
 * the end.
 *
 * It reports lexical errors itself (bad-char, bad-utf8, unterminated-*,
 * bad-escape, bad-number) and then goes on with a best guess (a string cut
 * at the line end, a number of value 1), so one run shows them all and the
 * parser sees a plausible token.
 *
 * Two things are done here to keep the grammar LALR(1) and the messages
 * helpful:
 *   - `; else` is folded into a single `else` token, which is what makes
 *     both `if (x) a; else b` and `if (x) a else b` parse without a
 *     second token of lookahead;
 *   - the brackets not yet closed are remembered, so that the parser can
 *     say "to close 'par' at line 4".
 */
#pragma once

#include "program.h"
#include "parser.h"

/* A bracket not yet closed. */
typedef struct {
  int token;          /* '{', '(' or '[' */
  const char *what;   /* what it opens, for messages: "flow", "par", "zip", "{" */
  Loc loc;            /* the keyword named by `what`, or the bracket */
} LexOpen;

typedef struct Lexer {
  Program *program;
  guint32 file;             /* which of the program's files: every Loc carries it */
  const char *start;        /* that file's source */
  const char *cursor;
  const char *limit;        /* start + source_len; *limit == '\0' */
  const char *marker;       /* re2c backtracking */
  const char *line_start;
  guint32 line;
  const char *bad_run_end;  /* just past the last bad byte reported */
  gboolean lexical_error;   /* reported one while making the current token */
  GString *scratch;         /* decoding strings */

  /* One token read ahead, for folding `; else`. */
  gboolean has_ahead;
  int ahead_token;
  YYSTYPE ahead_value;
  YYLTYPE ahead_loc;

  /* What the parser's error messages need. */
  int last_token;           /* the token most recently returned (0 before any) */
  YYLTYPE last_loc;
  gboolean has_before_last; /* a token was returned before the last one */
  YYLTYPE before_last_loc;
  int decl_token;           /* the keyword that opened the current declaration */
  Loc decl_loc;
  GArray *open;             /* LexOpen, innermost last */
} Lexer;

void lexer_init (Lexer *lexer, Program *program, guint file);
void lexer_clear (Lexer *lexer);

/* The next token (a TOK_* kind, a character for punctuation, TOK_END at
 * the end), its value and its location. */
int lexer_next (Lexer *lexer, YYSTYPE *value, YYLTYPE *loc);

/* A bracket still open: `skip` 0 is the innermost, 1 the one around it,
 * ...; NULL when there are not that many. */
const LexOpen *lexer_open_bracket (const Lexer *lexer, guint skip);

/* The source text of a token for messages: at most `max` bytes of its
 * first line, cut at a character boundary.  Returns the length. */
gsize lexer_token_text (const Lexer *lexer, const YYLTYPE *loc, gsize max, const char **text);
